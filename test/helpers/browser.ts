import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

/** Debian's chromium: `.ci/install-debian` installs it (CI runs that script before the tests). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, offline and quiet: no GPU, no QUIC, no first-run, sync, component or background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/**
 * Whether the browser tests run here: they are skipped, with the returned line, where Chromium is not
 * installed, unless CALLQA_REQUIRE_BROWSER=1 (CI sets it), which makes a missing browser a failure.
 */
export function browserAvailability(env: NodeJS.ProcessEnv = process.env, chromium = CHROMIUM_PATH): { skip?: string } {
  if (existsSync(chromium) || env.CALLQA_REQUIRE_BROWSER === '1') return {};
  return {
    skip:
      `skipped: the report.html browser test needs Chromium at ${chromium}; install it with ` +
      '`bash .ci/install-debian` (apt-get install chromium fonts-noto-cjk), or set CALLQA_REQUIRE_BROWSER=1 to make it fail instead',
  };
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors, as they happened. */
  errors: string[];
  /** Requests that left the page for anything but a file: or data: URL (a self-contained page makes none). */
  network: string[];
  close(): Promise<void>;
}

/**
 * Launches the real Chromium (playwright-core never downloads a browser) with a new, empty user data
 * directory, and opens one page that records console errors and outside requests. Throws, so the
 * test fails rather than skips, when Chromium is not installed.
 */
export async function launchBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need it. Run \`bash .ci/install-debian\` (CI runs it before the tests).`);
  }
  const { chromium } = await import('playwright-core');
  const userDataDir = await mkdtemp(join(tmpdir(), 'callqa-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: options.viewport ?? { width: 1280, height: 900 },
      locale: 'zh-CN',
      timeout: 30_000,
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw new Error(`cannot launch ${CHROMIUM_PATH}: ${(err as Error).message}`);
  }
  const errors: string[] = [];
  const network: string[] = [];
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
  page.on('request', (request) => {
    if (!/^(file|data|about):/.test(request.url())) network.push(request.url());
  });
  return {
    context,
    page,
    errors,
    network,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

import { describe, expect, it } from 'vitest';
import { browserAvailability } from '../helpers/browser.js';

describe('whether the browser test runs', () => {
  it('is skipped with a line saying how to install Chromium where it is missing', () => {
    const { skip } = browserAvailability({}, '/nonexistent/chromium');
    expect(skip).toBe(
      'skipped: the report.html browser test needs Chromium at /nonexistent/chromium; install it with ' +
        '`bash .ci/install-debian` (apt-get install chromium fonts-noto-cjk), or set CALLQA_REQUIRE_BROWSER=1 to make it fail instead',
    );
  });

  it('runs (and so fails without a browser) when CALLQA_REQUIRE_BROWSER=1, as in CI', () => {
    expect(browserAvailability({ CALLQA_REQUIRE_BROWSER: '1' }, '/nonexistent/chromium')).toEqual({});
  });

  it('runs where Chromium is installed', () => {
    expect(browserAvailability({}, process.execPath)).toEqual({});
  });
});

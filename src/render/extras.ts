/** Options for the reports rendered from saved results after the CSV files are in place. */
export interface ExtrasOptions {
  /** false: report.html is written already (callqa score draws it as it goes). */
  html?: boolean;
  coaching: boolean;
  xlsx: boolean;
  baseline?: Map<string, { avgScore: number; passRate: number }>;
}

/**
 * report.html always; coaching/<agent>.md with --coaching; report.xlsx with --xlsx. Each is rendered
 * from the directory's results.jsonl and run.json (streamed), so `callqa report` draws them the same
 * way; the modules load only when used (exceljs alone costs ~160 ms).
 */
export async function writeExtras(outDir: string, options: ExtrasOptions): Promise<void> {
  if (options.html !== false) {
    const { writeHtmlReport } = await import('./html/index.js');
    await writeHtmlReport(outDir);
  }
  if (options.coaching) {
    const { writeCoachingPacks } = await import('./coaching.js');
    await writeCoachingPacks(outDir, options.baseline ? { baseline: options.baseline } : {});
  }
  if (options.xlsx) {
    const { writeXlsx } = await import('./xlsx.js');
    await writeXlsx(outDir);
  }
}

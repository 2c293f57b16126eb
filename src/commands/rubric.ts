import { EXIT } from './exit-codes.js';
import { loadRubricOrReport, type Streams } from './score.js';

/** `callqa rubric check FILE`: 0 when valid, 2 with every problem listed. */
export async function runRubricCheck(file: string, io: Streams): Promise<number> {
  const rubric = await loadRubricOrReport(file, io.stderr);
  if (!rubric) return EXIT.usage;
  io.stdout.write(
    `${file}: ok — "${rubric.name}", ${rubric.rules.length} rules (${rubric.rules.map((r) => r.id).join(', ')}), pass mark ${rubric.passScore}\n`,
  );
  return EXIT.ok;
}

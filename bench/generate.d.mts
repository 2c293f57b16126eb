/** Types of the benchmark's corpus generator, for the tests that use it. */
export const GENERATOR_VERSION: number;
export interface GenerateOptions {
  calls: number;
  out: string;
  seed?: number;
  agents?: number;
  log?: (line: string) => void;
}
export function generate(options: GenerateOptions): { calls: number; files: Record<string, number>; bytes: number; [key: string]: unknown };

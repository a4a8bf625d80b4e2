import { fileURLToPath } from 'node:url';
import type { LogRecord, UnparsedLine } from '../../../src/timeline/record.ts';
import { type ReadOptions, readLogs } from '../../../src/timeline/sources/index.ts';

export const FORMATS = fileURLToPath(new URL('../../fixtures/timeline/formats/', import.meta.url));

/** Read inputs to the end; records and problems as the API reports them. */
export async function collect(
  inputs: string[],
  opts: ReadOptions = {},
): Promise<{ records: LogRecord[]; problems: UnparsedLine[] }> {
  const problems: UnparsedLine[] = [];
  const records: LogRecord[] = [];
  for await (const r of readLogs(inputs, { ...opts, onProblem: (p) => problems.push(p) })) records.push(r);
  return { records, problems };
}

export const utc = (iso: string): number => Date.parse(iso);

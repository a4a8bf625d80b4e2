import type { LogRecord } from '../../../src/timeline/record.ts';

/** Builds LogRecords the way the sources emit them, with per-file line numbers counted for you. */
export class Records {
  readonly #lines = new Map<string, number>();
  constructor(readonly base = Date.parse('2025-11-14T02:50:00Z')) {}

  at(
    file: string,
    offsetS: number | null,
    message: string,
    opts: Partial<Pick<LogRecord, 'host' | 'program' | 'fields' | 'timeQuality'>> = {},
  ): LogRecord {
    const line = (this.#lines.get(file) ?? 0) + 1;
    this.#lines.set(file, line);
    return {
      time: offsetS === null ? null : this.base + offsetS * 1000,
      timeQuality: opts.timeQuality ?? (offsetS === null ? 'none' : 'exact'),
      host: 'host' in opts ? opts.host : 'node-a',
      program: 'program' in opts ? opts.program : 'kernel',
      pid: undefined,
      message,
      source: { file, line },
      format: 'test',
      ...(opts.fields ? { fields: opts.fields } : {}),
    };
  }
}

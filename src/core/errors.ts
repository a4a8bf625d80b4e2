import type { SourceLocation } from './location.ts';

export type ErrorCode = 'usage' | 'input' | 'config' | 'internal';

/** The one error class; only the CLI entry point turns it into output and an exit code. */
export class FaultlineError extends Error {
  readonly code: ErrorCode;
  readonly location: SourceLocation | undefined;

  constructor(code: ErrorCode, message: string, location?: SourceLocation) {
    super(message);
    this.name = 'FaultlineError';
    this.code = code;
    this.location = location;
  }
}

/** A non-fatal problem with one input: reported, and the rest of the work goes on. */
export interface InputProblem {
  file: string;
  line?: number;
  message: string;
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

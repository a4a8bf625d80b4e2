import { FaultlineError } from '../core/errors.ts';
import type { CliIO } from './io.ts';

export async function runAudit(_argv: string[], _io: CliIO): Promise<number> {
  throw new FaultlineError('usage', 'audit: not implemented yet');
}

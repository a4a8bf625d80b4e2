import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/io.ts';

export interface CapturedIO extends CliIO {
  out(): string;
  err(): string;
}

/** A CliIO whose stdout/stderr are captured into strings (never a TTY). */
export function captureIO(opts: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string } = {}): CapturedIO {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const stdin = new PassThrough();
  stdin.end(opts.stdin ?? '');
  return {
    stdout,
    stderr,
    stdin,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  };
}

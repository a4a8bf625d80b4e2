/**
 * One error style for every command: one line on stderr, `faultline <command>: <what>`, then a pointer to
 * `--help` for usage errors; exit 2 for usage and unreadable inputs, 70 only for a bug.
 */
import { describeError, FaultlineError } from '../core/errors.ts';
import { EXIT_INTERNAL, EXIT_USAGE } from '../core/exit-codes.ts';
import { formatLocation } from '../core/location.ts';
import type { CliIO } from './io.ts';

/** node:util parseArgs messages, reworded to the style of the rest (and without their long hints). */
const PARSE_ARGS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Unknown option '([^']+)'/, (m) => `unknown option '${m[1]}'`],
  [/^Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument missing/, (m) => `option ${m[1]} needs a value`],
  [/^Option '(?:-\w, )?(--[\w-]+)' does not take an argument/, (m) => `option ${m[1]} takes no value`],
  [/^Unexpected argument '([^']+)'/, (m) => `unexpected argument '${m[1]}'`],
];

/** The one-line form of a usage message: parseArgs wording normalised, any appended help text dropped. */
export function usageLine(message: string): string {
  const first = message.split('\n\n')[0]!.trim();
  for (const [re, say] of PARSE_ARGS) {
    const m = re.exec(first);
    if (m) return say(m);
  }
  return first;
}

/** A failed read or write of a file the user named (an --output in a missing directory, say). */
function fileError(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string' || typeof e.path !== 'string' || !e.syscall) return undefined;
  const what: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'a parent is not a directory',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
  };
  return what[e.code] ? `${e.path}: ${what[e.code]} (${e.syscall})` : undefined;
}

/** Write the error for `command` and return the exit code. */
export function reportError(err: unknown, command: string, io: CliIO): number {
  const prefix = `faultline ${command}:`;
  if (err instanceof FaultlineError) {
    const where = err.location ? `${formatLocation(err.location)}: ` : '';
    if (err.code === 'usage') {
      io.stderr.write(
        `${prefix} ${where}${usageLine(err.message)}\nRun 'faultline ${command} --help' for usage.\n`,
      );
    } else {
      io.stderr.write(`${prefix} ${where}${err.message}\n`);
    }
    return err.code === 'internal' ? EXIT_INTERNAL : EXIT_USAGE;
  }
  const file = fileError(err);
  if (file) {
    io.stderr.write(`${prefix} ${file}\n`);
    return EXIT_USAGE;
  }
  io.stderr.write(`${prefix} internal error: ${describeError(err)}\n`);
  if (err instanceof Error && err.stack && io.env.FAULTLINE_DEBUG) io.stderr.write(`${err.stack}\n`);
  return EXIT_INTERNAL;
}

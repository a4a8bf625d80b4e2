/** Runs the real promtool (Debian package prometheus) and returns its exit status and output. */
import { spawnSync } from 'node:child_process';
import { requireExecutable } from '../helpers/lab.ts';

export interface ToolRun {
  status: number | null;
  output: string;
}

export function promtool(...args: string[]): ToolRun {
  const bin = requireExecutable('promtool', 'prometheus');
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

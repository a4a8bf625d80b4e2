/**
 * The kernel's hung-task report, one line: kernel/hung_task.c check_hung_task() prints
 *   pr_err("INFO: task %s:%d blocked for more than %ld seconds.\n", t->comm, t->pid, …)
 * comm may itself hold ':' (kworker/u8:2), so the pid is the last ":<digits>" before " blocked".
 * One parser for the agent (reading /dev/kmsg) and the timeline's hung-task signature.
 */

/** Source of the pattern, with named groups task, pid, seconds (the timeline's catalog compiles it). */
export const HUNG_TASK_LINE_SOURCE = String.raw`\bINFO: task (?<task>.+):(?<pid>\d+) blocked for more than (?<seconds>\d+) seconds`;
const HUNG_TASK_LINE = new RegExp(HUNG_TASK_LINE_SOURCE);

export interface HungTaskReport {
  task: string;
  pid: number;
  seconds: number;
}

/** "INFO: task loki:25860 blocked for more than 120 seconds." → task, pid, seconds. */
export function parseHungTask(message: string): HungTaskReport | undefined {
  const g = HUNG_TASK_LINE.exec(message)?.groups;
  if (!g?.task || !g.pid || !g.seconds) return undefined;
  return { task: g.task, pid: Number(g.pid), seconds: Number(g.seconds) };
}

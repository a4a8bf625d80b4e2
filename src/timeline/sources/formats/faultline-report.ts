/**
 * faultline's own "last words" (issue 10 §6), one JSON object per line: the agent's previous-boot
 * report as delivered (`jq -c` of the alert a webhook received, with `evidence.lastWords`) or the
 * `last-words` record of its state journal (`{"t":"last-words","words":{…}}`). Each blocked task
 * becomes a `ps -eo pid,stat,wchan,comm`-shaped row with its pod, mount and server, followed by the
 * kernel stack lines the agent read from /proc/PID/stack — so the hung-task signatures classify them
 * like any other D-state listing and stack, and fold the frames into one event per task.
 * The timeline and the agent never import each other: the shape read here is its own.
 */
import type { LogRecord } from '../../record.ts';
import { defineFormat, record } from './types.ts';

interface Words {
  at?: unknown;
  node?: unknown;
  blocked?: unknown;
}

interface Task {
  pid?: unknown;
  comm?: unknown;
  wchan?: unknown;
  subsystem?: unknown;
  stack?: unknown;
  podUid?: unknown;
  container?: unknown;
  mounts?: { mountPoint?: unknown; server?: unknown; source?: unknown }[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function wordsOf(obj: Record<string, unknown>): Words | undefined {
  if (obj.t === 'last-words') return obj.words as Words;
  const evidence = obj.evidence as Record<string, unknown> | undefined;
  return (evidence?.lastWords ?? obj.lastWords) as Words | undefined;
}

const looksLikeReport = (t: string) =>
  t.charCodeAt(0) === 123 /* { */ && (t.includes('"lastWords"') || t.includes('"t":"last-words"'));

function taskRow(t: Task): string {
  const extra = [
    str(t.subsystem) && `subsystem=${t.subsystem}`,
    str(t.podUid) && `pod=${t.podUid}`,
    str(t.container) && `container=${t.container}`,
    ...(Array.isArray(t.mounts) ? t.mounts : []).map(
      (m) => `mount=${str(m.mountPoint) ?? '?'}${str(m.server) ? ` server=${m.server}` : ''}`,
    ),
  ].filter(Boolean);
  return `${t.pid} D ${str(t.wchan) || '-'} ${str(t.comm) ?? '?'}${extra.length ? ` ${extra.join(' ')}` : ''}`;
}

export const faultlineReport = defineFormat({
  name: 'faultline-report',
  test: looksLikeReport,
  create(ctx) {
    return {
      parse(line, n, out: LogRecord[]) {
        if (!looksLikeReport(line)) return false;
        let obj: unknown;
        try {
          obj = JSON.parse(line);
        } catch (err) {
          ctx.problem({ file: ctx.file, line: n, reason: `not JSON: ${(err as Error).message}` });
          return true;
        }
        const words = obj && typeof obj === 'object' ? wordsOf(obj as Record<string, unknown>) : undefined;
        const time = Date.parse(str(words?.at) ?? '');
        if (!words || !Array.isArray(words.blocked) || Number.isNaN(time)) {
          ctx.problem({
            file: ctx.file,
            line: n,
            reason: 'faultline report without last words (at, blocked)',
          });
          return true;
        }
        const base = { time, timeQuality: 'exact' as const, host: str(words.node), program: 'faultline' };
        for (const t of words.blocked as Task[]) {
          if (typeof t?.pid !== 'number') continue;
          const pid = t.pid;
          out.push(record(ctx, n, 'faultline-report', { ...base, pid, message: taskRow(t) }));
          for (const frame of Array.isArray(t.stack) ? t.stack : []) {
            if (typeof frame === 'string')
              out.push(record(ctx, n, 'faultline-report', { ...base, pid, message: frame }));
          }
        }
        return true;
      },
    };
  },
});

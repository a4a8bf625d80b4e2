/**
 * The `Events:` table of `kubectl describe` (tabwriter-aligned, so the header gives the columns):
 *   Events:
 *     Type     Reason                  Age                From     Message
 *     ----     ------                  ----               ----     -------
 *     Warning  FailedCreatePodSandBox  2m24s              kubelet  Failed to create pod sandbox: …
 *     Warning  FailedMount             3m (x5 over 10m)   kubelet  MountVolume.SetUp failed for volume …
 * Ages are relative to when describe ran (ReadOptions.now, else the file's mtime): time = now − age,
 * quality 'inferred'. The rest of a describe document (Name:, Namespace:, …) is context, not log lines.
 */

import type { LogRecord } from '../../record.ts';
import { parseAge } from '../clock.ts';
import { defineFormat, record } from './types.ts';

const HEADER = /^(\s+)Type\s+Reason\s+Age\s+From\s+Message\s*$/;
const AGE = /^(\S+)(?: \(x(\d+) over (\S+)\))?$/;
const CONTEXT = /^(Name|Namespace|Kind|Events):\s*(.*)$/;

export const kubectlDescribeEvents = defineFormat({
  name: 'kubectl-describe-events',
  test: (text) => HEADER.test(text) || /^Events:\s*/.test(text) || /^Name:\s+\S/.test(text),
  create(ctx) {
    const whole = ctx.detected === 'kubectl-describe-events';
    let cols: { indent: number; reason: number; age: number; from: number; message: number } | undefined;
    let name: string | undefined;
    let namespace: string | undefined;
    let kind: string | undefined;
    // The row the next unindented lines continue: kubectl prints a multi-line Event message as is, so
    // `Output: mount.nfs: …` (the cause) sits on a physical line of its own under its row.
    let last: LogRecord | undefined;
    return {
      parse(text, line, out) {
        const h = HEADER.exec(text);
        if (h) {
          cols = {
            indent: h[1]!.length,
            reason: text.indexOf('Reason'),
            age: text.indexOf('Age'),
            from: text.indexOf('From'),
            message: text.indexOf('Message'),
          };
          return true;
        }
        const c = CONTEXT.exec(text);
        if (c) last = undefined;
        if (c) {
          if (c[1] === 'Name') {
            name = c[2]!.trim() || undefined;
            kind = undefined;
            namespace = undefined;
            cols = undefined;
          } else if (c[1] === 'Namespace') namespace = c[2]!.trim() || undefined;
          else if (c[1] === 'Kind') kind = c[2]!.trim() || undefined;
          return whole || c[1] === 'Events';
        }
        if (cols !== undefined) {
          const type = text.slice(cols.indent, cols.reason).trim();
          if (type === 'Normal' || type === 'Warning') {
            const reason = text.slice(cols.reason, cols.age).trim();
            const ageCell = text.slice(cols.age, cols.from).trim();
            const from = text.slice(cols.from, cols.message).trim();
            const message = text.slice(cols.message).trim();
            const a = AGE.exec(ageCell);
            const age = a ? parseAge(a[1]!) : undefined;
            const fields: Record<string, string> = { reason, type, age: ageCell };
            if (kind !== undefined) fields.kind = kind;
            if (namespace !== undefined) fields.namespace = namespace;
            if (name !== undefined) fields.name = name;
            if (a?.[2] !== undefined) fields.count = a[2];
            const first = a?.[3] === undefined ? undefined : parseAge(a[3]);
            if (first !== undefined) fields.firstTime = new Date(ctx.now - first).toISOString();
            // Older kubectl writes "kubelet, k8s-cp-01" in From: component, then host.
            const comma = from.indexOf(', ');
            last = record(ctx, line, 'kubectl-describe-events', {
              time: age === undefined ? null : ctx.now - age,
              timeQuality: age === undefined ? 'none' : 'inferred',
              host: comma < 0 ? undefined : from.slice(comma + 2),
              program: (comma < 0 ? from : from.slice(0, comma)) || undefined,
              pid: undefined,
              message,
              fields,
            });
            out.push(last);
            return true;
          }
          if (/^\s+-+\s+-+/.test(text)) return true; // the ---- underline
          if (last !== undefined && text.trim() !== '' && !text.startsWith(' ')) {
            last.message += `\n${text}`;
            return true;
          }
          last = undefined;
          if (!text.startsWith(' ')) cols = undefined; // the table ended
        }
        return whole;
      },
    };
  },
});

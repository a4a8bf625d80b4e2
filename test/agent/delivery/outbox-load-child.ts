/** Opens an outbox in a process of its own and prints what it kept and its peak RSS (outbox-damage.test.ts). */
import { Outbox } from '../../../src/agent/delivery/outbox.ts';

const [dir, maxEntries] = process.argv.slice(2);
const logs: string[] = [];
const box = await Outbox.open(dir!, {
  sinks: ['a'],
  maxEntries: Number(maxEntries),
  log: (level, msg) => logs.push(`${level} ${msg}`),
});
const result = {
  pending: box.pendingCount(),
  ids: box.pending().map((e) => e.alert.id),
  report: box.loadReport,
  logLines: logs.length,
  logs: logs.slice(0, 10),
  // ru_maxrss is in kilobytes: the peak over the whole load, not the RSS after it.
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
await box.close();
process.stdout.write(`${JSON.stringify({ ...result, ids: [result.ids[0], result.ids.at(-1)] })}\n`);

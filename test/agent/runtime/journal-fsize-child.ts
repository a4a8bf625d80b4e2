/**
 * Appends 1 KiB records to a journal in argv[2] until one throws, then prints how many returned and the
 * error. Run under `prlimit --fsize=…`: past the limit the kernel stores part of a write and returns
 * its short count (the next write fails with EFBIG; Node ignores SIGXFSZ).
 */
import { Journal } from '../../../src/agent/runtime/journal.ts';

const dir = process.argv[2]!;
const journal = new Journal({
  dir,
  maxBytes: 1 << 20,
  boot: 'boot-a',
  snapshot: () => ({ states: {}, risk: { atRisk: false, signals: [] } }),
});
let appended = 0;
let error: string | undefined;
for (let i = 0; i < 20 && error === undefined; i++) {
  try {
    journal.append({ t: 'start', boot: 'boot-a', version: String(i), node: 'n'.repeat(1000) });
    appended++;
  } catch (err) {
    error = (err as NodeJS.ErrnoException).code ?? String(err);
  }
}
process.stdout.write(JSON.stringify({ appended, error }));

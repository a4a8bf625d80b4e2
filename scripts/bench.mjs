// Runs every benchmark in bench/ (one file per area: bench/<area>.bench.ts), one after another.
// Each prints its own report and writes bench/out/<area>.json. Usage: npm run bench [-- area ...]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';

mkdirSync('bench/out', { recursive: true });
const only = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((a) => f.startsWith(a)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${f}`], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);

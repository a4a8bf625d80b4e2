// Runs every test file under test/ with node:test (TypeScript through tsx).
// Node 20's `--test` takes no globs, so the file list is collected here.
// Usage: node scripts/test.mjs [path-substring ...]  (filters test files)
// In CI (CI=true) the suite runs a second time under Node 24, the version users run, fetched from the
// npm registry with `npx -p node@24`; FAULTLINE_NODE24=0 turns that off, FAULTLINE_NODE24=1 forces it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'fixtures' || name === 'node_modules' || name === 'out') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = collect('test').filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files];
// A test file that leaks a handle (a server left listening) never exits and would hang the run until CI's
// limit: each leg gets a deadline and fails naming it. (Not --test-force-exit: on Node 24 it ended a file's
// process with subtests still running and reported no failure — tests silently lost.)
const LEG_TIMEOUT_MS = Number(process.env.FAULTLINE_TEST_LEG_TIMEOUT_MS ?? 40 * 60 * 1000);

// Both legs always run (a Node 20 failure must not hide the Node 24 result); the summary names each.
const legs = [{ name: process.version, cmd: process.execPath, args }];
const node24 = process.env.FAULTLINE_NODE24 ?? (process.env.CI === 'true' ? '1' : '0');
if (node24 === '1' && !process.version.startsWith('v24.')) {
  legs.push({
    name: 'Node 24 (npx -p node@24)',
    cmd: 'npx',
    args: ['--yes', '-p', 'node@24', '--', 'node', ...args],
  });
}
const results = [];
for (const leg of legs) {
  if (legs.length > 1) console.log(`\n# running the tests under ${leg.name}\n`);
  const r = spawnSync(leg.cmd, leg.args, {
    stdio: 'inherit',
    timeout: LEG_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (r.error?.code === 'ETIMEDOUT') {
    console.error(
      `\n# ${leg.name}: no result after ${LEG_TIMEOUT_MS / 60000} min — a test file did not exit (leaked handle?)`,
    );
  }
  results.push({ name: leg.name, status: r.status ?? 1 });
}
stopTestRpcbind();
if (results.length > 1) {
  console.log('\n# test legs');
  for (const r of results)
    console.log(`#   ${r.name}: ${r.status === 0 ? 'passed' : `FAILED (exit ${r.status})`}`);
}
process.exit(results.every((r) => r.status === 0) ? 0 : 1);

/** Stop the loopback rpcbind that test/helpers/rpcbind.ts started for the ganesha tests, if it did. */
function stopTestRpcbind() {
  const pidFile = join(tmpdir(), 'faultline-test-rpcbind.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile, { force: true });
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('rpcbind')) return; // pid reused: not ours
    process.kill(pid, 'SIGTERM');
    rmSync('/run/rpcbind.sock', { force: true });
  } catch {
    // already gone
  }
}

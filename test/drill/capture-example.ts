/**
 * Captures the README's drill verdict from a real run: the lab (nfs-ganesha, dnsmasq ×2, the agent) in a
 * network namespace, then `faultline drill run dns-blackhole` against it. Run as root from the repo root:
 *
 *   ip netns add fl-drill-example && FL_DRILL_NETNS=fl-drill-example \
 *     ip netns exec fl-drill-example unshare -m --propagation private \
 *     node --import tsx test/drill/capture-example.ts; ip netns del fl-drill-example
 *
 * It writes examples/drill/dns-blackhole.txt (command line + output); test/drill/readme.test.ts checks the
 * README shows exactly that file.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drillRunArgs, ROOT, startLab } from './lab.ts';

const lab = await startLab();
try {
  const args = [
    'drill',
    ...drillRunArgs('dns-blackhole', {
      resolver: '127.0.0.1',
      duration: '12s',
      grace: '4s',
      lookup: 'registry.drill.test',
      'node-root': 'examples/drill/node-root',
      yes: true,
    }),
  ];
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`drill exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  writeFileSync(join(ROOT, 'examples/drill/dns-blackhole.txt'), `$ faultline ${args.join(' ')}\n${r.stdout}`);
  process.stdout.write(r.stdout);
} finally {
  await lab.stop();
}

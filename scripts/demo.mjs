// `npm start`: runs the built CLI on the bundled examples, the way a user would on their own repo.
// Audit findings are the point of the demo, so exit code 1 ("findings at or above --fail-on") is expected.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const bin = 'dist/src/cli/bin.js';
const steps = [
  {
    title: 'Audit: the 2025-11-14 cascade’s StorageClass before the fix',
    args: ['audit', 'examples/audit/before'],
    ok: [0, 1],
  },
  {
    title: 'Audit: the same StorageClass after the fix',
    args: ['audit', 'examples/audit/after', '--fail-on', 'none'],
    ok: [0],
  },
  {
    title: 'Audit: a small cluster repo plus one node’s configuration',
    args: ['audit', 'examples/audit/cluster', '--node-root', 'examples/audit/node-root'],
    ok: [0, 1],
  },
  {
    title: 'Timeline: the 2025-11-14 cascade’s logs',
    args: [
      'timeline',
      '--year',
      '2025',
      'examples/timeline/kernel.short-iso.log',
      'examples/timeline/k3s-dns.json',
      'examples/timeline/k3s-cni.short.log',
      'examples/timeline/events.json',
    ],
    ok: [0],
  },
  {
    title: 'Blast: what goes down if the NAS stops answering (hard mounts: the node freezes)',
    args: [
      'blast',
      'examples/blast/cluster',
      'examples/blast/storage-hard',
      '--target',
      'nfs:truenas.home.lex.la',
    ],
    ok: [0],
  },
  {
    title: 'Drill plan: what a rehearsal of the NAS going silent would do on this node (changes nothing)',
    args: [
      'drill',
      'plan',
      'nfs-blackhole',
      '--server',
      'truenas.home.lex.la',
      '--node-root',
      'examples/audit/node-root',
      'examples/audit/cluster',
    ],
    ok: [0],
  },
];

let failed = 0;
for (const step of steps) {
  const inputs = step.args.filter((a) => a.startsWith('examples/'));
  if (inputs.some((p) => !existsSync(p))) {
    console.error(`demo: missing example input ${inputs.join(' ')}`);
    failed++;
    continue;
  }
  const bold = (t) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${t}\x1b[0m` : t);
  process.stdout.write(`\n${bold(`== ${step.title}`)}\n$ faultline ${step.args.join(' ')}\n\n`);
  const r = spawnSync(process.execPath, [bin, ...step.args], { stdio: 'inherit' });
  if (!step.ok.includes(r.status ?? -1)) {
    console.error(`demo: 'faultline ${step.args.join(' ')}' exited ${r.status}`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);

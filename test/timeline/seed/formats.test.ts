/**
 * Issue 8, Done-when 1: the seed's lines as a k3s node logs them (kubelet lines that quote the DNS and
 * CNI failures) give NFS → hung tasks → DNS → CNI → pods → reboot in every input format we read.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../../src/cli/main.ts';
import { captureIO } from '../../helpers/io.ts';
import { requireExecutable } from '../../helpers/lab.ts';
import { journalExport, journalJson, shortIso, syslog3164 } from './formats.ts';
import { SEED_ENTRIES } from './issue-lines.ts';

interface Report {
  events: { signature: string; families: string[]; reporter: string; source: { line: number } }[];
  chain: { from: string; to: string; relation: string; firstEvidence: { source: { line: number } } }[];
  errors: unknown[];
}

const dir = mkdtempSync(join(tmpdir(), 'faultline-seed-formats-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function timeline(file: string): Promise<Report> {
  const io = captureIO({ cwd: dir });
  const code = await main(['timeline', '--year', '2025', '--format', 'json', file], io);
  assert.equal(code, 0, io.err());
  return JSON.parse(io.out()) as Report;
}

const CHAIN = ['storage>blocked-tasks', 'blocked-tasks>dns', 'dns>cni', 'cni>pods', 'pods>reboot'];

function checkCauses(r: Report): void {
  assert.deepEqual(r.errors, []);
  assert.deepEqual(
    r.chain.map((l) => `${l.from}>${l.to}`),
    CHAIN,
  );
  assert.deepEqual(
    r.chain.map((l) => l.relation),
    ['observed', 'likely', 'likely', 'observed', 'likely'],
  );
  const pull = r.events.find((e) => e.signature === 'kubelet.image-pull-lookup');
  assert.deepEqual(pull?.families, ['dns', 'kubelet']);
  assert.match(pull?.reporter ?? '', /^kubelet \(k3s\)$/);
  const sandbox = r.events.find((e) => e.signature === 'kubelet.sandbox-failed');
  assert.deepEqual(sandbox?.families, ['cni', 'kubelet']);
  // The CNI link's evidence is the pod_workers line itself: cause and carrier on one line.
  assert.equal(r.chain[3]?.firstEvidence.source.line, r.chain[2]?.firstEvidence.source.line);
}

const FORMATS: Record<string, (e: typeof SEED_ENTRIES) => string> = {
  'seed.short-iso.log': shortIso,
  'seed.syslog': syslog3164,
  'seed.json': journalJson,
  'seed.export': journalExport,
};

describe('the seed as a k3s node journals it, in every input format', () => {
  for (const [name, render] of Object.entries(FORMATS))
    it(name, async () => {
      writeFileSync(join(dir, name), render(SEED_ENTRIES));
      checkCauses(await timeline(name));
    });

  it('seed.journal (a real binary journal: systemd-journal-remote, read through journalctl --file)', async () => {
    const remote = requireExecutable('/lib/systemd/systemd-journal-remote', 'systemd-journal-remote');
    requireExecutable('journalctl', 'systemd');
    writeFileSync(join(dir, 'in.export'), journalExport(SEED_ENTRIES));
    const made = spawnSync(remote, ['-o', join(dir, 'seed.journal'), join(dir, 'in.export')], {
      encoding: 'utf8',
    });
    assert.equal(made.status, 0, made.stderr);
    checkCauses(await timeline('seed.journal'));
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  analysePreviousRun,
  JOURNAL_FILE,
  JOURNAL_ROTATED,
  Journal,
  readBootId,
  readJournal,
} from '../../../src/agent/runtime/journal.ts';
import { previousBootAlert } from '../../../src/agent/runtime/previous-boot.ts';
import type { CheckSnapshot } from '../../../src/agent/runtime/state.ts';
import { requireExecutable } from '../../helpers/lab.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'faultline-journal-'));
  dirs.push(d);
  return d;
}

const failing: Record<string, CheckSnapshot> = {
  'nfs-server:10.0.0.5:2049': {
    state: 'failed',
    since: '2026-11-14T02:57:30.000Z',
    reason: 'rpc_timeout',
    message: 'TCP accepts but RPC NULL got no answer',
  },
  'mount:/var/lib/loki': { state: 'ok', since: '2026-11-14T02:00:00.000Z', reason: 'ok', message: '' },
};

function journal(dir: string, boot: string, states = failing, maxBytes = 1_000_000) {
  return new Journal({
    dir,
    maxBytes,
    boot,
    snapshot: () => ({ states, risk: { atRisk: false, signals: [] } }),
  });
}

describe('state journal and previous boot', () => {
  it('reads the real boot id', () => {
    assert.match(readBootId('/proc'), /^[0-9a-f-]{36}$/);
    assert.equal(readBootId('/nonexistent'), 'unknown');
  });

  it('a first start has no previous run', () => {
    assert.equal(analysePreviousRun(readJournal(tmp()), 'boot-a'), undefined);
  });

  it('a clean stop on the same boot gives no report', () => {
    const dir = tmp();
    const j = journal(dir, 'boot-a');
    j.append({ t: 'start', boot: 'boot-a', version: '0', node: 'n1' });
    j.heartbeat();
    j.append({ t: 'stop', reason: 'signal SIGTERM' });
    j.close();
    const prev = analysePreviousRun(readJournal(dir), 'boot-a');
    assert.equal(prev?.clean, true);
    assert.equal(prev?.rebooted, false);
    assert.equal(previousBootAlert(prev!, 'n1'), undefined);
  });

  it('an unclean stop followed by a reboot: critical report with the last states', () => {
    const dir = tmp();
    const j = journal(dir, 'boot-a');
    j.append({ t: 'start', boot: 'boot-a', version: '0', node: 'n1' });
    j.heartbeat();
    j.append({
      t: 'transition',
      check: 'mount:/var/lib/loki',
      from: 'ok',
      to: 'failed',
      reason: 'hung',
      message: 'stat did not return in 2 s',
    });
    j.append({
      t: 'risk',
      atRisk: true,
      signals: ['hung-mounts', 'dstate-growing'],
      evidence: { dstateHistory: [3, 9, 27] },
    });
    // No stop record: the node went dark. A torn half-line at the end, as a crash mid-write leaves.
    j.close();
    appendFileSync(join(dir, JOURNAL_FILE), '{"t":"heartbeat","at":"2026-11-');
    const prev = analysePreviousRun(readJournal(dir), 'boot-b');
    assert.ok(prev);
    assert.equal(prev.clean, false);
    assert.equal(prev.rebooted, true);
    assert.equal(prev.states['mount:/var/lib/loki']?.state, 'failed');
    assert.equal(prev.states['nfs-server:10.0.0.5:2049']?.state, 'failed');
    const a = previousBootAlert(prev, 'n1')!;
    assert.equal(a.kind, 'previous-boot');
    assert.equal(a.severity, 'critical');
    assert.equal(a.id, `previous-boot-${prev.run}`);
    assert.match(a.title, /rebooted without a clean stop/);
    assert.match(a.message, /mount:\/var\/lib\/loki failed \(hung\)/);
    assert.match(a.message, /at risk of freezing \(hung-mounts, dstate-growing\)/);
    assert.deepEqual((a.evidence.risk as { signals: string[] }).signals, ['hung-mounts', 'dstate-growing']);
    // The same previous run analysed again yields the same alert id: never a second report.
    assert.equal(previousBootAlert(analysePreviousRun(readJournal(dir), 'boot-b')!, 'n1')?.id, a.id);
  });

  it('an unclean stop without a reboot is a warning; a reboot after a clean stop is info', () => {
    const dir = tmp();
    const j = journal(dir, 'boot-a');
    j.append({ t: 'start', boot: 'boot-a', version: '0', node: 'n1' });
    j.close();
    assert.equal(
      previousBootAlert(analysePreviousRun(readJournal(dir), 'boot-a')!, 'n1')?.severity,
      'warning',
    );
    const dir2 = tmp();
    const k = journal(dir2, 'boot-a');
    k.append({ t: 'start', boot: 'boot-a', version: '0', node: 'n1' });
    k.append({ t: 'stop', reason: 'signal SIGTERM' });
    k.close();
    assert.equal(previousBootAlert(analysePreviousRun(readJournal(dir2), 'boot-b')!, 'n1')?.severity, 'info');
  });

  it('only the last run counts: a new start after a report is a new previous run', () => {
    const dir = tmp();
    const a = journal(dir, 'boot-a');
    a.append({ t: 'start', boot: 'boot-a', version: '0', node: 'n1' });
    a.close();
    const b = journal(dir, 'boot-b');
    b.append({ t: 'start', boot: 'boot-b', version: '0', node: 'n1' });
    b.append({ t: 'stop', reason: 'done' });
    b.close();
    const prev = analysePreviousRun(readJournal(dir), 'boot-b');
    assert.equal(prev?.run, b.run);
    assert.equal(prev?.clean, true);
  });

  it('rotates past maxBytes, keeps one old file, and the new file starts with a snapshot', () => {
    const dir = tmp();
    const j = journal(dir, 'boot-a', failing, 4096);
    j.append({ t: 'start', boot: 'boot-a', version: '0', node: 'n1' });
    for (let i = 0; i < 60; i++) j.heartbeat();
    j.close();
    assert.ok(statSync(join(dir, JOURNAL_FILE)).size <= 4096 + 1024);
    assert.ok(statSync(join(dir, JOURNAL_ROTATED)).size > 4096);
    const first = JSON.parse(readFileSync(join(dir, JOURNAL_FILE), 'utf8').split('\n')[0]!);
    assert.equal(first.t, 'heartbeat');
    assert.equal(first.states['nfs-server:10.0.0.5:2049'].state, 'failed');
    const prev = analysePreviousRun(readJournal(dir), 'boot-a');
    assert.equal(prev?.states['nfs-server:10.0.0.5:2049']?.state, 'failed');
  });

  it('an append the disk stores only in part throws; every append that returned is a whole record', () => {
    const prlimit = requireExecutable('prlimit', 'util-linux');
    const dir = tmp();
    // Records are ~1.1 kB: the third one crosses the 2500-byte file size limit part-way.
    const child = spawnSync(
      prlimit,
      [
        '--fsize=2500',
        process.execPath,
        '--import',
        'tsx',
        join(import.meta.dirname, 'journal-fsize-child.ts'),
        dir,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(child.status, 0, child.stderr);
    const { appended, error } = JSON.parse(child.stdout) as { appended: number; error?: string };
    assert.equal(error, 'EFBIG');
    const report = { unreadable: 0, skippedBytes: 0, errors: [] };
    assert.equal(readJournal(dir, report).length, appended, 'a torn record was reported as written');
    assert.equal(appended, 2);
    assert.equal(report.unreadable, 1, 'the torn third record');
  });

  it('skips garbage lines and keeps the rest', () => {
    const dir = tmp();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, JOURNAL_FILE),
      `not json\n${JSON.stringify({ t: 'start', at: '2026-11-14T02:00:00.000Z', run: 'r1', boot: 'b', version: '0', node: 'n' })}\n`,
    );
    assert.equal(analysePreviousRun(readJournal(dir), 'b')?.run, 'r1');
  });
});

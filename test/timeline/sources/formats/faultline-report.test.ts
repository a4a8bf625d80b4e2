import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../../src/timeline/analyze.ts';
import { collect, FORMATS, utc } from '../collect.ts';

// The fixture is the agent's own output: line 1 the previous-boot alert a webhook received (jq -c),
// line 2 a `last-words` record of its state journal (src/agent/runtime/last-words.ts).
const file = `${FORMATS}faultline-report.jsonl`;

describe("faultline report (the agent's last words) as a timeline input", () => {
  it('turns each blocked task into a ps-shaped row and its kernel stack lines', async () => {
    const { records, problems } = await collect([file]);
    assert.deepEqual(problems, []);
    assert.ok(records.every((r) => r.format === 'faultline-report' && r.host === 'k8s-cp-01'));
    assert.ok(records.every((r) => r.time === utc('2025-11-14T02:57:40Z') && r.timeQuality === 'exact'));
    const rows = records.filter((r) => / D /.test(r.message));
    assert.deepEqual(
      rows.map((r) => [r.source.line, r.pid, r.message]),
      [
        [
          1,
          25860,
          '25860 D rpc_wait_bit_killable loki subsystem=nfs pod=3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b container=5c0ffee1d2e3 mount=/var/lib/kubelet/pods/3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b/volumes/kubernetes.io~csi/pvc-1a2b/mount server=172.16.0.5',
        ],
        [1, 3121, '3121 D folio_wait_bit_common promtail subsystem=nfs'],
        [2, 3121, '3121 D folio_wait_bit_common promtail subsystem=nfs'],
      ],
    );
    assert.equal(records.length, 3 + 8 + 2 + 2);
  });

  it('the hung-task signatures classify them: a D-state task in the NFS client, its frames folded', async () => {
    const { records } = await collect([file]);
    const report = await analyze(records, [file]);
    const ps = report.events.find((e) => e.signature === 'hung-task.d-state-ps');
    assert.equal(ps?.fields.task, 'loki');
    assert.equal(ps?.fields.wchan, 'rpc_wait_bit_killable');
    const frames = report.events.find((e) => e.signature === 'hung-task.nfs-frame');
    assert.match(frames?.fields.frames ?? '', /^rpc_wait_bit_killable, __rpc_execute, .*nfs_getattr$/);
  });

  it('reports a line that is not a usable report, and goes on', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const bad = join(mkdtempSync(join(tmpdir(), 'fl-agentcore-report-')), 'r.jsonl');
    writeFileSync(bad, '{"lastWords": 1, "x": \n{"t":"last-words","words":{"at":"nope","blocked":[]}}\n');
    const { problems } = await collect([bad]);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!.reason, /not JSON/);
    assert.match(problems[1]!.reason, /without last words/);
  });
});

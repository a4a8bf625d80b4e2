import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { main } from '../../src/cli/main.ts';
import { TIMELINE_JSON_SCHEMA } from '../../src/timeline/reporters/schema.ts';
import { captureIO } from '../helpers/io.ts';
import { requireExecutable } from '../helpers/lab.ts';

const SEED = 'test/fixtures/timeline/seed';
const FILES = ['kernel.short-iso.log', 'k3s-dns.json', 'k3s-cni.short.log', 'events.json'];

interface JsonEvent {
  time: string | null;
  host: string | null;
  family: string;
  families: string[];
  reporter: string;
  object: { kind: string; name: string } | null;
  signature: string;
  fields: Record<string, string>;
  source: { file: string; line: number };
  message: string;
  folded: { message: string }[];
}
interface JsonLink {
  from: string;
  to: string;
  relation: string;
  why: string;
  firstEvidence: { time: string; source: { file: string; line: number }; message: string };
}

async function run(format: string): Promise<string> {
  const io = captureIO({ cwd: join(process.cwd(), SEED) });
  const code = await main(['timeline', '--year', '2025', '--format', format, ...FILES], io);
  assert.equal(code, 0, io.err());
  return io.out();
}

describe('faultline timeline over the seed incident (Done-when of issue 3)', async () => {
  const report = JSON.parse(await run('json')) as {
    events: JsonEvent[];
    chain: JsonLink[];
    incidents: { host: string; endedBy: string; nfsOutages: { server: string; end: string | null }[] }[];
    hypotheses: unknown[];
    stats: { unparsed: number; events: number };
  };
  const at = (hms: string) => report.events.filter((e) => e.time === `2025-11-14T${hms}.000Z`);

  it('reads every line of the four inputs', () => {
    assert.equal(report.stats.unparsed, 0);
    for (const e of report.events) assert.equal(e.host, 'k8s-cp-01');
  });

  it('02:54:55 NFS writes blocking: the nfs_write_begin / nfs_file_write frames, one event', () => {
    const [e, ...rest] = at('02:54:55');
    assert.equal(rest.length, 0);
    // A task stuck inside the NFS client: evidence for NFS (the cause) and for a hung task.
    assert.deepEqual(e?.families, ['nfs', 'hung-task']);
    assert.equal(e?.reporter, 'kernel');
    assert.equal(e?.fields.frames, 'nfs_write_begin, nfs_file_write');
    assert.deepEqual(e?.source, { file: 'kernel.short-iso.log', line: 1 });
    assert.equal(e?.message, 'nfs_write_begin+0xa8/0x590 [nfs]');
    assert.deepEqual(
      e?.folded.map((f) => f.message),
      ['nfs_file_write+0x1d0/0x320 [nfs]'],
    );
  });

  it('02:57:18 NFS server truenas.home.lex.la not responding', () => {
    const [e] = at('02:57:18');
    assert.equal(e?.signature, 'nfs.server-not-responding');
    assert.equal(e?.fields.server, 'truenas.home.lex.la');
    assert.equal(report.incidents[0]?.nfsOutages[0]?.server, 'truenas.home.lex.la');
    assert.equal(report.incidents[0]?.nfsOutages[0]?.end, null);
  });

  it('02:58:40 DNS failures (lookup … Try again)', () => {
    const dns = at('02:58:40').filter((e) => e.signature.startsWith('dns.'));
    assert.deepEqual(
      dns.map((e) => e.fields.host),
      ['quay.io', 'ghcr.io'],
    );
    assert.ok(dns.every((e) => e.signature === 'dns.try-again' && e.source.file === 'k3s-dns.json'));
    const pulls = report.events.filter((e) => e.signature === 'kubelet.image-pull-lookup');
    // The pull failed because the lookup did: a DNS failure first, a pod failure second.
    assert.ok(pulls.every((e) => e.families.join() === 'dns,kubelet'));
    assert.deepEqual(
      pulls.map((e) => [e.time, e.fields.host, e.fields.lookupError]),
      [
        ['2025-11-14T02:58:40.000Z', 'quay.io', 'Try again'],
        ['2025-11-14T02:58:41.000Z', 'ghcr.io', 'Try again'],
      ],
    );
  });

  it('02:59:00 loki:25860 blocked 368 s, its call trace folded in', () => {
    const [e] = at('02:59:00');
    assert.equal(e?.signature, 'hung-task.blocked');
    assert.equal(e?.fields.task, 'loki');
    assert.equal(e?.fields.pid, '25860');
    assert.equal(e?.fields.seconds, '368');
    assert.equal(e?.fields.state, 'D');
    assert.equal(e?.fields.blockedSince, '2025-11-14T02:52:52.000Z');
    assert.equal(e?.folded.length, 18);
    assert.match(e?.fields.frames ?? '', /nfs_write_begin, nfs_file_write/);
  });

  it('03:02:41 Cilium 429 and 03:02:52 sandbox failures', () => {
    const cni = at('03:02:41').filter((e) => e.signature.startsWith('cni.'));
    assert.equal(cni.length, 1);
    // The 03:02:41 sandbox event quotes the same 429: a CNI failure and a pod failure.
    const sandbox = at('03:02:41').find((e) => e.signature === 'kubelet.sandbox-failed');
    assert.deepEqual(sandbox?.families, ['cni', 'kubelet']);
    assert.deepEqual(sandbox?.object, {
      kind: 'pod',
      name: 'cert-manager/cert-manager-webhook-6d5b7cf5d9-kq2lp',
    });
    assert.equal(cni[0]?.signature, 'cni.endpoint-rate-limited');
    assert.match(cni[0]?.message ?? '', /\[PUT \/endpoint\/\{id\}\]\[429\] putEndpointIdTooManyRequests/);
    const sandboxes = at('03:02:52').filter((e) => e.signature === 'kubelet.sandbox-failed');
    assert.equal(sandboxes.length, 4);
    assert.deepEqual(sandboxes.map((e) => e.fields.namespace).filter(Boolean), [
      'monitoring',
      'argo',
      'security',
    ]);
  });

  it('events are in time order', () => {
    const times = report.events.map((e) => e.time ?? '');
    assert.deepEqual(times, [...times].sort());
  });

  it('chain: NFS → hung tasks → DNS → CNI → pods, observed only where a line shows it', () => {
    const chain = report.chain.map((l) => `${l.from}>${l.to}:${l.relation}`);
    assert.deepEqual(chain.slice(0, 4), [
      'storage>blocked-tasks:observed',
      'blocked-tasks>dns:likely',
      'dns>cni:likely',
      'cni>pods:observed',
    ]);
    const dnsCni = report.chain[2]!;
    assert.match(dnsCni.why, /15 s/);
    assert.match(dnsCni.why, /not by itself evidence that DNS failed/);
    assert.equal(dnsCni.firstEvidence.time, '2025-11-14T03:02:41.000Z');
    assert.deepEqual(dnsCni.firstEvidence.source, { file: 'k3s-cni.short.log', line: 1 });
    // The boot marker ends the incident; how the node got there is inferred.
    assert.equal(report.chain[4]?.to, 'reboot');
    assert.equal(report.chain[4]?.relation, 'likely');
    assert.equal(report.incidents[0]?.endedBy, 'reboot');
  });

  it('the JSON report matches the published schema, with hypotheses, folded lines and a chain in it', () => {
    // The reporter's own schema test has no hypothesis and no folded line; this report has them all.
    assert.ok(report.hypotheses.length > 0, 'hypotheses');
    assert.ok(
      report.events.some((e) => e.folded.length > 0),
      'folded lines',
    );
    assert.ok(report.chain.length > 0, 'chain');
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    addFormats.default(ajv);
    assert.ok(ajv.validate(TIMELINE_JSON_SCHEMA, report), ajv.errorsText());
  });

  it('markdown: the post-mortem draft in the seed’s shape', async () => {
    const md = await run('markdown');
    assert.match(md, /^# Post-mortem draft: NFS → hung tasks → DNS → CNI → pods → reboot/);
    for (const h of [
      '## Summary',
      '## Timeline (UTC)',
      '## Cascade chain',
      '## Evidence',
      '## Unparsed lines and errors',
      '## What is inferred',
    ])
      assert.ok(md.includes(`\n${h}\n`), h);
    assert.match(
      md,
      /\| 2025-11-14 02:57:18 \| k8s-cp-01 \| nfs \| NFS server truenas\.home\.lex\.la not responding \(still trying\) \| \[kernel\.short-iso\.log:3\]/,
    );
    assert.ok(
      md.includes('```log\nINFO: task loki:25860 blocked for more than 368 seconds.\n      Not tainted'),
    );
    assert.match(md, /DNS → CNI\*\* — _likely_/);
  });

  it('examples/timeline holds the same fixture (the README demo)', () => {
    for (const f of FILES)
      assert.equal(
        readFileSync(join('examples/timeline', f), 'utf8'),
        readFileSync(join(SEED, f), 'utf8'),
        f,
      );
  });

  it('the same incident from a real binary .journal (systemd-journal-remote → journalctl --file)', async () => {
    const python = requireExecutable('python3', 'python3');
    requireExecutable('/lib/systemd/systemd-journal-remote', 'systemd-journal-remote');
    requireExecutable('journalctl', 'systemd');
    const dir = mkdtempSync(join(tmpdir(), 'faultline-seed-journal-'));
    try {
      const journal = join(dir, 'seed.journal');
      const built = spawnSync(python, ['build.py', '--journal', journal], { cwd: SEED, encoding: 'utf8' });
      assert.equal(built.status, 0, built.stderr);
      const io = captureIO({ cwd: join(process.cwd(), SEED) });
      assert.equal(await main(['timeline', '--format', 'json', journal, 'events.json'], io), 0, io.err());
      const fromJournal = JSON.parse(io.out()) as typeof report;
      const key = (r: typeof report) =>
        r.events.map((e) => [e.time, e.signature, e.message, e.folded.length]);
      assert.deepEqual(key(fromJournal), key(report));
      assert.deepEqual(
        fromJournal.chain.map((l) => [l.from, l.to, l.relation]),
        report.chain.map((l) => [l.from, l.to, l.relation]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The DaemonSet's comments make claims about what each privilege is for. These tests check those
 * claims on the real kernel: a process with all capabilities dropped (as in the container) is run
 * with setpriv, with and without the capability the manifest adds.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireExecutable } from '../helpers/lab.ts';

/** Run argv as uid 0 holding only `caps` (e.g. ['syslog']), like the agent container. */
function withCaps(caps: string[], argv: string[]): { status: number | null; out: string } {
  const setpriv = requireExecutable('setpriv', 'util-linux');
  const set = ['-all', ...caps.map((c) => `+${c}`)].join(',');
  const r = spawnSync(
    setpriv,
    [
      '--reuid=0',
      '--regid=0',
      '--clear-groups',
      `--inh-caps=${set}`,
      `--ambient-caps=${set}`,
      `--bounding-set=${set}`,
      '--',
      ...argv,
    ],
    { encoding: 'utf8', timeout: 20_000 },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Read at most one block without waiting (for /dev/kmsg, which otherwise blocks at the end). */
const readOnce = (path: string) => [
  'dd',
  `if=${path}`,
  'bs=8192',
  'count=1',
  'iflag=nonblock',
  'status=none',
];

describe('DaemonSet privileges do what the manifest says', () => {
  let target: ChildProcess;
  const scratch = mkdtempSync(join(tmpdir(), 'faultline-priv-'));
  let server: Server | undefined;

  before(() => {
    assert.equal(process.getuid?.(), 0, 'these checks run as root (as CI does): the agent runs as uid 0');
    // A root process with full capabilities, like most host daemons the agent looks at.
    target = spawn('sleep', ['600'], { stdio: 'ignore' });
  });
  after(() => {
    target.kill('SIGKILL');
    server?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('/dev/kmsg needs CAP_SYSLOG when kernel.dmesg_restrict=1', () => {
    const restrict = readFileSync('/proc/sys/kernel/dmesg_restrict', 'utf8').trim();
    const without = withCaps([], readOnce('/dev/kmsg'));
    const withSyslog = withCaps(['syslog'], readOnce('/dev/kmsg'));
    assert.equal(withSyslog.status, 0, withSyslog.out);
    assert.match(withSyslog.out, /^\d+,\d+,\d+,/, 'a kmsg record: "prio,seq,usec,flags;text"');
    if (restrict === '1') {
      assert.notEqual(without.status, 0);
      assert.match(without.out, /Operation not permitted/);
    } else {
      assert.equal(
        without.status,
        0,
        'with dmesg_restrict=0 anyone may read; SYSLOG is for restricted nodes',
      );
    }
  });

  it('/proc/PID/wchan of a fully privileged process needs CAP_SYS_PTRACE', () => {
    const wchan = `/proc/${target.pid}/wchan`;
    const without = withCaps([], ['cat', wchan]);
    const withPtrace = withCaps(['sys_ptrace'], ['cat', wchan]);
    assert.equal(without.out.trim(), '0', 'the kernel hides the wait channel');
    assert.match(withPtrace.out.trim(), /^[a-z_][a-z0-9_.]*$/, `a kernel symbol, got '${withPtrace.out}'`);
    assert.notEqual(withPtrace.out.trim(), '0');
  });

  it('/proc/PID/stack would also need CAP_SYS_ADMIN (not granted)', () => {
    const stack = `/proc/${target.pid}/stack`;
    const ptraceOnly = withCaps(['sys_ptrace'], ['cat', stack]);
    const adminToo = withCaps(['sys_ptrace', 'sys_admin'], ['cat', stack]);
    assert.notEqual(ptraceOnly.status, 0);
    assert.match(ptraceOnly.out, /Permission denied|Operation not permitted/);
    assert.equal(adminToo.status, 0, adminToo.out);
    assert.match(adminToo.out, /\[<0>\] \w+/);
  });

  it('host /proc mounted into another PID namespace shows host processes (no hostPID needed)', () => {
    const unshare = requireExecutable('unshare', 'util-linux');
    const hostProc = join(scratch, 'host-proc');
    mkdirSync(hostProc);
    // In a new mount + PID namespace: bind the host's procfs aside, then mount the namespace's own.
    const script = `mount --bind /proc ${hostProc} && mount -t proc proc /proc && echo own=$(ls /proc | grep -c '^[0-9]') host=$(ls ${hostProc} | grep -c '^[0-9]') && test -e ${hostProc}/${target.pid}/stat && echo target-visible && readlink ${hostProc}/self`;
    const r = spawnSync(unshare, ['--mount', '--pid', '--fork', 'sh', '-c', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const m = /own=(\d+) host=(\d+)/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.ok(Number(m[1]) <= 8, `own PID namespace holds only the shell pipeline (${m[1]})`);
    assert.ok(Number(m[2]) > Number(m[1]) + 5, `host procfs shows host processes (${m[2]})`);
    assert.match(r.stdout, /target-visible/);
    // /host/proc/self resolves to the reader's PID in the host namespace (so self/mountinfo works).
    assert.match(r.stdout.trim().split('\n').pop()!, /^\d+$/);
  });

  it('connect() to a unix socket works through a read-only mount (the Cilium socket)', async () => {
    const unshare = requireExecutable('unshare', 'util-linux');
    const src = join(scratch, 'sock');
    const ro = join(scratch, 'ro');
    mkdirSync(src);
    mkdirSync(ro);
    server = createServer((c) => c.end('hello\n'));
    await new Promise<void>((resolve) => server!.listen(join(src, 'agent.sock'), resolve));
    const client = `require('net').connect('${ro}/agent.sock').on('data',d=>{process.stdout.write(d);process.exit(0)}).on('error',e=>{console.log(e.code);process.exit(3)})`;
    const script = `mount --bind ${src} ${ro} && mount -o remount,bind,ro ${ro} && grep -q " ${ro} ro," /proc/self/mountinfo && echo ro-mounted && ${process.execPath} -e "${client}"`;
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn(unshare, ['--mount', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      p.on('close', (code) => resolve({ code, out }));
    });
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /ro-mounted\nhello/);
  });
});

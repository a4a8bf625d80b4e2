/**
 * Each privilege deploy/kubernetes/daemonset.yaml keeps (or drops) is proved here, on this kernel,
 * the way Kubernetes applies it: a root container with `drop: [ALL]` and `add: [X]` has exactly X in
 * its bounding and permitted sets, which is what `setpriv --bounding-set -all,+x` gives a root process.
 * The table in docs/agent/deploy.md cites these tests by name.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { requireExecutable } from '../helpers/lab.ts';

const setpriv = requireExecutable('setpriv', 'util-linux');
const dir = mkdtempSync(join(tmpdir(), 'fl-agentprod-priv-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Run argv as root with only `caps` (e.g. ['sys_ptrace']), or as `uid` with none. */
function as(who: { caps?: string[]; uid?: number }, argv: string[]) {
  const bounding = ['-all', ...(who.caps ?? []).map((c) => `+${c}`)].join(',');
  const ids =
    who.uid === undefined ? [] : ['--reuid', String(who.uid), '--regid', String(who.uid), '--clear-groups'];
  return spawnSync(setpriv, [...ids, '--bounding-set', bounding, '--inh-caps', '-all', ...argv], {
    encoding: 'utf8',
  });
}

/** A sleeping process of another user (another pod), with a secret in its environment. */
function otherUsersProcess(): number {
  const c = spawn(
    setpriv,
    ['--reuid', '1000', '--regid', '1000', '--clear-groups', 'env', '-i', 'SECRET=hunter2', 'sleep', '300'],
    {
      stdio: 'ignore',
    },
  );
  children.push(c);
  return c.pid!;
}

async function sleeping(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (/\) S /.test(stat) && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep') return;
    } catch {}
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`process ${pid} never slept`);
}

describe('privileges the agent needs, proved on this kernel', () => {
  it('no capability: D-state counting works (/proc/PID/stat), another user’s environment is unreadable', async () => {
    const pid = otherUsersProcess();
    await sleeping(pid);
    const stat = as({}, ['cat', `/proc/${pid}/stat`]);
    assert.equal(stat.status, 0, stat.stderr);
    assert.match(stat.stdout, /\(sleep\) S /);
    const env = as({}, ['cat', `/proc/${pid}/environ`]);
    assert.notEqual(env.status, 0);
    assert.match(env.stderr, /Permission denied/);
  });

  it('SYS_PTRACE is what /proc/PID/wchan of another user’s process needs (so it is dropped: wchan reads "0")', async () => {
    const pid = otherUsersProcess();
    await sleeping(pid);
    assert.equal(as({}, ['cat', `/proc/${pid}/wchan`]).stdout.trim(), '0');
    const withPtrace = as({ caps: ['sys_ptrace'] }, ['cat', `/proc/${pid}/wchan`]).stdout.trim();
    assert.match(withPtrace, /^[a-z_0-9.]+$/);
    assert.notEqual(withPtrace, '0');
  });

  it('SYSLOG is what /dev/kmsg needs while kernel.dmesg_restrict=1', () => {
    const restrict = readFileSync('/proc/sys/kernel/dmesg_restrict', 'utf8').trim();
    const open = (caps: string[]) =>
      as({ caps }, [
        process.execPath,
        '-e',
        "require('fs').closeSync(require('fs').openSync('/dev/kmsg','r'))",
      ]);
    assert.equal(open(['syslog']).status, 0, 'opens with SYSLOG');
    const without = open([]);
    if (restrict === '1') {
      assert.notEqual(without.status, 0);
      assert.match(without.stderr, /EPERM/);
    } else {
      // dmesg_restrict=0: no capability needed; the DaemonSet keeps SYSLOG for the nodes where it is 1.
      assert.equal(without.status, 0);
    }
  });

  it('uid 0 (no capability) is what host mountstats and mounts under 0750 root directories need', () => {
    // /proc/1/mountstats is 0400 root: the owner may read it without any capability, others may not.
    assert.equal(as({}, ['cat', '/proc/1/mountstats']).status, 0);
    const nonRoot = as({ uid: 65532 }, ['cat', '/proc/1/mountstats']);
    assert.notEqual(nonRoot.status, 0);
    assert.match(nonRoot.stderr, /Permission denied/);
    // Pod volumes (NFS PVs) sit under /var/lib/kubelet/pods, mode 0750 root: stat from the probe child.
    const pods = join(dir, 'pods');
    mkdirSync(join(pods, 'uid/volumes/kubernetes.io~nfs/data'), { recursive: true });
    chmodSync(pods, 0o750);
    const target = join(pods, 'uid/volumes/kubernetes.io~nfs/data');
    assert.equal(as({}, ['stat', target]).status, 0);
    const nonRootStat = as({ uid: 65532 }, ['stat', target]);
    assert.notEqual(nonRootStat.status, 0);
    assert.match(nonRootStat.stderr, /Permission denied/);
  });

  it('mountinfo and PSI of the host need nothing', () => {
    assert.equal(as({ uid: 65532 }, ['cat', '/proc/1/mountinfo']).status, 0);
    const psi = as({ uid: 65532 }, ['cat', '/proc/pressure/io']);
    assert.equal(psi.status, 0, psi.stderr);
    assert.match(psi.stdout, /^some avg10=/);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  classifyStack,
  frameKind,
  isNfsClientFrame,
  nfsClientFrameLineSource,
  parseFrame,
  parseStack,
  type Subsystem,
} from '../../src/kernel/stack.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/agent/dstate/${name}`, import.meta.url), 'utf8');

/**
 * Real stacks (frames re-typed from the cited report, trimmed to the telling part) and the subsystem
 * each task waits on. The union of what the agent's D-state classifier and the timeline's hung-task
 * signatures were tested on, plus public reports of both sides of NFS.
 */
const STACKS: { source: string; wchan?: string; stack: string; openFiles?: string[]; want: Subsystem }[] = [
  {
    source: 'lab: `stat` on a mount of a paused nfs-ganesha (test/fixtures/agent/dstate/stack-nfs)',
    wchan: 'rpc_wait_bit_killable',
    stack: fixture('stack-nfs'),
    want: 'nfs',
  },
  {
    source: 'lab: page fault on a frozen bindfs mount (test/fixtures/agent/dstate/stack-pagefault)',
    wchan: 'folio_wait_bit_common',
    stack: fixture('stack-pagefault'),
    openFiles: ['ext4', 'fuse.bindfs'],
    want: 'fuse',
  },
  {
    source: 'lab: the same page-fault stack with an NFS file open',
    stack: fixture('stack-pagefault'),
    openFiles: ['nfs4'],
    want: 'nfs',
  },
  {
    source: 'lab: the same page-fault stack, only local files open',
    stack: fixture('stack-pagefault'),
    openFiles: ['ext4'],
    want: 'block',
  },
  { source: 'lab: ext4 waiting for a block tag (stack-block)', stack: fixture('stack-block'), want: 'block' },
  {
    source: 'lab: FUSE request never answered (wchan only)',
    wchan: 'request_wait_answer',
    stack: '',
    want: 'fuse',
  },
  { source: 'lab: msleep, nothing telling', wchan: 'msleep', stack: '', want: 'other' },
  {
    source: 'seed incident kernel log (test/fixtures/timeline/seed): loki writing to NFS',
    stack: [
      ' __schedule+0x3f0/0xb20',
      ' nfs_write_begin+0xa8/0x590 [nfs]',
      ' generic_perform_write+0xbc/0x1f0',
      ' nfs_file_write+0x1d0/0x320 [nfs]',
    ].join('\n'),
    want: 'nfs',
  },
  {
    source:
      'http://jurjenbokma.com/ApprenticesNotes/kerberized_nfs4_riddle.xhtml (client GSS upcall to rpc.gssd)',
    stack: [
      ' [<ffffffff81807a40>] _raw_spin_lock+0x20/0x30',
      ' [<ffffffffc0146d50>] gss_setup_upcall+0x160/0x390 [auth_rpcgss]',
      ' [<ffffffffc0147b8e>] gss_cred_init+0xce/0x350 [auth_rpcgss]',
      ' [<ffffffffc00df473>] rpcauth_lookup_credcache+0x1e3/0x280 [sunrpc]',
      ' [<ffffffffc00cfb6c>] call_refresh+0x3c/0x70 [sunrpc]',
    ].join('\n'),
    want: 'nfs',
  },
  {
    source:
      'https://github.com/raspberrypi/linux/issues/2482 (cp/gzip on NFS: writeback wait under io_schedule)',
    stack: [
      '[<0>] io_schedule+0x14/0x3c',
      '[<0>] wait_on_page_bit+0x110/0x15c',
      '[<0>] filemap_write_and_wait+0x58/0x7c',
      '[<0>] nfs_wb_all+0x14/0x15c',
      '[<0>] nfs_setattr+0x280/0x2a4',
    ].join('\n'),
    want: 'nfs',
  },
  {
    source: 'https://github.com/openzfs/zfs/issues/2628 (nfsd thread on ZFS: the node is the server)',
    stack: [
      ' [<ffffffff8134fa62>] ? mutex_lock+0x1a/0x2d',
      ' [<ffffffffa0b46a6c>] ? zfs_zget+0x39/0x19c [zfs]',
      ' [<ffffffffa0368037>] ? fh_verify+0x277/0x477 [nfsd]',
      ' [<ffffffffa031ef15>] ? svcauth_unix_set_client+0x221/0x29d [sunrpc]',
      ' [<ffffffffa036f741>] ? nfsd3_proc_getattr+0x54/0x8b [nfsd]',
      ' [<ffffffffa03657cd>] ? nfsd_dispatch+0xd7/0x1ba [nfsd]',
      ' [<ffffffffa031ac3f>] ? svc_process_common+0x2c3/0x4c4 [sunrpc]',
      ' [<ffffffffa031b050>] ? svc_process+0x110/0x12c [sunrpc]',
    ].join('\n'),
    want: 'nfsd',
  },
  {
    source: 'https://github.com/openzfs/zfs/pull/2828 (nfsd4 state lock: nfs4_* names in module nfsd)',
    stack: [
      ' [<ffffffff816460e3>] mutex_lock+0x23/0x40',
      ' [<ffffffffa0689705>] nfs4_lock_state+0x15/0x20 [nfsd]',
      ' [<ffffffffa068b559>] nfsd4_renew+0x49/0xb0 [nfsd]',
      ' [<ffffffffa067fc71>] nfsd4_proc_compound+0x3f1/0x580 [nfsd]',
      ' [<ffffffffa062297c>] svc_process_common+0x30c/0x530 [sunrpc]',
      ' [<ffffffffa0622ef2>] svc_process+0x112/0x160 [sunrpc]',
    ].join('\n'),
    want: 'nfsd',
  },
  {
    source: 'https://github.com/openzfs/zfs/issues/1060 (nfsd COMMIT waiting on the ZFS intent log)',
    stack: [
      ' [<ffffffffa01c4673>] __cv_wait+0x13/0x20 [spl]',
      ' [<ffffffffa031b704>] zil_commit+0x74/0x6a0 [zfs]',
      ' [<ffffffff811a54dd>] vfs_fsync+0x1d/0x20',
      ' [<ffffffffa04d7dcb>] nfsd_commit+0x6b/0xa0 [nfsd]',
      ' [<ffffffffa04d043e>] nfsd_dispatch+0xfe/0x240 [nfsd]',
    ].join('\n'),
    want: 'nfsd',
  },
  {
    source:
      'https://help.univention.com/t/info-task-name-pid-blocked-for-more-than-120-seconds/15012 (jbd2 commit)',
    stack: [
      ' [<ffffffff8de182d7>] ? bit_wait_io+0x17/0x60',
      ' [<ffffffff8de17e95>] ? __wait_on_bit+0x55/0x80',
      ' [<ffffffffc041afe9>] ? jbd2_journal_commit_transaction+0xf59/0x17c0 [jbd2]',
      ' [<ffffffffc041fc72>] ? kjournald2+0xc2/0x260 [jbd2]',
    ].join('\n'),
    want: 'block',
  },
  {
    source:
      'https://chenxiaosong.com/course/nfs/issue/nfs-hung-task.html (NFS client waiting on a VFS lock another NFS task holds)',
    stack: [
      ' rwsem_down_write_failed+0x19b/0x2c0',
      ' call_rwsem_down_write_failed+0x17/0x30',
      ' down_write+0x2d/0x40',
      ' do_last+0x3c5/0x8b0',
      ' path_openat+0x8b/0x2c0',
    ].join('\n'),
    want: 'other',
  },
  { source: 'ps wchan of an nfsd thread (no stack readable)', wchan: 'nfsd_open', stack: '', want: 'nfsd' },
  { source: 'ps wchan of an idle-looking nfsd thread', wchan: 'svc_recv', stack: '', want: 'nfsd' },
];

describe('kernel stack classifier on real stacks', () => {
  for (const s of STACKS) {
    it(`${s.want}: ${s.source}`, () => {
      assert.equal(classifyStack(s.wchan ?? '', parseStack(s.stack), s.openFiles), s.want);
    });
  }
});

describe('the disagreements of the old copies, settled by the kernel tree', () => {
  // Before: the agent called svc_process/nfsd_* "other" and nfs4_lock_state [nfsd] "nfs"; the
  // timeline called svc_process [sunrpc] and nfsd_open (prefix "nfs") NFS-client frames.
  const cases: [string, string | undefined, boolean][] = [
    ['svc_process', 'sunrpc', false],
    ['svc_process', undefined, false],
    ['nfsd_open', 'nfsd', false],
    ['nfsd_open', undefined, false],
    ['nfs4_lock_state', 'nfsd', false],
    ['gss_cred_init', 'auth_rpcgss', true],
    ['gss_cred_init', undefined, true],
    ['svcauth_gss_accept', 'auth_rpcgss', false],
    ['call_transmit', 'sunrpc', true],
    ['wait_on_commit', 'nfs', true],
    ['nlmclnt_lock', 'lockd', true],
    ['nlmsvc_lock', 'lockd', false],
    ['rpc_wait_bit_killable', undefined, true],
    ['fuse_simple_request', 'fuse', false],
    ['mutex_lock', undefined, false],
  ];
  for (const [symbol, module, client] of cases) {
    it(`${symbol}${module ? ` [${module}]` : ''} is ${client ? '' : 'not '}NFS client code`, () => {
      assert.equal(isNfsClientFrame(symbol, module), client);
    });
  }
  it('an NFS server thread is "nfsd", not a task waiting on an NFS server', () => {
    assert.equal(frameKind('svc_process', 'sunrpc'), 'nfs-server');
    assert.equal(classifyStack('', [{ symbol: 'nfs4_lock_state', module: 'nfsd' }]), 'nfsd');
  });
});

describe('the timeline regex compiled from the same tables', () => {
  const line = new RegExp(nfsClientFrameLineSource());
  const frameLines = STACKS.flatMap((s) => s.stack.split('\n')).filter((l) => parseFrame(l));
  it('agrees with frameKind on every frame of the table', () => {
    assert.ok(frameLines.length > 40);
    for (const l of frameLines) {
      const f = parseFrame(l)!;
      assert.equal(line.test(l), isNfsClientFrame(f.symbol, f.module), l);
    }
  });
  it('agrees on synthetic frames of every module/side combination', () => {
    const symbols = [
      'nfs_getattr',
      'nfs4_lock_state',
      'svc_recv',
      'nfsd_open',
      'call_bind',
      'gss_cred_init',
      'rsc_lookup',
      'fuse_readpage',
      'zfs_zget',
    ];
    const modules = [undefined, 'nfs', 'nfsv4', 'nfsd', 'sunrpc', 'auth_rpcgss', 'lockd', 'fuse', 'zfs'];
    for (const sym of symbols)
      for (const mod of modules) {
        const l = ` ${sym}+0x1e/0xa0${mod ? ` [${mod}]` : ''}`;
        assert.equal(line.test(l), isNfsClientFrame(sym, mod), l);
      }
  });
});

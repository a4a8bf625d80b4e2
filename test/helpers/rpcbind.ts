/**
 * rpcbind for the ganesha tests, on loopback only, started only when a test needs it and stopped by the
 * test runner (scripts/test.mjs) when the run ends.
 *
 * ganesha.nfsd hangs at start-up if it cannot register with the portmapper, and the portmapper must be
 * on port 111. A plain `rpcbind` listens on 0.0.0.0:111 and [::]:111 (TCP and UDP); `-h` only narrows
 * UDP and crashes under socket activation. So rpcbind gets its TCP socket pre-bound on 127.0.0.1:111 by
 * systemd-socket-activate, plus its unix socket, and sees a private /etc/netconfig (bind-mounted in its
 * own mount namespace) that lists no other transport: it opens nothing else.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireExecutable, requireRoot } from './lab.ts';

/** Where the runner (scripts/test.mjs) finds the rpcbind the tests started, to stop it at the end. */
export const RPCBIND_PID_FILE = join(tmpdir(), 'faultline-test-rpcbind.pid');
const NETCONFIG = `tcp        tpi_cots_ord  v     inet     tcp     -       -
local      tpi_cots_ord  -     loopback  -      -       -
unix       tpi_cots_ord  -     loopback  -      -       -
`;

/** Make sure a portmapper answers on 127.0.0.1:111; start a loopback-only one if none does. */
export function ensureRpcbind(): void {
  const rpcinfo = requireExecutable('rpcinfo', 'rpcbind');
  const up = () => spawnSync(rpcinfo, ['-p', '127.0.0.1'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  if (up()) return;
  requireRoot('start rpcbind on port 111 for ganesha');
  const rpcbind = requireExecutable('rpcbind', 'rpcbind');
  const activate = requireExecutable('systemd-socket-activate', 'systemd');
  const unshare = requireExecutable('unshare', 'util-linux');
  const netconfig = join(tmpdir(), 'faultline-test-rpcbind.netconfig');
  writeFileSync(netconfig, NETCONFIG);
  // A socket file left by an rpcbind that died would make the bind fail; nothing answers, so it is stale.
  rmSync('/run/rpcbind.sock', { force: true });
  const child = spawn(
    unshare,
    [
      '--mount',
      'sh',
      '-c',
      'mount --bind "$1" /etc/netconfig && exec "$2" -l 127.0.0.1:111 -l /run/rpcbind.sock "$3" -f -w',
      'rpcbind-loopback',
      netconfig,
      activate,
      rpcbind,
    ],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  // Another test process may have won the race for port 111: then its rpcbind answers and this one exits.
  for (let i = 0; i < 100 && !up(); i++) spawnSync('sleep', ['0.05']);
  if (!up()) throw new Error('rpcbind did not come up on 127.0.0.1:111 (needed by ganesha.nfsd)');
  if (child.pid !== undefined && child.exitCode === null && !existsSync(RPCBIND_PID_FILE)) {
    writeFileSync(RPCBIND_PID_FILE, `${child.pid}\n`);
  }
}

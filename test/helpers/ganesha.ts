/**
 * A real NFS server for tests: nfs-ganesha (user space, NFSv3 + v4 over TCP) on 127.0.0.1, free ports.
 * `pause()` is SIGSTOP: the kernel still completes TCP handshakes, but no
 * RPC (not even NULL) is answered, which is what a dead NFS server looks like from a client.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { requireExecutable } from './lab.ts';
import { freePorts } from './ports.ts';
import { logReader, serverControls, spawnGroup, waitUntil } from './process-group.ts';
import { ensureRpcbind } from './rpcbind.ts';

export interface Ganesha {
  host: string;
  /** NFS port (program 100003, v3 and v4). */
  port: number;
  /** MOUNT protocol port (program 100005, v3). */
  mountPort: number;
  pid: number;
  exportDir: string;
  /** SIGSTOP: TCP still connects, RPCs go unanswered. */
  pause(): void;
  resume(): void;
  /** Kill the process group and remove the temporary directory. Safe to call twice. */
  stop(): Promise<void>;
  /** The server's log so far (for failure messages). */
  log(): string;
}

function config(dir: string, exportDir: string, port: number, mountPort: number): string {
  return `NFS_CORE_PARAM {
  NFS_Port = ${port}; MNT_Port = ${mountPort}; Bind_addr = 127.0.0.1;
  Protocols = 3, 4; Enable_NLM = false; Enable_RQUOTA = false;
}
NFSV4 { Graceless = true; RecoveryRoot = ${join(dir, 'recovery')}; }
EXPORT {
  Export_Id = 1; Path = ${exportDir}; Pseudo = /export; Access_Type = RW;
  Squash = No_Root_Squash; Protocols = 3, 4; Transports = TCP; SecType = sys;
  FSAL { Name = VFS; }
}
`;
}

// rpcbind must be up before ganesha starts or ganesha hangs registering (test/helpers/rpcbind.ts).
export async function startGanesha(opts: { exportDir?: string } = {}): Promise<Ganesha> {
  const bin = requireExecutable('ganesha.nfsd', 'nfs-ganesha nfs-ganesha-vfs');
  ensureRpcbind();
  let lastError = '';
  // Ports are free when picked but could be taken before ganesha binds them: retry a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-ganesha-'));
    const exportDir = opts.exportDir ?? join(dir, 'export');
    mkdirSync(exportDir, { recursive: true });
    mkdirSync(join(dir, 'recovery'));
    const [port, mountPort] = (await freePorts(2)) as [number, number];
    const conf = join(dir, 'ganesha.conf');
    const logFile = join(dir, 'ganesha.log');
    writeFileSync(conf, config(dir, exportDir, port, mountPort));
    const server = spawnGroup(
      bin,
      ['-F', '-f', conf, '-L', logFile, '-p', join(dir, 'ganesha.pid'), '-N', 'NIV_EVENT'],
      { stdio: 'ignore' },
    );
    const log = logReader(logFile);
    const ready = await waitUntil(
      () => server.exited() || log().includes('NFS SERVER INITIALIZED'),
      20_000,
      50,
    );
    const controls = serverControls(server, dir);
    if (ready && !server.exited()) {
      return {
        host: '127.0.0.1',
        port,
        mountPort,
        pid: server.pid,
        exportDir,
        log,
        ...controls,
      };
    }
    lastError = log().split('\n').slice(-15).join('\n');
    await controls.stop();
  }
  throw new Error(`ganesha.nfsd did not start (3 attempts); last log:\n${lastError}`);
}

/** nfs-ganesha for the enclosing describe: started before its tests, stopped after them. */
export function suiteGanesha(): () => Ganesha {
  let g: Ganesha | undefined;
  before(async () => {
    g = await startGanesha();
  });
  after(async () => g?.stop());
  return () => g!;
}

/**
 * The drill's lab inside the test's network namespace: loopback up (plus 127.0.0.2 for a second
 * resolver), a private /run for rpcbind, nfs-ganesha on loopback, two dnsmasq resolvers on port 53
 * (glibc's resolv.conf has no port), /etc/resolv.conf bind-mounted to the test's file, a webhook receiver
 * and the faultline agent. Only valid inside runInNetns (it mounts over /run and /etc/resolv.conf).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { otherProbesOff } from '../agent/probes-off.ts';
import { eventually } from '../helpers/eventually.ts';
import { requireExecutable } from '../helpers/lab.ts';
import { freePorts } from '../helpers/ports.ts';
import { type Group, logReader, spawnGroup, waitUntil } from '../helpers/process-group.ts';
import { insideNetns } from './netns.ts';

export const ROOT = join(import.meta.dirname, '../..');
/** Short timeouts so a failed lookup ends well inside the drill (glibc gives up after 2 s × 1). */
export const RESOLV_CONF = 'nameserver 127.0.0.1\noptions timeout:2 attempts:1\n';

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
}

export interface Lab {
  dir: string;
  nfsPort: number;
  ganeshaPid: number;
  receiverPort: number;
  agentPort: number;
  agentConfig: string;
  alerts: { check: string; status: string; title: string }[];
  stop(): Promise<void>;
}

/**
 * rpcbind first: ganesha hangs at start-up registering with a missing portmapper. In the foreground and
 * in its own group, so stop() ends it with the rest (a daemonized one outlived every drill test).
 */
async function startRpcbind(groups: Group[]): Promise<void> {
  const rpcbind = spawnGroup(requireExecutable('rpcbind', 'rpcbind'), ['-f', '-w'], { stdio: 'ignore' });
  groups.push(rpcbind);
  const rpcinfo = requireExecutable('rpcinfo', 'rpcbind');
  const portmapperUp = () =>
    spawnSync(rpcinfo, ['-p', '127.0.0.1'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  if (!(await waitUntil(() => rpcbind.exited() || portmapperUp(), 20_000, 50)) || rpcbind.exited())
    throw new Error('rpcbind did not come up inside the drill lab namespace');
}

/** nfs-ganesha exporting dir/export over NFSv3/v4 on loopback; resolves once it says it is initialized. */
async function startNfsServer(
  dir: string,
  nfsPort: number,
  mountPort: number,
  groups: Group[],
): Promise<Group> {
  const ganesha = requireExecutable('ganesha.nfsd', 'nfs-ganesha nfs-ganesha-vfs');
  mkdirSync(join(dir, 'export'));
  mkdirSync(join(dir, 'recovery'));
  // No Bind_addr: in a namespace with only loopback, ganesha's getaddrinfo(AI_ADDRCONFIG) fails for 127.0.0.1.
  writeFileSync(
    join(dir, 'ganesha.conf'),
    `NFS_CORE_PARAM { NFS_Port = ${nfsPort}; MNT_Port = ${mountPort}; Protocols = 3, 4; Enable_NLM = false; Enable_RQUOTA = false; }
NFSV4 { Graceless = true; RecoveryRoot = ${join(dir, 'recovery')}; }
EXPORT { Export_Id = 1; Path = ${join(dir, 'export')}; Pseudo = /export; Access_Type = RW; Squash = No_Root_Squash;
  Protocols = 3, 4; Transports = TCP; SecType = sys; FSAL { Name = VFS; } }
`,
  );
  const g = spawnGroup(
    ganesha,
    [
      '-F',
      '-f',
      join(dir, 'ganesha.conf'),
      '-L',
      join(dir, 'ganesha.log'),
      '-p',
      join(dir, 'ganesha.pid'),
      '-N',
      'NIV_EVENT',
    ],
    { stdio: 'ignore' },
  );
  groups.push(g);
  const glog = logReader(join(dir, 'ganesha.log'));
  if (!(await waitUntil(() => g.exited() || glog().includes('NFS SERVER INITIALIZED'), 30_000, 50)))
    throw new Error(`ganesha did not start:\n${glog()}`);
  return g;
}

/**
 * dnsmasq on 127.0.0.1 and 127.0.0.2 (the DNS= and FallbackDNS= servers), both answering
 * registry.drill.test; then this namespace's /etc/resolv.conf lists only the first.
 */
async function startResolvers(dir: string, groups: Group[]): Promise<void> {
  const dnsmasq = requireExecutable('dnsmasq', 'dnsmasq-base');
  for (const addr of ['127.0.0.1', '127.0.0.2']) {
    const log = join(dir, `dnsmasq-${addr}.log`);
    const d = spawnGroup(
      dnsmasq,
      [
        '--keep-in-foreground',
        '--port=53',
        `--listen-address=${addr}`,
        '--bind-interfaces',
        '--no-resolv',
        '--no-hosts',
        '--cache-size=0',
        '--host-record=registry.drill.test,10.1.2.3',
        `--pid-file=${join(dir, `dnsmasq-${addr}.pid`)}`,
        `--log-facility=${log}`,
      ],
      { stdio: 'ignore' },
    );
    groups.push(d);
    const read = logReader(log);
    if (!(await waitUntil(() => d.exited() || read().includes('started, version'), 10_000)))
      throw new Error(`dnsmasq on ${addr} did not start: ${read()}`);
  }
  // What resolved's uplink file (/run/systemd/resolve/resolv.conf) lists with DNS=127.0.0.1: only DNS=,
  // never FallbackDNS=. glibc in this namespace now resolves through it.
  writeFileSync(join(dir, 'resolv.conf'), RESOLV_CONF);
  sh('mount', ['--bind', join(dir, 'resolv.conf'), '/etc/resolv.conf']);
}

/** The webhook receiver the agent alerts: every JSON body it gets lands in `alerts`. */
async function startReceiver(port: number, alerts: Lab['alerts']): Promise<Server> {
  const receiver: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      try {
        alerts.push(JSON.parse(body));
      } catch {
        // not an alert
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', () => r()));
  return receiver;
}

/** The faultline agent probing the lab's NFS server and first resolver, alerting the receiver; resolves once it serves its NFS metric. */
async function startLabAgent(
  dir: string,
  p: { agentPort: number; nfsPort: number; receiverPort: number },
  groups: Group[],
): Promise<string> {
  const agentConfig = join(dir, 'agent.yaml');
  writeFileSync(
    agentConfig,
    `listen: 127.0.0.1:${p.agentPort}
node: fl-drill-node
stateDir: ${join(dir, 'state')}
interval: 1s
timeout: 1s
probes:
  nfs:
    servers: [127.0.0.1:${p.nfsPort}]
    versions: [3]
    discover: false
  mounts:
    discover: false
  dns:
    resolvers: [127.0.0.1:53]
    resolvConf: false
    systemdResolved: false
    names: [registry.drill.test]
    clusterNames: []
    queryTimeoutMs: 500
${otherProbesOff(['nfs', 'mounts', 'dns'])}alerts:
  sinks:
    - type: webhook
      name: lab
      url: http://127.0.0.1:${p.receiverPort}/alerts
      timeout: 2s
kubernetes:
  enabled: false
`,
  );
  const agent = spawnGroup(
    process.execPath,
    ['--import', 'tsx', 'src/cli/bin.ts', 'agent', '--config', agentConfig],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  groups.push(agent);
  await eventually(
    'the faultline agent serves /metrics with its NFS probe',
    async () => {
      if (agent.exited()) throw new Error('faultline agent exited');
      const res = await fetch(`http://127.0.0.1:${p.agentPort}/metrics`).catch(() => undefined);
      return res?.ok && (await res.text()).includes('faultline_nfs_server_up{');
    },
    { ms: 60_000, everyMs: 250 },
  );
  return agentConfig;
}

export async function startLab(): Promise<Lab> {
  if (!insideNetns()) throw new Error('startLab() must run inside runInNetns()');
  const groups: Group[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'fl-drill-lab-'));
  sh('ip', ['link', 'set', 'lo', 'up']);
  sh('ip', ['addr', 'add', '127.0.0.2/8', 'dev', 'lo']);
  sh('mount', ['-t', 'tmpfs', 'tmpfs', '/run']);

  await startRpcbind(groups);
  const [nfsPort, mountPort, receiverPort, agentPort] = (await freePorts(4)) as [
    number,
    number,
    number,
    number,
  ];
  const g = await startNfsServer(dir, nfsPort, mountPort, groups);
  await startResolvers(dir, groups);
  const alerts: Lab['alerts'] = [];
  const receiver = await startReceiver(receiverPort, alerts);
  const agentConfig = await startLabAgent(dir, { agentPort, nfsPort, receiverPort }, groups);

  return {
    dir,
    nfsPort,
    ganeshaPid: g.pid,
    receiverPort,
    agentPort,
    agentConfig,
    alerts,
    async stop() {
      receiver.close();
      for (const grp of groups.reverse()) await grp.kill();
    },
  };
}

/** `drill run <scenario>` arguments; flags in the order given, `--name value`, or `--name` alone for `true`. */
export function drillRunArgs(scenario: string, flags: Record<string, string | number | true>): string[] {
  const argv = Object.entries(flags).flatMap(([k, v]) => (v === true ? [`--${k}`] : [`--${k}`, String(v)]));
  return ['run', scenario, ...argv];
}

/** A node root for --node-root: mountinfo, resolv.conf and resolved.conf as the test wants them. */
export function nodeRoot(dir: string, mountinfo: string): string {
  const root = join(dir, `root-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(join(root, 'proc/self'), { recursive: true });
  mkdirSync(join(root, 'etc/systemd'), { recursive: true });
  writeFileSync(join(root, 'proc/self/mountinfo'), mountinfo);
  writeFileSync(join(root, 'etc/resolv.conf'), RESOLV_CONF);
  // The seed's fix, scaled down: one DNS= server and a FallbackDNS= that resolved will not fail over to.
  writeFileSync(join(root, 'etc/systemd/resolved.conf'), '[Resolve]\nDNS=127.0.0.1\nFallbackDNS=127.0.0.2\n');
  return root;
}

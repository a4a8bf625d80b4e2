/**
 * Predictions: what the configuration says a fault will do, with the setting behind each one.
 * - NFS (nfs(5), knowledge §2): hard retries for ever, so every accessor blocks until the fault ends;
 *   soft/softerr fail an RPC after min(timeo/10 × (retrans+1), 600) s (TCP). NFSv4 soft requests time
 *   out only when the transport breaks: an unreachable server breaks it at about that time
 *   (TCP_USER_TIMEOUT), a server that still ACKs (the stall) may never.
 * - DNS: glibc tries resolv.conf's servers in order, `timeout` s each, `attempts` rounds; resolved
 *   moves to the next DNS= server, and FallbackDNS= is used only when no other server is known
 *   (resolved.conf(5)) — it is not a failover.
 * - The agent alerts after `degradeAfter` bad rounds: within interval × degradeAfter + timeout.
 */
import { describeNfsOptions, softBoundDependsOnTransport } from '../../nfs/mount-options.ts';
import type { Endpoint, Prediction } from '../model.ts';
import type { AgentFacts } from '../sources/context.ts';
import { formatEndpoint, sameHost } from '../target.ts';
import type { AffectedMount, ResolverPath } from './affected.ts';
import { sameResolver } from './affected.ts';

export type NfsFault = 'unreachable' | 'stalled';

export function predictMount(
  m: AffectedMount,
  fault: NfsFault,
  durationSeconds: number,
  hungTaskSeconds: number,
): Prediction {
  const s = m.site;
  const subject = `${s.mountPoint ?? s.label} (${s.server}:${s.exportPath ?? '/'})`;
  const caveats: string[] = [];
  const base = {
    id: `mount:${s.mountPoint ?? s.label}`,
    kind: 'mount' as const,
    subject,
    path: s.mountPoint,
  };
  const opts = describeNfsOptions(s.options);
  if (s.errorAfterSeconds === null) {
    if (durationSeconds > hungTaskSeconds)
      caveats.push(
        `the fault outlasts kernel.hung_task_timeout_secs=${hungTaskSeconds}: hung-task reports are possible, but NFS RPC waits are killable and the detector skips those`,
      );
    return {
      ...base,
      expect: 'blocks',
      because: `${opts}; every accessor waits until the server answers again`,
      evidence: s.location,
      caveats,
    };
  }
  const v4 = softBoundDependsOnTransport(s.options);
  if (v4 && fault === 'stalled')
    return {
      ...base,
      expect: 'blocks',
      because: `${s.options.recovery} NFSv4 mount (${opts}), but the server still ACKs TCP: a v4 soft request times out only when the connection breaks`,
      evidence: s.location,
      caveats: ['kernel-version dependent (NFS_CS_NO_RETRANS_TIMEOUT, fs/nfs/nfs4client.c)'],
    };
  if (v4)
    caveats.push(
      'NFSv4: the bound holds because an unreachable server breaks the TCP connection (TCP_USER_TIMEOUT ≈ the same time); a server that still ACKs would not',
    );
  const after = s.errorAfterSeconds;
  if (after >= durationSeconds)
    return {
      ...base,
      expect: 'blocks',
      because: `${opts}: the error would come after ${after} s, the fault lasts ${durationSeconds} s, so accessors just wait it out`,
      evidence: s.location,
      caveats,
    };
  return {
    ...base,
    expect: 'errors',
    withinSeconds: after,
    because: `${opts} (per RPC; an operation of several RPCs takes longer)`,
    evidence: s.location,
    caveats,
  };
}

/** Direct queries to the target and to every other server the node could use. */
export function predictResolvers(path: ResolverPath, target: Endpoint): Prediction[] {
  const seen = new Set<string>();
  const out: Prediction[] = [];
  const add = (address: string, role: string) => {
    const key = address.split('#')[0]!;
    if (seen.has(key)) return;
    seen.add(key);
    const hit = sameResolver(address, target);
    const resolver =
      /:\d+$/.test(key) && !key.includes(']') && key.split(':').length === 2 ? key : `${key}:53`;
    out.push({
      id: `resolver:${resolver}`,
      kind: 'resolver',
      subject: `${resolver} (${role})`,
      expect: hit ? 'unanswered' : 'unaffected',
      because: hit
        ? 'it is the drill target: its answers are dropped'
        : 'not the target: should keep answering',
      caveats: [],
      resolver,
    });
  };
  if (
    !path.servers.some((s) => sameResolver(s.address, target)) &&
    !path.fallback.some((s) => sameResolver(s.address, target))
  )
    add(formatEndpoint({ ...target, port: target.port ?? 53 }), 'drill target');
  for (const s of path.servers)
    add(s.address, path.via === 'resolved' ? 'resolved DNS=' : 'resolv.conf nameserver');
  for (const s of path.fallback) add(s.address, 'resolved FallbackDNS=');
  return out;
}

/** What a lookup on this node does while the target is down. */
export function predictNodeLookup(
  path: ResolverPath,
  target: Endpoint,
  name: string,
  durationSeconds: number,
): Prediction {
  const base = {
    id: 'lookup:node',
    kind: 'lookup' as const,
    subject: `lookups of ${name} on this node (${path.via})`,
  };
  const hits = path.servers.filter((s) => sameResolver(s.address, target));
  const others = path.servers.filter((s) => !sameResolver(s.address, target));
  const fallbackNote = path.fallback.length
    ? `; FallbackDNS=${path.fallback.map((f) => f.address).join(' ')} is not used while another server is configured (resolved.conf(5))`
    : '';
  if (hits.length === 0)
    return {
      ...base,
      expect: 'unaffected',
      because: `the target is not among the servers lookups use (${path.servers.map((s) => s.address).join(', ') || 'none known'})`,
      caveats: [],
    };
  if (others.length === 0) {
    const within = path.via === 'resolv.conf' ? path.timeout * path.attempts : undefined;
    const caveats =
      within !== undefined && within >= durationSeconds
        ? [
            `glibc gives up after ${within} s but the fault lasts ${durationSeconds} s: a lookup started early may succeed on its last try — drill longer than ${within} s`,
          ]
        : [];
    return {
      ...base,
      expect: 'errors',
      withinSeconds: within,
      because: `${hits[0]!.address} is the only server lookups use${fallbackNote}${within ? `; glibc gives up after timeout ${path.timeout} s × attempts ${path.attempts}` : ''}`,
      evidence: path.fallback[0]?.location ?? hits[0]!.location,
      caveats,
    };
  }
  return {
    ...base,
    expect: 'unaffected',
    because: `${others.map((s) => s.address).join(', ')} can answer: ${path.via === 'resolved' ? 'resolved switches to the next DNS= server' : `glibc tries the next nameserver after ${path.timeout} s${path.rotate ? ' (rotate spreads the first tries)' : ''}`}`,
    evidence: hits[0]!.location,
    caveats: ['lookups that try the dead server first are slower by the per-server timeout'],
  };
}

/** Does the agent watch this target, and when should it alert? */
export function predictAgent(
  agent: AgentFacts | undefined,
  target: Endpoint,
  kind: 'nfs' | 'dns',
): Prediction | undefined {
  if (!agent) return undefined;
  const within = agent.intervalSeconds * agent.degradeAfter + agent.timeoutSeconds;
  const list = kind === 'nfs' ? agent.watches.nfs : agent.watches.dns;
  const watched = list.some((w) => {
    const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(w.trim());
    if (!m) return false;
    const port = m[2] === undefined ? (kind === 'nfs' ? 2049 : 53) : Number(m[2]);
    return sameHost(m[1], target) && (target.port === undefined || target.port === port);
  });
  const discovers = kind === 'nfs' ? agent.watches.nfsDiscover : agent.watches.dnsDiscover;
  if (!watched && !discovers)
    return {
      id: 'agent',
      kind: 'agent',
      subject: `faultline agent (${agent.file})`,
      expect: 'unaffected',
      because: `the agent's config does not watch ${formatEndpoint(target)}: no alert expected — a gap to fix`,
      caveats: [],
    };
  return {
    id: 'agent',
    kind: 'agent',
    subject: `faultline agent (${agent.file})`,
    expect: 'alerts',
    withinSeconds: within,
    because: `interval ${agent.intervalSeconds} s × degradeAfter ${agent.degradeAfter} + timeout ${agent.timeoutSeconds} s${watched ? '' : ' (target found by discovery, not listed)'}`,
    caveats: [],
  };
}

/** The node itself should stay responsive: sshd's port answers, fork/exec works. */
export function predictNode(): Prediction {
  return {
    id: 'node',
    kind: 'node',
    subject: 'node responsiveness (loopback connect to sshd, fork/exec)',
    expect: 'unaffected',
    because: 'the fault touches one dependency; the node itself must stay usable',
    caveats: [],
  };
}

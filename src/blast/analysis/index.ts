/**
 * Target kinds, one analysis module each, registered here. `--all` asks every kind for the targets the
 * scan has and ranks the results by blast radius.
 */
import type { Inventory } from '../../audit/inventory.ts';
import type { BlastResult, FreezeRisk, RankEntry, Target, TargetKind } from '../model.ts';
import { LOST } from '../model.ts';
import type { BlastContext } from './builder.ts';
import { analyzeCni, cniEvidence } from './cni.ts';
import { analyzeDns, dnsTargets } from './dns.ts';
import { analyzeNfs, nfsServers } from './nfs.ts';

interface TargetKindDef {
  kind: TargetKind;
  /** `nfs:HOST` takes a value; `cni` does not. */
  takesValue: boolean;
  analyze(inv: Inventory, ctx: BlastContext, value: string): BlastResult;
  /** Targets of this kind the scan depends on, for --all. */
  discover(inv: Inventory): string[];
}

export const TARGET_KINDS: readonly TargetKindDef[] = [
  { kind: 'nfs', takesValue: true, analyze: analyzeNfs, discover: nfsServers },
  { kind: 'dns', takesValue: true, analyze: analyzeDns, discover: dnsTargets },
  {
    kind: 'cni',
    takesValue: false,
    analyze: (inv, ctx) => analyzeCni(inv, ctx),
    discover: (inv) => (cniEvidence(inv).length > 0 ? [''] : []),
  },
];

/** "nfs:truenas.home.lex.la" → target; throws a message for anything else. */
export function parseTarget(spec: string): Target {
  const colon = spec.indexOf(':');
  const kind = colon === -1 ? spec : spec.slice(0, colon);
  const value = colon === -1 ? '' : spec.slice(colon + 1).trim();
  const def = TARGET_KINDS.find((k) => k.kind === kind);
  if (!def) throw new Error(`--target must be nfs:HOST, dns:IP or cni (got '${spec}')`);
  if (def.takesValue && value === '')
    throw new Error(
      `--target ${kind}: needs a value, e.g. ${kind}:${kind === 'nfs' ? 'nas.example.lan' : '172.16.0.1'}`,
    );
  if (!def.takesValue && colon !== -1) throw new Error(`--target ${kind} takes no value (got '${spec}')`);
  return { kind: def.kind, id: def.takesValue ? `${kind}:${value}` : kind, value };
}

export function analyzeTarget(inv: Inventory, ctx: BlastContext, t: Target): BlastResult {
  return TARGET_KINDS.find((k) => k.kind === t.kind)!.analyze(inv, ctx, t.value);
}

export function analyzeAll(
  inv: Inventory,
  ctx: BlastContext,
): { results: BlastResult[]; ranking: RankEntry[] } {
  const results = TARGET_KINDS.flatMap((k) => k.discover(inv).map((v) => k.analyze(inv, ctx, v)));
  const scored = results.map((r) => ({ r, score: score(r) }));
  scored.sort(
    (a, b) =>
      freezeRank(b.r.nodeFreeze) - freezeRank(a.r.nodeFreeze) ||
      b.score.hostnamesLost - a.score.hostnamesLost ||
      b.score.workloadsLost - a.score.workloadsLost ||
      b.score.workloadsHit - a.score.workloadsHit ||
      a.r.target.id.localeCompare(b.r.target.id),
  );
  return {
    results: scored.map((s) => s.r),
    ranking: scored.map((s, i) => ({
      rank: i + 1,
      target: s.r.target,
      nodeFreeze: s.r.nodeFreeze,
      ...s.score,
      summary: s.r.summary,
    })),
  };
}

function score(r: BlastResult) {
  return {
    hostnamesLost: r.hostnames.filter((h) => LOST.has(h.impact)).length,
    workloadsLost: r.victims.filter((v) => LOST.has(v.impact)).length,
    workloadsHit: r.victims.length,
  };
}

function freezeRank(f: FreezeRisk): number {
  return f === 'likely' ? 2 : f === 'possible' ? 1 : 0;
}

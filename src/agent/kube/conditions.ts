/**
 * Check states → NodeConditions, in node-problem-detector's conventions so existing remediation tools
 * (draino, node-healthcheck, cluster-autoscaler's taint handling) act on them: one condition type per
 * problem, status "True" while the problem holds, a CamelCase reason, lastTransitionTime moving only
 * when the status flips and lastHeartbeatTime on every update.
 */
import type { RiskVerdict } from '../runtime/risk.ts';
import type { CheckSnapshot } from '../runtime/state.ts';

export interface ConditionType {
  type: string;
  /** Which checks feed it (by check id prefix). */
  matches: (check: string) => boolean;
  /** Whether a check state counts as the problem holding. */
  bad: (s: CheckSnapshot) => boolean;
  trueReason: string;
  falseReason: string;
  falseMessage: string;
  describe: string;
}

const prefix =
  (...ps: string[]) =>
  (check: string) =>
    ps.some((p) => check === p || check.startsWith(`${p}:`));
const failed = (s: CheckSnapshot) => s.state === 'failed';
const notOk = (s: CheckSnapshot) => s.state !== 'ok';

export const CONDITION_TYPES: readonly ConditionType[] = [
  {
    type: 'NFSServerUnreachable',
    matches: prefix('nfs-server', 'nfs'),
    bad: failed,
    trueReason: 'NFSServerUnreachable',
    falseReason: 'NFSServersReachable',
    falseMessage: 'every watched NFS server answers RPC',
    describe: 'NFS server',
  },
  {
    type: 'MountHung',
    matches: prefix('mount'),
    bad: failed,
    trueReason: 'MountHung',
    falseReason: 'MountsResponsive',
    falseMessage: 'every watched network and FUSE mount answers stat',
    describe: 'mount',
  },
  {
    type: 'DNSDegraded',
    matches: prefix('dns'),
    // Slow DNS is already the problem: degraded counts.
    bad: notOk,
    trueReason: 'DNSDegraded',
    falseReason: 'DNSHealthy',
    falseMessage: 'every watched resolver answers',
    describe: 'resolver',
  },
  {
    type: 'CNIUnhealthy',
    matches: prefix('cilium', 'cni'),
    bad: failed,
    trueReason: 'CNIUnhealthy',
    falseReason: 'CNIHealthy',
    falseMessage: 'the CNI agent reports healthy',
    describe: 'CNI component',
  },
];

export const NODE_AT_RISK = 'NodeAtRisk';

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastHeartbeatTime: string;
  lastTransitionTime: string;
}

/** Conditions without timestamps: what the states say right now. */
export function desiredConditions(
  states: Record<string, CheckSnapshot>,
  risk: RiskVerdict,
): Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>[] {
  const out: Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>[] = [];
  for (const ct of CONDITION_TYPES) {
    const bad = Object.entries(states)
      .filter(([check, s]) => ct.matches(check) && ct.bad(s))
      .sort(([a], [b]) => a.localeCompare(b));
    out.push(
      bad.length > 0
        ? {
            type: ct.type,
            status: 'True',
            reason: ct.trueReason,
            message: truncate(
              bad.map(([check, s]) => `${check} ${s.state}: ${s.message || s.reason}`).join('; '),
            ),
          }
        : { type: ct.type, status: 'False', reason: ct.falseReason, message: ct.falseMessage },
    );
  }
  out.push(
    risk.atRisk
      ? {
          type: NODE_AT_RISK,
          status: 'True',
          reason: 'FreezeSignals',
          message: truncate(`freeze signals together: ${risk.signals.join(', ')}`),
        }
      : {
          type: NODE_AT_RISK,
          status: 'False',
          reason: 'NoFreezeSignals',
          message: 'no combination of freeze signals',
        },
  );
  return out;
}

function truncate(s: string, max = 1024): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Condition type an alert is about, for Event reasons. */
export function conditionTypeOf(check: string): ConditionType | undefined {
  return CONDITION_TYPES.find((c) => c.matches(check));
}

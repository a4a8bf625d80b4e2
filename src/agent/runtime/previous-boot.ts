/**
 * The "previous boot" report: sent once after a start that follows an unclean stop or a reboot, with
 * what the journal knew when the node went dark. Its id derives from the previous run's id, so a crash
 * between enqueueing it and recording the new start re-enqueues the SAME alert (the outbox and
 * receivers dedupe on id) instead of a second one.
 */
import type { Alert, AlertSeverity } from '../delivery/alert.ts';
import type { PreviousRun } from './journal.ts';
import { describeBlocked } from './last-words.ts';

export function previousBootAlert(prev: PreviousRun, node: string, now = new Date()): Alert | undefined {
  if (prev.clean && !prev.rebooted) return undefined;
  const bad = Object.entries(prev.states).filter(([, s]) => s.state !== 'ok');
  const atRisk = prev.risk?.atRisk === true;
  let severity: AlertSeverity;
  let title: string;
  if (prev.rebooted && !prev.clean) {
    severity = 'critical';
    title = `Node ${node} rebooted without a clean stop of faultline (last seen ${prev.lastSeen})`;
  } else if (prev.rebooted) {
    severity = 'info';
    title = `Node ${node} rebooted after a clean stop of faultline`;
  } else {
    severity = 'warning';
    title = `faultline on ${node} stopped uncleanly (last seen ${prev.lastSeen}); the node did not reboot`;
  }
  const summary =
    bad.length > 0
      ? `Before it went dark: ${bad.map(([c, s]) => `${c} ${s.state} (${s.reason})`).join('; ')}.`
      : 'All checks were ok in the last record.';
  const riskText = atRisk ? ` The node was at risk of freezing (${prev.risk?.signals.join(', ')}).` : '';
  const words = prev.lastWords;
  const blockedText = words
    ? ` Last words (${words.at}): ${words.blockedTotal} task(s) in D state` +
      (words.blocked.length > 0
        ? ` — ${words.blocked.slice(0, 5).map(describeBlocked).join('; ')}${words.blocked.length > 5 ? '; …' : ''}.`
        : '.')
    : '';
  return {
    id: `previous-boot-${prev.run}`,
    key: 'previous-boot',
    kind: 'previous-boot',
    severity,
    status: 'firing',
    node,
    check: 'node',
    title,
    message: `${summary}${riskText}${blockedText}`,
    evidence: {
      previousRun: prev.run,
      startedAt: prev.startedAt,
      lastSeen: prev.lastSeen,
      cleanStop: prev.clean,
      rebooted: prev.rebooted,
      previousBootId: prev.boot,
      states: prev.states,
      lastTransitions: prev.transitions.map((t) => ({
        at: t.at,
        check: t.check,
        from: t.from,
        to: t.to,
        reason: t.reason,
      })),
      ...(prev.risk
        ? { risk: { atRisk: prev.risk.atRisk, signals: prev.risk.signals, evidence: prev.risk.evidence } }
        : {}),
      ...(words ? { lastWords: words } : {}),
    },
    createdAt: now.toISOString(),
  };
}

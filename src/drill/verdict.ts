/**
 * Prediction vs observation, per item. The fault window is [0, duration − 0.5) seconds after injection
 * (a probe started in the last half second may straddle the end). Slack of two rounds on "within N s"
 * bounds: samples are one second apart.
 */
import type { DrillPlan, ItemStatus, Observations, Prediction, Sample, VerdictItem } from './model.ts';

const SLACK_S = 2;

function during<T>(plan: DrillPlan, xs: Sample<T>[]): Sample<T>[] {
  return xs.filter((s) => s.t >= 0 && s.t < plan.durationSeconds - 0.5);
}
function afterFault<T>(plan: DrillPlan, obs: Observations, xs: Sample<T>[]): Sample<T>[] {
  const end = obs.expiredAfterSeconds ?? plan.durationSeconds;
  return xs.filter((s) => s.t >= end);
}
const fmt = (t: number) => `${t.toFixed(1)} s`;

function describeExpect(p: Prediction, plan: DrillPlan): string {
  switch (p.expect) {
    case 'blocks':
      return `blocks for the whole fault (${plan.durationSeconds} s)`;
    case 'errors':
      return p.withinSeconds === undefined ? 'fails' : `fails within ${p.withinSeconds} s`;
    case 'unaffected':
      return 'keeps working';
    case 'unanswered':
      return `no answer for ${plan.durationSeconds} s, then answers again`;
    case 'alerts':
      return `alerts within ${p.withinSeconds} s`;
  }
}

function item(p: Prediction, plan: DrillPlan, observed: string, status: ItemStatus): VerdictItem {
  return {
    id: p.id,
    subject: p.subject,
    predicted: `${describeExpect(p, plan)} — ${p.because}`,
    observed,
    status,
  };
}

function recovery<T>(plan: DrillPlan, obs: Observations, xs: Sample<T>[], good: (v: T) => boolean): string {
  const after = afterFault(plan, obs, xs);
  const ok = after.find((s) => good(s.value));
  const end = obs.expiredAfterSeconds ?? plan.durationSeconds;
  return ok
    ? `; back ${fmt(ok.t - end)} after the fault ended`
    : after.length
      ? '; not back before the drill stopped watching'
      : '';
}

type Judged = Pick<VerdictItem, 'observed' | 'status'>;

const unobserved = (observed: string): Judged => ({ observed, status: 'unobserved' });
const verdict = (observed: string, ok: boolean): Judged => ({ observed, status: ok ? 'pass' : 'fail' });

/** A mount: blocks (hung nearly every probe, never an error), errors in time, or stays responsive. */
function judgeMount(p: Prediction, plan: DrillPlan, obs: Observations): Judged {
  const xs = obs.mounts[p.path ?? ''] ?? [];
  const d = during(plan, xs);
  if (d.length === 0) return unobserved('no samples during the fault');
  const firstBad = d.find((s) => s.value.state === 'hung' || s.value.state === 'error');
  const firstErr = d.find((s) => s.value.state === 'error');
  const hung = d.filter((s) => s.value.state === 'hung').length;
  const rec = recovery(plan, obs, xs, (v) => v.state === 'ok');
  let observed: string;
  if (!firstBad) observed = `stayed responsive (${d.length} probes)`;
  else if (firstErr)
    observed = `first error ${firstErr.value.detail} at ${fmt(firstErr.t)}${hung ? ` (hung before that in ${hung} probes)` : ''}${rec}`;
  else observed = `hung from ${fmt(firstBad.t)} in ${hung}/${d.length} probes, no error${rec}`;
  let ok: boolean;
  if (p.expect === 'blocks') ok = firstBad !== undefined && !firstErr && hung >= d.length - 2;
  else if (p.expect === 'errors')
    ok = firstErr !== undefined && firstErr.t <= (p.withinSeconds ?? Infinity) + SLACK_S;
  else ok = !firstBad;
  return verdict(observed, ok);
}

/** A resolver or server probed directly: unanswered through the fault, or answering every probe. */
function judgeProbed(p: Prediction, plan: DrillPlan, obs: Observations): Judged {
  const xs: Sample<{ state: string; ms: number }>[] =
    p.kind === 'resolver' ? (obs.resolvers[p.resolver ?? ''] ?? []) : (obs.servers[p.subject] ?? []);
  const d = during(plan, xs);
  if (d.length === 0) return unobserved('no samples during the fault');
  const bad = d.filter((s) => s.value.state !== 'ok');
  const states = [...new Set(bad.map((s) => s.value.state))].join(', ');
  const rec = recovery(plan, obs, xs, (v) => v.state === 'ok');
  const observed =
    bad.length === 0
      ? `answered ${d.length}/${d.length} probes during the fault (max ${Math.max(...d.map((s) => s.value.ms))} ms)`
      : `${bad.length}/${d.length} probes failed (${states})${rec}`;
  let ok = p.expect === 'unanswered' ? bad.length === d.length : bad.length === 0;
  // "stalled" must look like a hung server: connected, never answered.
  if (ok && p.kind === 'server' && /TCP still connects/.test(p.because))
    ok = bad.every((s) => s.value.state.startsWith('rpc_timeout'));
  return verdict(observed, ok);
}

/** Lookups through the node's own resolver path: all fail, or all answer. */
function judgeLookup(p: Prediction, plan: DrillPlan, obs: Observations): Judged {
  const d = during(plan, obs.nodeLookups);
  if (d.length === 0) return unobserved('no lookup started during the fault');
  const failed = d.filter((s) => !s.value.ok);
  const observed =
    failed.length === 0
      ? `${d.length}/${d.length} lookups answered (slowest ${Math.max(...d.map((s) => s.value.ms))} ms)`
      : `${failed.length}/${d.length} lookups failed (${failed[0]!.value.detail} after ${failed[0]!.value.ms} ms)`;
  const ok = p.expect === 'errors' ? failed.length === d.length : failed.length === 0;
  return verdict(observed, ok);
}

/** The agent: a check newly failing or an alert sent (against the baseline) within the bound, or neither. */
function judgeAgent(p: Prediction, obs: Observations): Judged {
  const xs = obs.agent?.samples ?? [];
  if (xs.length === 0 || !xs.some((s) => s.value.up))
    return unobserved(obs.agent ? `metrics not reachable at ${obs.agent.url}` : 'no agent metrics URL');
  const base = xs.find((s) => s.t < 0)?.value;
  const baseSent = base?.alertsSent ?? 0;
  const baseFailing = new Set(base?.failing ?? []);
  const check = xs.find((s) => s.t >= 0 && s.value.failing.some((f) => !baseFailing.has(f)));
  const sent = xs.find((s) => s.t >= 0 && (s.value.alertsSent ?? 0) > baseSent);
  const parts: string[] = [];
  if (check)
    parts.push(`${check.value.failing.filter((f) => !baseFailing.has(f)).join(', ')} at ${fmt(check.t)}`);
  if (sent) parts.push(`alerts sent +${(sent.value.alertsSent ?? 0) - baseSent} at ${fmt(sent.t)}`);
  const observed = parts.length ? parts.join('; ') : 'no check changed state, no alert sent';
  const first = Math.min(check?.t ?? Infinity, sent?.t ?? Infinity);
  const ok = p.expect === 'alerts' ? first <= (p.withinSeconds ?? Infinity) + SLACK_S : parts.length === 0;
  return verdict(observed, ok);
}

/** The node itself: loopback sshd always connects and fork/exec stays under a second. */
function judgeNode(obs: Observations): Judged {
  const d = obs.node.filter((s) => s.t >= 0);
  if (d.length === 0) return unobserved('no samples');
  const slowConnect = d.filter((s) => s.value.connectMs === undefined);
  const fork = d.map((s) => s.value.forkExecMs ?? Infinity);
  const connects = [...new Set(d.map((s) => s.value.connect))].join('/');
  const maxConnect = Math.max(...d.map((s) => s.value.connectMs ?? 0));
  const observed = `loopback sshd port: ${connects}, max ${maxConnect} ms${slowConnect.length ? `, ${slowConnect.length} timed out` : ''}; fork/exec max ${Math.max(...fork)} ms over ${d.length} probes`;
  const ok = slowConnect.length === 0 && fork.every((f) => f < 1000);
  return verdict(observed, ok);
}

function judgePrediction(p: Prediction, plan: DrillPlan, obs: Observations): Judged {
  switch (p.kind) {
    case 'mount':
      return judgeMount(p, plan, obs);
    case 'resolver':
    case 'server':
      return judgeProbed(p, plan, obs);
    case 'lookup':
      return judgeLookup(p, plan, obs);
    case 'agent':
      return judgeAgent(p, obs);
    case 'node':
      return judgeNode(obs);
  }
}

export function judge(
  plan: DrillPlan,
  obs: Observations,
): { items: VerdictItem[]; pass: boolean; selfExpired: boolean } {
  const items = plan.predictions.map((p) => {
    const j = judgePrediction(p, plan, obs);
    return item(p, plan, j.observed, j.status);
  });
  const selfExpired =
    obs.expiredAfterSeconds !== undefined && obs.expiredAfterSeconds <= plan.durationSeconds + SLACK_S + 1;
  return { items, pass: items.every((i) => i.status !== 'fail') && selfExpired, selfExpired };
}

/**
 * Competing explanations, not just a chain. For each question an incident leaves open (why did DNS
 * fail? why did the CNI fail? what restarted the node?) the report lists the explanations, the lines in
 * the inputs for and against each, and the exact command that would fetch the evidence that is missing.
 * One entry per explanation in EXPLANATIONS below; a question is asked when its layer is in the incident.
 */
import type { SignatureId } from '../signatures/catalog.ts';
import { QUOTES_CNI_429 } from '../signatures/kubelet.ts';
import type { Layer } from '../signatures/types.ts';
import type { Incident, SourceRef, TimelineEvent } from './types.ts';

export interface HypothesisEvidence {
  event: number;
  source: SourceRef;
  message: string;
  /** Why this line counts for (or against) the explanation. */
  why: string;
}

export interface FetchCommand {
  /** What the command would show. */
  what: string;
  command: string;
}

export interface Explanation {
  id: string;
  claim: string;
  for: HypothesisEvidence[];
  against: HypothesisEvidence[];
  /** Facts (not lines) that weigh against it, e.g. "Cilium's agent does not need DNS to create endpoints". */
  notes: string[];
  /** supported: lines for, none against; contradicted: lines against, none for; open otherwise. */
  status: 'supported' | 'contradicted' | 'open';
  fetch: FetchCommand[];
}

export interface Hypothesis {
  incident: number;
  host: string;
  /** The layer whose failure is being explained. */
  layer: Layer;
  question: string;
  explanations: Explanation[];
}

interface Window {
  /** `journalctl --since/--until` form, UTC. */
  since: string;
  until: string;
  /** RFC 3339 for kubectl --since-time and LogQL tools. */
  sinceIso: string;
  host: string;
}

interface Ctx {
  events: TimelineEvent[];
  win: Window;
  first(layer: Layer): TimelineEvent | undefined;
}

interface Judgement {
  for: HypothesisEvidence[];
  against: HypothesisEvidence[];
  notes?: string[];
}

interface ExplanationRule {
  id: string;
  layer: Layer;
  claim: string;
  judge(ctx: Ctx): Judgement;
  fetch(win: Window): FetchCommand[];
}

const QUESTIONS: Partial<Record<Layer, string>> = {
  dns: 'Why did DNS fail?',
  cni: 'Why did the CNI fail?',
  reboot: 'What restarted the node?',
};

function ev(e: TimelineEvent, why: string): HypothesisEvidence {
  return { event: e.id, source: e.source, message: e.message, why };
}

/** An explanation only its own lines speak for (the first `most` of them), with a note when there are none. */
function ownLines(lines: TimelineEvent[], why: string, most = Infinity, whenNone?: string): Judgement {
  return {
    for: lines.slice(0, most).map((e) => ev(e, why)),
    against: [],
    notes: lines.length === 0 && whenNone ? [whenNone] : [],
  };
}

const has = (e: TimelineEvent, l: Layer) => e.layers.includes(l);
/** Typed lists, so a renamed signature is a compile error here rather than a silently empty match. */
const is = (e: TimelineEvent, ids: readonly SignatureId[]) => ids.includes(e.signature);
const UPSTREAM: readonly SignatureId[] = [
  'dns.coredns-error',
  'dns.resolved-degraded',
  'dns.resolved-timeout',
];
const RATE_LIMITED: readonly SignatureId[] = ['cni.endpoint-rate-limited', 'cni.api-rate-limited'];
const ORDERLY: readonly SignatureId[] = [
  'reboot.systemd-shutdown',
  'reboot.kernel-restart',
  'reboot.logind-reboot',
];
/** A resolver address inside a cluster's service range (kube-dns/CoreDNS ClusterIP), not the node's own. */
const CLUSTER_DNS = /^(?:10\.(?:43|96|100|32|0)\.0\.10|169\.254\.20\.10|10\.\d+\.\d+\.10):53$/;
const NODE_RESOLVER = /^127\.0\.0\.53:53$/;

const EXPLANATIONS: readonly ExplanationRule[] = [
  {
    id: 'dns.resolver-blocked-on-io',
    layer: 'dns',
    claim:
      "the node's resolver (systemd-resolved, or CoreDNS on this node) was stalled behind blocked I/O (tasks stuck on NFS)",
    judge({ events, first }) {
      const resolvers = events.filter((e) => e.fields.resolverTask === 'yes');
      const dns = first('dns');
      const blocked = events.filter((e) => has(e, 'blocked-tasks') && e.fields.resolverTask !== 'yes');
      const out = {
        for: resolvers.map((e) => ev(e, `a hung-task report names the resolver itself (${e.fields.task})`)),
        against: [] as HypothesisEvidence[],
        notes: [] as string[],
      };
      if (resolvers.length === 0 && blocked.length > 0)
        out.notes.push(
          `tasks were blocked (${[...new Set(blocked.map((e) => e.fields.task).filter(Boolean))].join(', ') || 'see the timeline'}) but no hung-task report names a resolver; the kernel reports at most hung_task_warnings (10 by default) tasks, so the resolver may have been blocked unreported`,
        );
      if (dns && !events.some((e) => has(e, 'blocked-tasks') || has(e, 'storage')))
        out.notes.push('no kernel lines in these inputs: nothing shows blocked I/O either way');
      return out;
    },
    fetch: (w) => [
      {
        what: "systemd-resolved's own log (stalls, restarts, upstream timeouts)",
        command: `journalctl -u systemd-resolved --since "${w.since}" --until "${w.until}" --no-pager`,
      },
      {
        what: 'every hung-task report of the window, with the task names',
        command: `journalctl -k --since "${w.since}" --until "${w.until}" --no-pager | grep -E -A2 'blocked for more than'`,
      },
    ],
  },
  {
    id: 'dns.cluster-dns-hit-by-cni',
    layer: 'dns',
    claim:
      'CoreDNS pods (the cluster DNS) were unreachable or not running because pod networking (the CNI) failed',
    judge({ events, first }) {
      const cni = first('cni');
      const dns = first('dns');
      const clusterLookups = events.filter((e) => has(e, 'dns') && CLUSTER_DNS.test(e.fields.resolver ?? ''));
      const dnsPods = events.filter(
        (e) => has(e, 'cni') && /coredns|kube-dns/.test(e.fields.podRef ?? e.message),
      );
      const out = {
        for: [
          ...dnsPods.map((e) => ev(e, 'a CNI failure hit a CoreDNS pod')),
          ...clusterLookups
            .slice(0, 2)
            .map((e) => ev(e, `the failing lookup went to the cluster DNS (${e.fields.resolver})`)),
        ],
        against: [] as HypothesisEvidence[],
        notes: [] as string[],
      };
      if (dns && cni && dns.time !== null && cni.time !== null && dns.time < cni.time)
        out.against.push(ev(dns, 'DNS failed before the first CNI failure in these logs'));
      if (dns && !cni) out.notes.push('no CNI failure in these inputs');
      const nodeLookups = events.filter((e) => has(e, 'dns') && NODE_RESOLVER.test(e.fields.resolver ?? ''));
      for (const e of nodeLookups.slice(0, 1))
        out.against.push(ev(e, "the failing lookup went to the node's own resolver, not the cluster DNS"));
      return out;
    },
    fetch: (w) => [
      {
        what: 'the CoreDNS pods: where they ran and whether they were Ready',
        command: 'kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide',
      },
      {
        what: "CoreDNS's log over the window (upstream errors, restarts)",
        command: `kubectl -n kube-system logs -l k8s-app=kube-dns --since-time=${w.sinceIso} --timestamps`,
      },
      {
        what: "the Cilium agent's view of endpoints on the node (is CoreDNS's endpoint ready?)",
        command: 'cilium-dbg status --verbose && cilium-dbg endpoint list',
      },
    ],
  },
  {
    id: 'dns.upstream-failed',
    layer: 'dns',
    claim: 'the upstream resolver (outside the node) stopped answering',
    judge({ events }) {
      return ownLines(
        events.filter((e) => is(e, UPSTREAM)),
        'the resolver itself reports its upstream failing',
        3,
        'no resolver log (CoreDNS, systemd-resolved) in these inputs',
      );
    },
    fetch: (w) => [
      {
        what: "systemd-resolved's per-server state and counters",
        command: 'resolvectl status && resolvectl statistics',
      },
      {
        what: 'CoreDNS upstream errors over the window (Loki)',
        command: `logcli query --from=${w.sinceIso} '{namespace="kube-system", container="coredns"} |= "plugin/errors"'`,
      },
    ],
  },
  {
    id: 'cni.agent-backed-up',
    layer: 'cni',
    claim: "the Cilium agent was slow or stuck, so endpoint creation backed up (the API rate limiter's 429s)",
    judge({ events }) {
      return ownLines(
        events.filter((e) => is(e, RATE_LIMITED) || QUOTES_CNI_429.test(e.message)),
        "the agent's API rate limiter turned endpoint creation away",
        2,
      );
    },
    fetch: (w) => [
      {
        what: "the agent's health, controllers and API rate limiters",
        command: 'cilium-dbg status --verbose',
      },
      {
        what: "the agent's log over the window",
        command: `kubectl -n kube-system logs -l k8s-app=cilium -c cilium-agent --since-time=${w.sinceIso} --timestamps`,
      },
    ],
  },
  {
    id: 'cni.node-starved-by-blocked-io',
    layer: 'cni',
    claim: 'the node was starved by blocked I/O (hung tasks), so the agent could not keep up',
    judge({ events, first }) {
      const cni = first('cni');
      const blocked = events.filter(
        (e) =>
          has(e, 'blocked-tasks') &&
          (cni === undefined || e.time === null || cni.time === null || e.time <= cni.time),
      );
      return ownLines(
        blocked,
        'tasks were blocked on this node before the CNI failed',
        2,
        'no blocked task in these inputs before the CNI failed',
      );
    },
    fetch: (w) => [
      {
        what: 'tasks in D state now, and where they wait',
        command: "ps -eo pid,stat,wchan:32,comm | awk '$2 ~ /D/'",
      },
      {
        what: 'hung-task reports of the window',
        command: `journalctl -k --since "${w.since}" --until "${w.until}" --no-pager | grep 'blocked for more than'`,
      },
    ],
  },
  {
    id: 'cni.dns-failure',
    layer: 'cni',
    claim: 'the DNS failure broke the CNI',
    judge({ first }) {
      const dns = first('dns');
      const cni = first('cni');
      const order =
        dns && cni && dns.time !== null && cni.time !== null && dns.time <= cni.time
          ? ['DNS failed first, but time order is all the inputs show']
          : [];
      return {
        for: [],
        against: [],
        notes: [
          ...order,
          "Cilium's agent does not resolve names to create endpoints, and a 429 is its API rate limiter, not a DNS error",
        ],
      };
    },
    fetch: (w) => [
      {
        what: 'DNS errors in the agent log, if any',
        command: `kubectl -n kube-system logs -l k8s-app=cilium -c cilium-agent --since-time=${w.sinceIso} | grep -Ei 'lookup|dns'`,
      },
    ],
  },
  {
    id: 'reboot.watchdog-reset',
    layer: 'reboot',
    claim: 'a hardware watchdog reset the frozen node',
    judge({ events }) {
      const wd = events.filter((e) => e.signature === 'reboot.watchdog');
      const orderly = events.filter((e) => is(e, ORDERLY));
      return {
        for: wd.map((e) => ev(e, 'the watchdog says it is taking the node down')),
        against: orderly.map((e) => ev(e, 'an orderly shutdown was logged')),
        notes:
          wd.length === 0
            ? [
                'a hardware watchdog reset leaves no line of its own; only a boot without a shutdown sequence hints at it',
              ]
            : [],
      };
    },
    fetch: () => [
      { what: 'the end of the previous boot', command: 'journalctl -b -1 -n 100 --no-pager' },
      { what: 'the BMC event log (watchdog expiry is logged there)', command: 'ipmitool sel elist' },
    ],
  },
  {
    id: 'reboot.kernel-panic',
    layer: 'reboot',
    claim: 'the kernel panicked (hung_task_panic / softlockup_panic)',
    judge({ events }) {
      return ownLines(
        events.filter((e) => e.signature === 'reboot.kernel-panic'),
        'a kernel panic line',
      );
    },
    fetch: () => [
      {
        what: 'panic settings in force',
        command: 'sysctl kernel.hung_task_panic kernel.softlockup_panic kernel.panic',
      },
      { what: 'a saved crash dump, if kdump ran', command: 'ls -l /var/crash/' },
    ],
  },
  {
    id: 'reboot.orderly',
    layer: 'reboot',
    claim: 'someone or something rebooted it on purpose (systemctl reboot, an upgrade, a remediation)',
    judge({ events }) {
      return ownLines(
        events.filter((e) => is(e, ORDERLY)),
        'an orderly shutdown line',
      );
    },
    fetch: () => [
      {
        what: 'who asked for the reboot',
        command: 'journalctl -b -1 -u systemd-logind --no-pager | tail -n 20; last -x reboot shutdown | head',
      },
    ],
  },
];

function journalTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function windowOf(inc: Incident): Window {
  const start = (inc.start ?? 0) - 10 * 60_000;
  const end = (inc.end ?? inc.start ?? 0) + 10 * 60_000;
  return {
    since: journalTime(start),
    until: journalTime(end),
    sinceIso: new Date(start).toISOString().replace('.000Z', 'Z'),
    host: inc.host,
  };
}

/** The open questions of every incident that touched DNS, the CNI or a reboot. */
export function buildHypotheses(incidents: readonly Incident[], all: readonly TimelineEvent[]): Hypothesis[] {
  const out: Hypothesis[] = [];
  for (const inc of incidents) {
    if (inc.start === null) continue;
    const events = inc.events.map((id) => all[id]!).filter((e) => e.severity !== 'info');
    const ctx: Ctx = {
      events,
      win: windowOf(inc),
      first: (l) => events.find((e) => has(e, l)),
    };
    for (const [layer, question] of Object.entries(QUESTIONS) as Array<[Layer, string]>) {
      if (!ctx.first(layer)) continue;
      const explanations = EXPLANATIONS.filter((x) => x.layer === layer).map((x): Explanation => {
        const j = x.judge(ctx);
        const status =
          j.for.length > 0 && j.against.length === 0
            ? 'supported'
            : j.for.length === 0 && j.against.length > 0
              ? 'contradicted'
              : 'open';
        return {
          id: x.id,
          claim: x.claim,
          for: j.for,
          against: j.against,
          notes: j.notes ?? [],
          status,
          fetch: x.fetch(ctx.win),
        };
      });
      out.push({ incident: inc.id, host: inc.host, layer, question, explanations });
    }
  }
  return out;
}

export const EXPLANATION_IDS = EXPLANATIONS.map((x) => x.id);

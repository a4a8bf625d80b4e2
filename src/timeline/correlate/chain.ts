import { LAYER_LABELS, LAYERS, type Layer } from '../signatures/types.ts';
import type { ChainLink, Evidence, Incident, TimelineEvent } from './types.ts';

interface LinkContext {
  causes: TimelineEvent[];
  effects: TimelineEvent[];
  evidence: TimelineEvent;
}

interface LinkRule {
  /** Does this effect event show the dependency on the cause layer by itself? */
  shows?: (effect: TimelineEvent, ctx: Omit<LinkContext, 'evidence'>) => boolean;
  /** Why the link holds, given the chosen evidence; observed says whether `shows` held for it. */
  why: (ctx: LinkContext, observed: boolean) => string;
}

const MAJOR_TIMEOUT =
  'the kernel logs "not responding" only after a major timeout, min(timeo/10 × (retrans+1), 600) s — 180 s with the TCP defaults — so tasks can block well before that line';

const RATE_LIMIT_429 =
  "a Cilium 429 (putEndpointIdTooManyRequests) means endpoint-creation requests waited past the agent API rate limiter's 15 s maximum wait (endpoint-create: 0.5/s, burst 4, 4 in parallel): endpoint creation was slow or stuck. It is not by itself evidence that DNS failed";

function fmt(e: TimelineEvent): string {
  return e.summary;
}

/** Mechanisms per link of the dependency model; anything not listed is "likely" from model and time. */
const RULES: Partial<Record<`${Layer}>${Layer}`, LinkRule>> = {
  'storage>blocked-tasks': {
    shows: (e) => Boolean(e.fields.frames) || e.signature === 'hung-task.d-state-ps',
    why: ({ evidence }, observed) =>
      observed
        ? `the blocked task's kernel stack is inside the NFS client (${evidence.fields.frames ?? evidence.fields.wchan}): it waits for the server; ${MAJOR_TIMEOUT}`
        : `tasks blocked while the NFS server was failing, but no stack in these logs puts them inside NFS; ${MAJOR_TIMEOUT}`,
  },
  'blocked-tasks>dns': {
    shows: (e) => e.fields.resolverTask === 'yes',
    why: ({ evidence }, observed) =>
      observed
        ? `a blocked task is the resolver itself; DNS then failed (${fmt(evidence)})`
        : `DNS failed (${fmt(evidence)}) after tasks had blocked on this node. No line shows the resolver (systemd-resolved, CoreDNS or its upstream) blocked: a node whose I/O is stuck can stall it, but here the link rests on time order`,
  },
  'storage>dns': {
    why: ({ evidence }) =>
      `DNS failed (${fmt(evidence)}) while the NFS server was unresponsive; no line shows the resolver waiting on NFS, the link rests on time order`,
  },
  'dns>cni': {
    why: ({ evidence }) =>
      evidence.signature === 'cni.endpoint-rate-limited'
        ? `${RATE_LIMIT_429}; DNS failing first and a node stalled by blocked I/O are both consistent with it, so the link is inferred`
        : `the CNI failed (${fmt(evidence)}) after DNS did; Cilium's agent does not need DNS to create endpoints, so the link is inferred from time order`,
  },
  'blocked-tasks>cni': {
    why: ({ evidence }) =>
      evidence.signature === 'cni.endpoint-rate-limited'
        ? `${RATE_LIMIT_429}; blocked tasks on the node are a plausible reason endpoint creation stalled`
        : `the CNI failed (${fmt(evidence)}) while tasks were blocked; inferred from time order`,
  },
  'cni>pods': {
    shows: (e) => Boolean(e.fields.cni) || e.layers.includes('cni'),
    why: ({ evidence }, observed) =>
      observed
        ? `the pod's error quotes the CNI plugin's failure (${evidence.fields.cni ?? 'CNI'}: ${evidence.fields.cniError ?? 'failed'})`
        : `pods failed (${fmt(evidence)}) after the CNI did; no line quotes the CNI error`,
  },
  'dns>pods': {
    shows: (e) => Boolean(e.fields.lookupError) || e.layers.includes('dns'),
    why: ({ evidence }, observed) =>
      observed
        ? evidence.fields.lookupError
          ? `the image pull failed on the lookup of ${evidence.fields.host} (${evidence.fields.lookupError})`
          : `the pod's error quotes a failed name lookup (${fmt(evidence)})`
        : `pods failed (${fmt(evidence)}) after DNS did; inferred from time order`,
  },
  'pods>node': {
    why: ({ evidence }) =>
      `the node went bad (${fmt(evidence)}) after pods could not start; inferred from time order`,
  },
};

function reaches(to: Layer): LinkRule {
  if (to === 'reboot')
    return {
      shows: (e) => e.signature === 'reboot.watchdog' || e.signature === 'reboot.kernel-panic',
      why: ({ evidence }, observed) =>
        observed
          ? `${fmt(evidence)}; what made it fire is inferred from the events before it`
          : `the node restarted (${fmt(evidence)}); a hardware watchdog reset or a power cycle leaves no line of its own, so what caused it is inferred`,
    };
  return {
    why: ({ evidence }) => `${fmt(evidence)} follows in the dependency model and in time; inferred`,
  };
}

function evidenceOf(e: TimelineEvent): Evidence {
  return { event: e.id, time: e.time, source: e.source, message: e.message };
}

/**
 * The order of the layers an incident touched: the dependency model (storage → … → reboot), except
 * where a line shows a cause the other way round (`mount.nfs: Failed to resolve server` is DNS taking
 * down an NFS mount). Lines are edges cause → effect; the order is a topological sort of those edges,
 * ties (and cycles) broken by the model.
 */
export function causeOrder(events: readonly TimelineEvent[]): Layer[] {
  const present = LAYERS.filter((l) => events.some((e) => e.layers.includes(l)));
  const edges = new Set<string>();
  for (const e of events)
    for (let i = 0; i + 1 < e.layers.length; i++)
      if (e.layers[i] !== e.layers[i + 1]) edges.add(`${e.layers[i]}>${e.layers[i + 1]}`);
  // a must come before b: a line shows a causing b, and none shows the reverse.
  const before = (a: Layer, b: Layer) => edges.has(`${a}>${b}`) && !edges.has(`${b}>${a}`);
  const order: Layer[] = [];
  const left = new Set(present);
  while (left.size > 0) {
    const ready = [...left].filter((l) => ![...left].some((o) => o !== l && before(o, l)));
    const next = ready.length > 0 ? ready[0]! : [...left][0]!;
    order.push(next);
    left.delete(next);
  }
  return order;
}

/**
 * The cascade chain of one incident: the layers it touched in cause order, each link naming the first
 * line of the cause and the first line that supports the effect. An event is evidence for every layer
 * it names (a sandbox failure quoting the CNI is a CNI line and a pod line). A link is "observed" only
 * when a line shows the dependency itself (one line naming both, an NFS frame in a blocked task);
 * everything else is "likely" and says so.
 */
export function buildChain(incident: Incident, events: readonly TimelineEvent[]): ChainLink[] {
  const mine = incident.events.map((id) => events[id]!).filter((e) => e.severity !== 'info');
  const layers = causeOrder(mine);
  const links: ChainLink[] = [];
  for (let i = 0; i + 1 < layers.length; i++) {
    const from = layers[i]!;
    const to = layers[i + 1]!;
    const causes = mine.filter((e) => e.layers.includes(from));
    const effects = mine.filter((e) => e.layers.includes(to));
    const rule = RULES[`${from}>${to}`] ?? reaches(to);
    const cause = causes[0]!;
    const both = (e: TimelineEvent) => {
      const a = e.layers.indexOf(from);
      const b = e.layers.indexOf(to);
      return a >= 0 && b > a;
    };
    const showing = effects.find((e) => both(e) || (rule.shows?.(e, { causes, effects }) ?? false));
    const after = effects.find((e) => e.time === null || cause.time === null || e.time >= cause.time);
    const evidence = showing ?? after ?? effects[0]!;
    let why =
      showing && !rule.shows?.(showing, { causes, effects })
        ? `one line shows both: ${fmt(showing)} (reported by ${showing.reporter})`
        : rule.why({ causes, effects, evidence }, showing !== undefined);
    if (evidence.time !== null && cause.time !== null && evidence.time < cause.time && from !== 'storage')
      why += ` (note: the first ${LAYER_LABELS[to]} line comes before the first ${LAYER_LABELS[from]} line)`;
    links.push({
      from,
      to,
      incident: incident.id,
      cause: evidenceOf(cause),
      firstEvidence: evidenceOf(evidence),
      relation: showing ? 'observed' : 'likely',
      why,
    });
  }
  return links;
}

/** "NFS → hung tasks → DNS → CNI → pods" for a chain. */
export function chainSummary(links: readonly ChainLink[]): string {
  if (links.length === 0) return '';
  return [links[0]!.from, ...links.map((l) => l.to)].map((l) => LAYER_LABELS[l]).join(' → ');
}

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
    shows: (e, { causes }) => causes.some((c) => c.fields.resolverTask === 'yes') && e.layer === 'dns',
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
    shows: (e) => Boolean(e.fields.cni),
    why: ({ evidence }, observed) =>
      observed
        ? `the sandbox error quotes the CNI plugin's failure (${evidence.fields.cni}: ${evidence.fields.cniError ?? 'failed'})`
        : `pods failed (${fmt(evidence)}) after the CNI did; no line quotes the CNI error`,
  },
  'dns>pods': {
    shows: (e) => Boolean(e.fields.lookupError),
    why: ({ evidence }, observed) =>
      observed
        ? `the image pull failed on the lookup of ${evidence.fields.host} (${evidence.fields.lookupError})`
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
 * The cascade chain of one incident: the layers it touched, in dependency order, each link naming the
 * first line of the cause and the first line that supports the effect. A link is "observed" only when a
 * line shows the dependency itself (an NFS frame in a blocked task, a sandbox error quoting the CNI);
 * everything else is "likely" and says so.
 */
export function buildChain(incident: Incident, events: readonly TimelineEvent[]): ChainLink[] {
  const mine = incident.events.map((id) => events[id]!).filter((e) => e.severity !== 'info');
  const layers = LAYERS.filter((l) => mine.some((e) => e.layer === l));
  const links: ChainLink[] = [];
  for (let i = 0; i + 1 < layers.length; i++) {
    const from = layers[i]!;
    const to = layers[i + 1]!;
    const causes = mine.filter((e) => e.layer === from);
    const effects = mine.filter((e) => e.layer === to);
    const rule = RULES[`${from}>${to}`] ?? reaches(to);
    const cause = causes[0]!;
    const showing = rule.shows ? effects.find((e) => rule.shows!(e, { causes, effects })) : undefined;
    const after = effects.find((e) => e.time === null || cause.time === null || e.time >= cause.time);
    const evidence = showing ?? after ?? effects[0]!;
    let why = rule.why({ causes, effects, evidence }, showing !== undefined);
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

/**
 * Flux post-build substitution (`${VAR}`, `${VAR:=default}`, `${VAR:-default}`): the Kustomization
 * controller replaces these in every manifest it applies, from `spec.postBuild.substitute` and the
 * ConfigMaps/Secrets in `spec.postBuild.substituteFrom` (fluxcd.io Kustomization docs, "Post build
 * variable substitution"). We resolve them from what the repository holds in plain text; a value kept
 * in an encrypted Secret (SOPS) stays UNKNOWN — never guessed, never called a hostname.
 */
import type { Inventory } from '../inventory.ts';
import { getArray, getRecord, getString, type K8sObject } from '../model.ts';

export interface Substitutions {
  /** Known values, by variable name. */
  values: Map<string, { value: string; from: string }>;
  /** Variables a substituteFrom source might hold but whose value the repository does not show. */
  hidden: Map<string, string>;
}

export interface Resolved {
  value: string;
  /** Variables left as `${…}` in `value`. */
  unresolved: string[];
  /** Where each resolved variable came from, e.g. "ConfigMap flux-system/cluster-settings". */
  sources: string[];
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[=-]([^}]*))?\}/g;
const cache = new WeakMap<Inventory, Substitutions>();

export function hasVariables(text: string): boolean {
  return text.includes('${');
}

export function substitutionsOf(inv: Inventory): Substitutions {
  let s = cache.get(inv);
  if (s) return s;
  s = { values: new Map(), hidden: new Map() };
  for (const ks of inv.ofKind('Kustomization')) {
    if (!ks.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) continue;
    const inline = getRecord(ks.body, ['spec', 'postBuild', 'substitute']) ?? {};
    for (const [k, v] of Object.entries(inline))
      if (typeof v === 'string' || typeof v === 'number')
        s.values.set(k, { value: String(v), from: `Kustomization ${ks.name} postBuild.substitute` });
    for (const ref of getArray(ks.body, ['spec', 'postBuild', 'substituteFrom'])) {
      const kind = getString(ref, ['kind']);
      const name = getString(ref, ['name']);
      if (!name || (kind !== 'ConfigMap' && kind !== 'Secret')) continue;
      for (const obj of inv.ofKind(kind).filter((o) => o.name === name)) addSource(s, obj);
    }
  }
  // substituteFrom is often set where we cannot follow it (a flux-instance patch, the cluster's own
  // bootstrap): fall back to every plain ConfigMap key that looks like a variable, when they agree.
  const seen = new Map<string, { value: string; from: string } | null>();
  for (const cm of inv.ofKind('ConfigMap')) {
    if (cm.derivedFrom !== undefined) continue;
    for (const [k, v] of Object.entries(getRecord(cm.body, ['data']) ?? {})) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(k) || typeof v !== 'string' || s.values.has(k)) continue;
      const prev = seen.get(k);
      const from = `ConfigMap ${cm.namespace ? `${cm.namespace}/` : ''}${cm.name}`;
      if (prev === undefined) seen.set(k, { value: v, from });
      else if (prev !== null && prev.value !== v) seen.set(k, null); // two clusters disagree: unknown
    }
  }
  for (const [k, v] of seen) {
    if (v) s.values.set(k, v);
    else s.hidden.set(k, 'ConfigMaps that disagree');
  }
  cache.set(inv, s);
  return s;
}

/** A ConfigMap's data, a Secret's plain stringData; an encrypted Secret's keys are hidden. */
function addSource(s: Substitutions, o: K8sObject): void {
  const label = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  const encrypted = getRecord(o.body, ['sops']) !== undefined;
  const data = getRecord(o.body, [o.kind === 'Secret' ? 'stringData' : 'data']) ?? {};
  for (const [k, v] of Object.entries(data)) {
    if (encrypted || typeof v !== 'string') s.hidden.set(k, label);
    else if (!s.values.has(k)) s.values.set(k, { value: v, from: label });
  }
  if (o.kind === 'Secret')
    for (const k of Object.keys(getRecord(o.body, ['data']) ?? {})) s.hidden.set(k, label);
}

/** Replace the variables we know; keep the others as written and list them. */
export function resolveVariables(text: string, subs: Substitutions): Resolved {
  const unresolved: string[] = [];
  const sources = new Set<string>();
  const value = text.replace(VAR, (whole, name: string, dflt: string | undefined) => {
    const known = subs.values.get(name);
    if (known) {
      sources.add(known.from);
      return known.value;
    }
    // A default applies only when no source defines the variable; a hidden one might.
    if (dflt !== undefined && !subs.hidden.has(name)) return dflt;
    unresolved.push(name);
    return whole;
  });
  return { value, unresolved, sources: [...sources] };
}

/**
 * Can a partly unknown server still be classified? `nas.${DOMAIN}` is a DNS name whatever DOMAIN holds;
 * `${NAS_HOST}` could be an address or a name: unknown.
 */
export function literalIsName(text: string): boolean {
  return /[a-z]/i.test(text.replace(VAR, ''));
}

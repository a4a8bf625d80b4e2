/** CNI-004: a Cilium api-rate-limit value the agent will not parse the way its author meant. */
import { getRecord, objectRef } from '../../model.ts';
import { defineRule } from '../../rule.ts';
import { REF, type RuleExamples } from './support.ts';

const API_CALLS = new Set([
  'endpoint-create',
  'endpoint-delete',
  'endpoint-get',
  'endpoint-patch',
  'endpoint-list',
]);
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const NUMBER = /^\d+(\.\d+)?$/;
const BOOL = /^(true|false)$/i;
/** Documented parameters and what their values look like (Cilium API rate limiting docs). */
const PARAMS: Record<string, (v: string) => boolean> = {
  'rate-limit': (v) => {
    const [n, d] = v.split('/');
    return (
      n !== undefined &&
      NUMBER.test(n) &&
      d !== undefined &&
      (GO_DURATION.test(d) || /^(ns|us|ms|s|m|h)$/.test(d))
    );
  },
  'rate-burst': (v) => /^\d+$/.test(v),
  'min-wait-duration': (v) => GO_DURATION.test(v) || v === '0',
  'max-wait-duration': (v) => GO_DURATION.test(v) || v === '0',
  'estimated-processing-duration': (v) => GO_DURATION.test(v) || v === '0',
  'auto-adjust': (v) => BOOL.test(v),
  'parallel-requests': (v) => /^\d+$/.test(v),
  'min-parallel-requests': (v) => /^\d+$/.test(v),
  'max-parallel-requests': (v) => /^\d+$/.test(v),
  'mean-over': (v) => /^\d+$/.test(v),
  log: (v) => BOOL.test(v),
  'delayed-adjustment-factor': (v) => NUMBER.test(v),
  'max-adjustment-factor': (v) => NUMBER.test(v),
  'skip-initial': (v) => /^\d+$/.test(v),
};

export const rule = defineRule({
  meta: {
    id: 'cilium-api-rate-limit-malformed',
    severity: 'low',
    title: 'Cilium api-rate-limit value is malformed',
    description:
      "The agent's API rate limiter (endpoint-create defaults: 0.5/s, burst 4, 4 parallel, 15 s max wait) is " +
      'tuned with `api-rate-limit` (Helm `apiRateLimit`) in the form ' +
      '`endpoint-create=rate-limit:2/s,rate-burst:4,…` or a JSON map (Cilium API rate limiting docs). During ' +
      'an outage this limiter is what answers CNI calls with 429 putEndpointIdTooManyRequests, so a value ' +
      'with a misspelt API name, unknown parameter or bad duration leaves the defaults in force (or stops ' +
      'the agent starting) exactly when someone thought they had raised them.',
    fix: 'Use the documented form, e.g. `endpoint-create=rate-limit:2/s,rate-burst:8,max-wait-duration:30s,parallel-requests:8`.',
    inputs: ['ConfigMap cilium-config api-rate-limit', 'Cilium Helm values apiRateLimit'],
    references: [REF.ciliumRateLimit],
  },
  check({ inventory, report }) {
    for (const cm of inventory.ofKind('ConfigMap')) {
      if (cm.name !== 'cilium-config') continue;
      const raw = getRecord(cm.body, ['data'])?.['api-rate-limit'];
      if (typeof raw !== 'string' || raw.trim() === '') continue;
      const problems = validateApiRateLimit(raw.trim());
      if (problems.length === 0) continue;
      report({
        message: `ConfigMap ${cm.namespace ?? 'default'}/cilium-config api-rate-limit "${raw.trim()}": ${problems.join('; ')}.`,
        location: cm.locate(['data', 'api-rate-limit']),
        object: objectRef(cm),
        evidence: { apiRateLimit: raw.trim(), problems, derivedFrom: cm.derivedFrom },
      });
    }
  },
});

/** Problems with an api-rate-limit value, in words; empty when it is well formed. */
export function validateApiRateLimit(value: string): string[] {
  const entries: [string, string][] = [];
  if (value.startsWith('{')) {
    try {
      const obj = JSON.parse(value) as unknown;
      if (!obj || typeof obj !== 'object' || Array.isArray(obj))
        return ['JSON form must be an object of API call → settings'];
      for (const [k, v] of Object.entries(obj)) entries.push([k, String(v)]);
    } catch {
      return ['not valid JSON'];
    }
  } else {
    // "a=k:v,k:v,b=k:v": a part with "=" starts a new API call; the others continue the current one.
    let current: [string, string[]] | undefined;
    for (const part of value.split(',')) {
      const eq = part.indexOf('=');
      if (eq !== -1) {
        if (current) entries.push([current[0], current[1].join(',')]);
        current = [part.slice(0, eq).trim(), [part.slice(eq + 1).trim()]];
      } else if (current) current[1].push(part.trim());
      else return [`"${part}" comes before any API call name (expected name=key:value,…)`];
    }
    if (current) entries.push([current[0], current[1].join(',')]);
  }
  const problems: string[] = [];
  for (const [call, settings] of entries) {
    if (!API_CALLS.has(call))
      problems.push(`unknown API call "${call}" (known: ${[...API_CALLS].join(', ')})`);
    for (const kv of settings
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')) {
      const colon = kv.indexOf(':');
      if (colon === -1) {
        problems.push(`"${kv}" is not key:value`);
        continue;
      }
      const key = kv.slice(0, colon).trim();
      const val = kv.slice(colon + 1).trim();
      const check = PARAMS[key];
      if (!check) problems.push(`unknown parameter "${key}"`);
      else if (!check(val)) problems.push(`bad value for ${key}: "${val}"`);
    }
  }
  return problems;
}

export const examples: RuleExamples = {
  bad: `apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data:
  api-rate-limit: "endpoint-create=rate-limit:2,rate-bust:8,max-wait-duration:30"
`,
  good: `apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data:
  api-rate-limit: "endpoint-create=rate-limit:2/s,rate-burst:8,max-wait-duration:30s"
`,
};

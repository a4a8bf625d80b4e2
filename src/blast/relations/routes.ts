/**
 * How traffic reaches a unit: Service (selector ⊆ pod labels) ← Ingress / Gateway API HTTPRoute,
 * GRPCRoute, TLSRoute (backendRefs) ← hostnames. The audit's inventory has no such relations; they
 * live here. Charts that write routes in their values count too: bjw-s app-template `route.<id>` and
 * `ingress.<id>` (backends by `identifier` inside the same release), and the common
 * `ingress: {enabled, hosts|hostname}` block of other charts — both belong to the wrapper's unit.
 *
 * Shapes from public material (see test/blast/corpus.md): Gateway API docs (hostnames, parentRefs,
 * rules[].backendRefs with kind/group defaulting to Service/""), networking.k8s.io/v1 Ingress
 * (rules[].host, paths[].backend.service.name, defaultBackend) and extensions/v1beta1 (serviceName).
 */
import { type Inventory, namespaceOf } from '../../audit/inventory.ts';
import { getArray, getRecord, getString, type K8sObject } from '../../audit/model.ts';
import { valuesSources } from '../../audit/sources/gitops/wrappers.ts';
import type { SourceLocation } from '../../core/location.ts';
import { type Unit, unitsOf, WRAPPER_KINDS } from './units.ts';

export const ROUTE_KINDS: ReadonlySet<string> = new Set(['Ingress', 'HTTPRoute', 'GRPCRoute', 'TLSRoute']);

export interface RouteBackend {
  /** "Service web/eta" or "app-template service app". */
  service: string;
  units: Unit[];
}

export interface Route {
  /** "HTTPRoute web/eta", or "HelmRelease web/eta values route.app". */
  label: string;
  hostnames: string[];
  backends: RouteBackend[];
  location: SourceLocation;
}

export interface Routes {
  list: Route[];
  /** Routes that reach a unit, with the service they pass through. */
  toUnit(u: Unit): { route: Route; service: string }[];
  /** Services that select a unit. */
  servicesOf(u: Unit): string[];
}

const cache = new WeakMap<Inventory, Routes>();

export function routesOf(inv: Inventory): Routes {
  const hit = cache.get(inv);
  if (hit) return hit;
  const units = unitsOf(inv);
  const serviceUnits = new Map<K8sObject, Unit[]>();
  const servicesByUnit = new Map<Unit, string[]>();
  // Services select pods in their own namespace: index units by the namespaces of their workloads.
  const byNamespace = new Map<string, Unit[]>();
  for (const u of units.list)
    for (const ns of new Set(u.workloads.map(namespaceOf)))
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), u]);
  for (const svc of inv.ofKind('Service')) {
    const selector = getRecord(svc.body, ['spec', 'selector']);
    if (!selector || Object.keys(selector).length === 0) continue;
    const wanted = Object.entries(selector).map(([k, v]) => [k, String(v)] as const);
    const selected = (byNamespace.get(namespaceOf(svc)) ?? []).filter((u) =>
      u.podLabels.some((labels) => wanted.every(([k, v]) => labels[k] === v)),
    );
    serviceUnits.set(svc, selected);
    for (const u of selected) servicesByUnit.set(u, [...(servicesByUnit.get(u) ?? []), label(svc)]);
  }
  const serviceBackend = (name: string | undefined, ns: string): RouteBackend | undefined => {
    if (!name) return undefined;
    const svc = inv.get('Service', name, ns);
    return { service: `Service ${ns}/${name}`, units: svc ? (serviceUnits.get(svc) ?? []) : [] };
  };

  const list: Route[] = [];
  for (const ing of inv.ofKind('Ingress')) list.push(ingressRoute(ing, serviceBackend));
  for (const kind of ['HTTPRoute', 'GRPCRoute', 'TLSRoute'])
    for (const r of inv.ofKind(kind)) list.push(gatewayRoute(r, inv, serviceBackend));
  for (const u of units.list)
    if (u.object.derivedFrom === undefined && WRAPPER_KINDS.has(u.kind)) list.push(...valuesRoutes(u));

  const byUnit = new Map<Unit, { route: Route; service: string }[]>();
  for (const route of list)
    for (const b of route.backends)
      for (const u of b.units) {
        const entries = byUnit.get(u) ?? [];
        if (!entries.some((e) => e.route === route)) entries.push({ route, service: b.service });
        byUnit.set(u, entries);
      }
  const routes: Routes = {
    list,
    toUnit: (u) => byUnit.get(u) ?? [],
    servicesOf: (u) => servicesByUnit.get(u) ?? [],
  };
  cache.set(inv, routes);
  return routes;
}

function label(o: K8sObject): string {
  return `${o.kind} ${namespaceOf(o)}/${o.name}`;
}

type ServiceLookup = (name: string | undefined, ns: string) => RouteBackend | undefined;

function ingressRoute(ing: K8sObject, lookup: ServiceLookup): Route {
  const ns = namespaceOf(ing);
  const backendName = (b: unknown) => getString(b, ['service', 'name']) ?? getString(b, ['serviceName']);
  const hostnames: string[] = [];
  const backends: RouteBackend[] = [];
  const add = (b: RouteBackend | undefined) => {
    if (b && !backends.some((x) => x.service === b.service)) backends.push(b);
  };
  for (const rule of getArray(ing.body, ['spec', 'rules'])) {
    const host = getString(rule, ['host']) ?? '*';
    if (!hostnames.includes(host)) hostnames.push(host);
    for (const p of getArray(rule, ['http', 'paths']))
      add(lookup(backendName(getRecord(p, ['backend'])), ns));
  }
  const def = getRecord(ing.body, ['spec', 'defaultBackend']) ?? getRecord(ing.body, ['spec', 'backend']);
  if (def) {
    add(lookup(backendName(def), ns));
    if (hostnames.length === 0) hostnames.push('*');
  }
  return { label: label(ing), hostnames, backends, location: ing.locate(['spec']) };
}

function gatewayRoute(r: K8sObject, inv: Inventory, lookup: ServiceLookup): Route {
  const ns = namespaceOf(r);
  let hostnames = getArray(r.body, ['spec', 'hostnames']).map(String);
  if (hostnames.length === 0) {
    // No hostnames: the route takes the hostnames of the listeners it attaches to.
    for (const parent of getArray(r.body, ['spec', 'parentRefs'])) {
      const name = getString(parent, ['name']);
      if (!name) continue;
      const gwNs = getString(parent, ['namespace']) ?? ns;
      const gw = inv.get('Gateway', name, gwNs);
      const section = getString(parent, ['sectionName']);
      const listeners = getArray(gw?.body, ['spec', 'listeners']).filter(
        (l) => section === undefined || getString(l, ['name']) === section,
      );
      const names = listeners.map((l) => getString(l, ['hostname']) ?? '*');
      hostnames.push(...(names.length > 0 ? names : [`* (Gateway ${gwNs}/${name})`]));
    }
    hostnames = [...new Set(hostnames)];
  }
  const backends: RouteBackend[] = [];
  for (const rule of getArray(r.body, ['spec', 'rules']))
    for (const ref of getArray(rule, ['backendRefs'])) {
      const kind = getString(ref, ['kind']) ?? 'Service';
      const group = getString(ref, ['group']) ?? '';
      if (kind !== 'Service' || group !== '') continue;
      const b = lookup(getString(ref, ['name']), getString(ref, ['namespace']) ?? ns);
      if (b && !backends.some((x) => x.service === b.service)) backends.push(b);
    }
  return { label: label(r), hostnames, backends, location: r.locate(['spec', 'hostnames']) };
}

/** Routes a chart renders from its values; they reach the release itself. */
function valuesRoutes(u: Unit): Route[] {
  const out: Route[] = [];
  for (const src of valuesSources(u.object, [], [])) {
    const v = src.values;
    // Inside one release every route reaches the release's own Services (app-template `identifier`).
    const backend = (ids: string[]): RouteBackend[] => [
      { service: `${src.label} service${ids.length ? `.${ids.join(',')}` : ''}`, units: [u] },
    ];
    const refs = (r: unknown) => [
      ...new Set(
        getArray(r, ['rules']).flatMap((rule) =>
          getArray(rule, ['backendRefs']).flatMap(
            (b) => getString(b, ['identifier']) ?? getString(b, ['name']) ?? [],
          ),
        ),
      ),
    ];
    const isAppTemplate = /(^|\/)app-template$/.test(src.chart);
    const route = getRecord(v, ['route']);
    if (isAppTemplate && route)
      for (const [id, r] of Object.entries(route)) {
        if (getRecord(r, []) === undefined || (r as { enabled?: unknown }).enabled === false) continue;
        const hostnames = getArray(r, ['hostnames']).map(String);
        out.push({
          label: `${src.label} route.${id}`,
          hostnames: hostnames.length > 0 ? hostnames : ['* (Gateway listener hostnames)'],
          backends: backend(refs(r)),
          location: src.locate(['route', id, hostnames.length > 0 ? 'hostnames' : 'parentRefs']),
        });
      }
    const ingress = getRecord(v, ['ingress']);
    if (!ingress) continue;
    if (isAppTemplate) {
      for (const [id, i] of Object.entries(ingress)) {
        if (getRecord(i, []) === undefined || (i as { enabled?: unknown }).enabled === false) continue;
        const hostnames = getArray(i, ['hosts']).flatMap((h) => getString(h, ['host']) ?? []);
        if (hostnames.length > 0)
          out.push({
            label: `${src.label} ingress.${id}`,
            hostnames,
            backends: backend(
              getArray(i, ['hosts']).flatMap((h) =>
                getArray(h, ['paths']).flatMap(
                  (p) => getString(p, ['service', 'identifier']) ?? getString(p, ['service', 'name']) ?? [],
                ),
              ),
            ),
            location: src.locate(['ingress', id, 'hosts']),
          });
      }
      continue;
    }
    // Bitnami and most app charts: ingress.enabled with ingress.hostname or ingress.hosts[].
    if (ingress.enabled !== true && ingress.enabled !== 'true') continue;
    const hosts = [
      ...(typeof ingress.hostname === 'string' ? [ingress.hostname] : []),
      ...getArray(ingress, ['hosts']).flatMap((h) =>
        typeof h === 'string' ? h : (getString(h, ['host']) ?? []),
      ),
    ];
    if (hosts.length > 0)
      out.push({
        label: `${src.label} ingress`,
        hostnames: hosts,
        backends: backend([]),
        location: src.locate(['ingress', typeof ingress.hostname === 'string' ? 'hostname' : 'hosts']),
      });
  }
  return out;
}

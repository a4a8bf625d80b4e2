/**
 * Traffic relations and placement, on fixtures written after real shapes (test/blast/corpus.md):
 * Ingress v1 and extensions/v1beta1, HTTPRoute/TLSRoute backendRefs and hostname inheritance from the
 * Gateway listener, app-template route/ingress values, a Bitnami-style ingress block, Service
 * selectors, and scheduling constraints that keep a workload off the frozen node.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../../src/audit/inventory.ts';
import { expandWrappers } from '../../src/audit/sources/gitops/index.ts';
import { parseManifests } from '../../src/audit/sources/yaml.ts';
import { analyzeNfs } from '../../src/blast/analysis/nfs.ts';
import { routesOf } from '../../src/blast/relations/routes.ts';
import { unitsOf } from '../../src/blast/relations/units.ts';

function inventory(yaml: string): Inventory {
  const { objects, errors } = parseManifests(yaml, 'fixture.yaml');
  assert.deepEqual(errors, []);
  return new Inventory([...objects, ...expandWrappers(objects, yaml, [])], undefined);
}

const deploy = (name: string, ns: string, labels: string, extraSpec = '') => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec:
${extraSpec}      containers: [{name: app, image: ghcr.io/example/${name}:1}]
`;
const svc = (name: string, ns: string, selector: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {selector: ${selector}, ports: [{port: 80}]}
`;

/** A Deployment and the Service in front of it (selecting `selector`, by default all its labels). */
const served = (name: string, ns: string, labels: string, selector = labels) =>
  deploy(name, ns, labels) + svc(name, ns, selector);

/** A Flux HelmRelease of the app-template chart; `values` are the lines under `values:` (indented 4). */
const appTemplate = (name: string, ns: string, values: string) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: ${name}, namespace: ${ns}}
spec:
  chart: {spec: {chart: app-template}}
  values:
${values}`;

/** The NFS blast of `server` with a 120 s budget. */
const blastOf = (inv: Inventory, server: string) =>
  analyzeNfs(inv, { units: unitsOf(inv), routes: routesOf(inv), budgetSeconds: 120 }, server);

function hostsByUnit(inv: Inventory): Record<string, string[]> {
  const units = unitsOf(inv);
  const routes = routesOf(inv);
  const out: Record<string, string[]> = {};
  for (const u of units.list) {
    const hosts = routes.toUnit(u).flatMap((r) => r.route.hostnames);
    if (hosts.length > 0) out[u.id] = [...new Set(hosts)].sort();
  }
  return out;
}

describe('traffic relations', () => {
  it('Ingress v1 (rules, defaultBackend) and extensions/v1beta1 (serviceName) reach the selected workloads', () => {
    const inv = inventory(
      served('a', 'web', '{app: a}') +
        served('b', 'web', '{app: b, tier: web}', '{app: b}') +
        deploy('c', 'other', '{app: a}') + // same labels, other namespace: not selected
        `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: a, namespace: web}
spec:
  rules:
    - host: a.example.org
      http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]
  defaultBackend: {service: {name: b, port: {number: 80}}}
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: legacy, namespace: web}
spec:
  rules:
    - host: old.example.org
      http:
        paths: [{path: /, backend: {serviceName: b, servicePort: 80}}]
`,
    );
    assert.deepEqual(hostsByUnit(inv), {
      'Deployment web/a': ['a.example.org'],
      'Deployment web/b': ['a.example.org', 'old.example.org'],
    });
  });

  it('HTTPRoute hostnames; without hostnames it takes its listener’s; non-Service backends are skipped; TLSRoute', () => {
    const inv = inventory(
      served('a', 'web', '{app: a}') +
        served('db', 'data', '{app: db}') +
        `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: network}
spec:
  gatewayClassName: cilium
  listeners:
    - {name: https, protocol: HTTPS, port: 443, hostname: "*.example.org"}
    - {name: tls, protocol: TLS, port: 8443, hostname: db.example.org}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a, namespace: web}
spec:
  parentRefs: [{name: gw, namespace: network, sectionName: https}]
  rules:
    - backendRefs:
        - {name: a, port: 80}
        - {group: example.io, kind: Bucket, name: a}
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: {name: db, namespace: network}
spec:
  parentRefs: [{name: gw, sectionName: tls}]
  hostnames: [db.example.org]
  rules:
    - backendRefs: [{name: db, namespace: data, port: 5432}]
`,
    );
    assert.deepEqual(hostsByUnit(inv), {
      'Deployment data/db': ['db.example.org'],
      'Deployment web/a': ['*.example.org'],
    });
  });

  it('chart values: app-template route/ingress and a Bitnami-style ingress belong to the release', () => {
    const inv = inventory(`---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: id, namespace: security}
spec:
  chartRef: {kind: OCIRepository, name: app-template}
  values:
    route:
      app:
        hostnames: ["id.\${SECRET_DOMAIN}"]
        parentRefs: [{name: envoy-internal, namespace: network, sectionName: https}]
        rules: [{backendRefs: [{identifier: app, port: 8080}]}]
    ingress:
      app:
        hosts: [{host: id.lan, paths: [{path: /, service: {identifier: app, port: http}}]}]
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: wiki, namespace: argocd}
spec:
  destination: {namespace: wiki}
  source:
    chart: wikijs
    helm:
      valuesObject:
        ingress: {enabled: true, hosts: [{host: wiki.example.org}]}
`);
    assert.deepEqual(hostsByUnit(inv), {
      'Application argocd/wiki': ['wiki.example.org'],
      'HelmRelease security/id': [`id.\${SECRET_DOMAIN}`, 'id.lan'], // unresolved Flux substitution, kept as written
    });
  });
});

describe('placement', () => {
  const nas = `---
apiVersion: v1
kind: PersistentVolume
metadata: {name: media}
spec:
  capacity: {storage: 1Ti}
  accessModes: [ReadWriteMany]
  nfs: {server: 192.168.1.10, path: /media}
  claimRef: {name: media, namespace: media}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: media, namespace: media}
spec: {volumeName: media, storageClassName: "", accessModes: [ReadWriteMany], resources: {requests: {storage: 1Ti}}}
`;
  const player = deploy(
    'player',
    'media',
    '{app: player}',
    '      nodeSelector: {kubernetes.io/hostname: node-a}\n      volumes: [{name: media, persistentVolumeClaim: {claimName: media}}]\n',
  );

  it('a nodeSelector that excludes the victim’s node keeps a workload out of the freeze; a DaemonSet never is', () => {
    const inv = inventory(
      nas +
        player +
        deploy('pinned', 'web', '{app: pinned}', '      nodeSelector: {kubernetes.io/hostname: node-b}\n') +
        deploy('free', 'web', '{app: free}') +
        `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node-b}
      containers: [{name: agent, image: example/agent}]
`,
    );
    const r = blastOf(inv, '192.168.1.10');
    assert.equal(r.nodeFreeze, 'likely', 'an inline-options-free nfs PV is hard by default');
    assert.deepEqual(
      r.victims.map((v) => [v.unit.id, v.role, v.impact]),
      [
        ['Deployment media/player', 'direct', 'hang'],
        ['DaemonSet kube-system/agent', 'co-located', 'node-freeze'],
        ['Deployment web/free', 'co-located', 'node-freeze'],
      ],
    );
  });

  it('live pods name the nodes: only what runs on the victim’s node goes down with it', () => {
    const pod = (name: string, owner: string, node: string) => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${owner === 'player' ? 'media' : 'web'}
  labels: {app: ${owner}}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: ${owner}-6d4f9c, controller: true}]
spec:
  nodeName: ${node}
  containers: [{name: app, image: example/${owner}}]
`;
    const inv = inventory(
      nas +
        player +
        deploy('free', 'web', '{app: free}') +
        deploy('other', 'web', '{app: other}') +
        pod('player-1', 'player', 'node-a') +
        pod('free-1', 'free', 'node-a') +
        pod('other-1', 'other', 'node-b'),
    );
    const r = blastOf(inv, '192.168.1.10');
    assert.deepEqual(r.nodes, { known: true, names: ['node-a'], text: 'node-a' });
    assert.deepEqual(
      r.victims.map((v) => [v.unit.id, v.role, v.nodes]),
      [
        ['Deployment media/player', 'direct', ['node-a']],
        ['Deployment web/free', 'co-located', ['node-a']],
      ],
    );
  });
});

describe('sources the audit adds flow in', () => {
  it('a workload the audit derives from a release (app-template persistence type: nfs) counts as the release', () => {
    // What the audit's chart derivers produce: an object marked derivedFrom its wrapper, with an inline
    // NFS volume. The blast sees it through the generic mount-site API and folds it into the release,
    // whose own `route:` values carry its hostname.
    const inv0 = inventory(
      appTemplate(
        'plex',
        'media',
        `    route:
      app:
        hostnames: [plex.example.org]
        rules: [{backendRefs: [{identifier: app, port: 32400}]}]
    persistence:
      media: {type: nfs, server: nas.lan, path: /media}
`,
      ),
    );
    const wrapper = inv0.get('HelmRelease', 'plex', 'media')!;
    const derived = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'plex',
      namespace: 'media',
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'plex', namespace: 'media' },
        spec: {
          template: {
            spec: {
              containers: [{ name: 'app', image: 'ghcr.io/home-operations/plex' }],
              volumes: [{ name: 'media', nfs: { server: 'nas.lan', path: '/media' } }],
            },
          },
        },
      },
      location: wrapper.location,
      locate: () => wrapper.location,
      derivedFrom: 'HelmRelease media/plex spec.values (chart app-template, app-template values)',
    };
    const inv = new Inventory([...inv0.objects, derived], undefined);
    const r = blastOf(inv, 'nas.lan');
    assert.deepEqual(
      r.victims.map((v) => [v.unit.id, v.role, v.impact]),
      [['HelmRelease media/plex', 'direct', 'hang']],
    );
    assert.match(r.victims[0]!.how, /hard \(implicit: no soft\/softerr\)/);
    assert.deepEqual(
      r.hostnames.map((h) => [h.hostname, h.impact]),
      [['plex.example.org', 'hang']],
    );
  });
});

describe('placement of releases', () => {
  it('an app-template release pinned by defaultPodOptions.nodeSelector away from the victim stays up', () => {
    const inv = inventory(`---
apiVersion: v1
kind: PersistentVolume
metadata: {name: media}
spec:
  nfs: {server: nas.lan, path: /media}
  claimRef: {name: media, namespace: media}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: media, namespace: media}
spec: {volumeName: media, storageClassName: ""}
${deploy('player', 'media', '{app: player}', '      nodeSelector: {kubernetes.io/hostname: node-a}\n      volumes: [{name: media, persistentVolumeClaim: {claimName: media}}]\n')}${appTemplate(
  'pinned',
  'web',
  '    defaultPodOptions:\n      nodeSelector: {kubernetes.io/hostname: node-b}\n',
)}${appTemplate('anywhere', 'web', '    controllers: {main: {containers: {app: {image: {repository: example/app}}}}}\n')}`);
    const r = blastOf(inv, 'nas.lan');
    assert.deepEqual(
      r.victims.map((v) => [v.unit.id, v.role]),
      [
        ['Deployment media/player', 'direct'],
        ['HelmRelease web/anywhere', 'co-located'],
      ],
    );
  });
});

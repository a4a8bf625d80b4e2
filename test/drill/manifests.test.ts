/**
 * `faultline drill manifests`: every Chaos Mesh object validates against the real CRD schemas (vendored
 * unchanged from Chaos Mesh in ../shared/vendor/chaos-mesh-crds, beside the clone) with ajv, plus a
 * strict pass that rejects fields the schema does not define (the API server would prune them silently);
 * the Job validates against the Kubernetes schemas as deploy/ does.
 *
 * Shapes follow real objects (not copied):
 * | source | what it showed |
 * |---|---|
 * | https://github.com/chaos-mesh/website/blob/master/docs/simulate-physical-machine-chaos.md | PhysicalMachineChaos: action + per-action block (`network-delay: {device, ip-address}`), mode, selector or address |
 * | https://chaos-mesh.org/docs/simulate-network-chaos-on-kubernetes/ | NetworkChaos partition: selector namespaces + labelSelectors, direction, externalTargets |
 * | https://github.com/chaos-mesh/chaos-mesh/blob/master/doc/network_chaos.md | NetworkChaos partition with `direction: to` and a target selector |
 * | https://www.mintlify.com/chaos-mesh/chaos-mesh/chaos/dnschaos | DNSChaos: action error/random, patterns (wildcard only at the end), mode, selector |
 * | https://gist.github.com/vandot/402df53ce5a29377ed3955e4f1120390 | a user's NetworkChaos partition by statefulset pod label |
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main.ts';
import { validateManifest } from '../deploy/k8s-schema.ts';
import { captureIO } from '../helpers/io.ts';

const ROOT = join(import.meta.dirname, '../..');
const CRD_DIR = join(
  process.env.FAULTLINE_SHARED_DIR ?? join(ROOT, '..', 'shared'),
  'vendor',
  'chaos-mesh-crds',
);

type Schema = Record<string, unknown>;

function loadCrds(): Map<string, Schema> {
  if (!existsSync(CRD_DIR))
    throw new Error(
      `Chaos Mesh CRDs not found at ${CRD_DIR}: the tests read them from ../shared/vendor/chaos-mesh-crds beside the clone (set FAULTLINE_SHARED_DIR to the shared/ directory elsewhere)`,
    );
  const out = new Map<string, Schema>();
  for (const file of ['dnschaos', 'networkchaos', 'physicalmachinechaos']) {
    const path = join(CRD_DIR, `chaos-mesh.org_${file}.yaml`);
    const crd = parseAllDocuments(readFileSync(path, 'utf8'))[0]!.toJS() as {
      spec: { names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
    };
    const v = crd.spec.versions.find((x) => x.name === 'v1alpha1')!;
    out.set(crd.spec.names.kind, v.schema.openAPIV3Schema);
  }
  return out;
}

/** Fields the structural schema does not define (an API server prunes them without a word). */
function unknownFields(value: unknown, schema: Schema, path: string): string[] {
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    return items ? value.flatMap((v, i) => unknownFields(v, items, `${path}[${i}]`)) : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return [];
  const props = schema.properties as Record<string, Schema> | undefined;
  const extra = schema.additionalProperties as Schema | boolean | undefined;
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    // metadata is typed loosely in CRDs (type: object): ObjectMeta is checked on its own below.
    if (path === '' && k === 'metadata') continue;
    const sub = props?.[k] ?? (typeof extra === 'object' ? extra : undefined);
    if (!sub) out.push(`${path}.${k}`);
    else out.push(...unknownFields(v, sub, `${path}.${k}`));
  }
  return out;
}

async function manifests(args: string[]): Promise<Record<string, unknown>[]> {
  const io = captureIO();
  const code = await main(['drill', 'manifests', ...args], io);
  assert.equal(code, 0, io.err());
  return parseAllDocuments(io.out()).map((d) => d.toJS() as Record<string, unknown>);
}

describe('drill manifests', () => {
  const crds = loadCrds();
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object.
  addFormatsModule.default(ajv);
  // OpenAPI's integer formats: the type already says integer.
  for (const f of ['int32', 'int64']) ajv.addFormat(f, true);
  const validators = new Map([...crds].map(([kind, schema]) => [kind, ajv.compile(schema)]));

  const seed = [
    '--server',
    'truenas.home.lex.la',
    '--node-root',
    'examples/audit/node-root',
    '--node',
    'k8s-worker-2',
    'examples/audit/cluster',
  ];
  const cases: [string, string[]][] = [
    ['nfs-blackhole', ['nfs-blackhole', ...seed]],
    ['nfs-stall', ['nfs-stall', ...seed]],
    [
      'dns-blackhole',
      [
        'dns-blackhole',
        '--resolver',
        '172.16.0.1',
        '--node-root',
        'examples/audit/node-root',
        '--node',
        'k8s-worker-2',
        '--lookup',
        'quay.io',
      ],
    ],
  ];

  for (const [name, args] of cases) {
    it(`${name}: every object validates (Chaos Mesh CRDs, Kubernetes schemas)`, async () => {
      const docs = await manifests(args);
      assert.ok(docs.length >= 2, `expected a Job and Chaos objects, got ${docs.length}`);
      for (const d of docs) {
        const kind = String(d.kind);
        if (String(d.apiVersion).startsWith('chaos-mesh.org/')) {
          const validate = validators.get(kind);
          assert.ok(validate, `no vendored CRD for ${kind}`);
          assert.ok(validate(d), `${kind}: ${JSON.stringify(validate.errors, null, 2)}`);
          assert.deepEqual(
            unknownFields(d, crds.get(kind)!, ''),
            [],
            `${kind} has fields the CRD does not define`,
          );
        } else {
          assert.deepEqual(await validateManifest(d), [], `${kind} fails the Kubernetes schema`);
        }
      }
    });
  }

  it('the Job is pinned to the node, in the host network, with NET_ADMIN only, running the same drill', async () => {
    const [job] = await manifests(cases[0]![1]);
    const spec = (job as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec;
    assert.equal(spec.nodeName, 'k8s-worker-2');
    assert.equal(spec.hostNetwork, true);
    const c = (
      spec.containers as {
        args: string[];
        securityContext: { capabilities: { add: string[]; drop: string[] } };
      }[]
    )[0]!;
    assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'], add: ['NET_ADMIN'] });
    assert.deepEqual(c.args.slice(0, 5), ['drill', 'run', 'nfs-blackhole', '--server', '172.16.0.5']);
    assert.ok(c.args.includes('--yes'));
    assert.ok(!c.args.includes('--allow-freeze'), 'the freeze refusal must stay on unless someone adds it');
  });

  it('selectors come from the inventory: the pods that use the server’s volumes', async () => {
    const docs = await manifests(cases[0]![1]);
    const net = docs.filter((d) => d.kind === 'NetworkChaos');
    assert.equal(net.length, 1);
    assert.deepEqual((net[0] as { spec: { selector: unknown } }).spec.selector, {
      namespaces: ['monitoring'],
      labelSelectors: { 'app.kubernetes.io/name': 'loki' },
    });
    const pm = docs.find((d) => d.kind === 'PhysicalMachineChaos') as { spec: Record<string, unknown> };
    assert.deepEqual(pm.spec['network-partition'], {
      'ip-address': '172.16.0.5',
      'ip-protocol': 'tcp',
      direction: 'from',
    });
    const stall = await manifests(cases[1]![1]);
    assert.equal(
      stall.some((d) => d.kind === 'PhysicalMachineChaos'),
      false,
    );
    const dns = await manifests(cases[2]![1]);
    const dnsChaos = dns.find((d) => d.kind === 'DNSChaos') as { spec: Record<string, unknown> };
    assert.deepEqual(dnsChaos.spec.patterns, ['quay.io']);
  });

  it('the validation has teeth: a wrong action and an unknown field are caught', () => {
    const bad = {
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'NetworkChaos',
      metadata: { name: 'x', namespace: 'y' },
      spec: { action: 'blackhole', mode: 'all', selector: {}, externalTarget: ['10.0.0.5'] },
    };
    assert.equal(validators.get('NetworkChaos')!(bad), false);
    assert.deepEqual(unknownFields(bad, crds.get('NetworkChaos')!, ''), ['.spec.externalTarget']);
  });

  it('needs --node', async () => {
    const io = captureIO();
    const code = await main(['drill', 'manifests', 'nfs-blackhole', '--server', '10.0.0.5'], io);
    assert.equal(code, 2);
    assert.match(io.err(), /--node NAME/);
  });
});

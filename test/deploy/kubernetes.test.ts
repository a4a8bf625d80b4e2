import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseAgentConfig } from '../../src/agent/config.ts';
import { deliveryConfigSchema } from '../../src/agent/delivery/config.ts';
import { PROBES } from '../../src/agent/probes/index.ts';
import { main } from '../../src/cli/main.ts';
import { captureIO } from '../helpers/io.ts';
import { validateManifest } from './k8s-schema.ts';
import { DEPLOY_DIR, findObject, KUBERNETES_DIR, kubernetesObjects, yamlFiles } from './manifests.ts';

// Manifests are navigated by known paths here; their shape is checked by the schema test first.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Obj = Record<string, any>;

describe('deploy/kubernetes manifests', () => {
  it('validate strictly against the official Kubernetes schemas', async () => {
    const docs = kubernetesObjects();
    assert.ok(docs.length >= 7, `expected the full set of objects, got ${docs.length}`);
    for (const d of docs) {
      const issues = await validateManifest(d.obj);
      assert.deepEqual(issues, [], `${d.file} ${d.obj.kind}: ${issues.join('; ')}`);
    }
  });

  it('the validator rejects unknown fields, wrong types and missing required fields', async () => {
    const ds = structuredClone(findObject('DaemonSet')) as Obj;
    ds.spec.template.spec.containers[0].securityContext.runAsNonroot = true; // misspelt
    ds.spec.template.spec.hostNetwork = 'yes';
    delete ds.spec.template.spec.containers[0].name;
    const issues = await validateManifest(ds);
    assert.ok(
      issues.some((i) => i.includes('securityContext.runAsNonroot: unknown field')),
      issues.join('\n'),
    );
    assert.ok(
      issues.some((i) => /hostNetwork.*boolean/.test(i)),
      issues.join('\n'),
    );
    assert.ok(
      issues.some((i) => /containers\/0.*name/.test(i)),
      issues.join('\n'),
    );
    assert.deepEqual(await validateManifest({ apiVersion: 'example.com/v1', kind: 'Nope' }), [
      '(root): no schema for example.com/v1 Nope',
    ]);
  });

  it('every manifest is listed in its kustomization, and every listed file exists', () => {
    for (const k of yamlFiles(KUBERNETES_DIR).filter((f) => f.endsWith('kustomization.yaml'))) {
      const dir = dirname(k);
      const listed: string[] = parse(readFileSync(k, 'utf8')).resources;
      for (const r of listed) assert.ok(existsSync(join(dir, r)), `${k}: ${r} does not exist`);
      const siblings = yamlFiles(dir)
        .filter((f) => dirname(f) === dir && !f.endsWith('kustomization.yaml'))
        .map((f) => f.slice(dir.length + 1));
      for (const s of siblings) assert.ok(listed.includes(s), `${k} does not list ${s}`);
    }
  });

  it('RBAC grants exactly nodes get, nodes/status get+patch; events create+patch in its own namespace only', () => {
    const grantsOf = (role: Obj) => {
      const grants = new Set<string>();
      for (const r of role.rules) {
        for (const g of r.apiGroups)
          for (const res of r.resources) for (const v of r.verbs) grants.add(`${g}/${res}:${v}`);
      }
      return [...grants].sort();
    };
    const role = findObject('ClusterRole', 'faultline-agent') as Obj;
    assert.deepEqual(grantsOf(role), ['/nodes/status:get', '/nodes/status:patch', '/nodes:get']);
    const events = findObject('Role', 'faultline-agent-events') as Obj;
    assert.equal(events.metadata.namespace, 'faultline');
    assert.deepEqual(grantsOf(events), [
      '/events:create',
      '/events:patch',
      'events.k8s.io/events:create',
      'events.k8s.io/events:patch',
    ]);
    const cm = findObject('ConfigMap', 'faultline-agent') as Obj;
    assert.match(cm.data['agent.yaml'], /eventNamespace: faultline/, 'Events go where the Role allows them');
    const eventsBinding = findObject('RoleBinding', 'faultline-agent-events') as Obj;
    assert.equal(eventsBinding.roleRef.name, 'faultline-agent-events');
    const binding = findObject('ClusterRoleBinding', 'faultline-agent') as Obj;
    const sa = findObject('ServiceAccount', 'faultline-agent') as Obj;
    assert.equal(binding.roleRef.name, role.metadata.name);
    assert.deepEqual(binding.subjects, [
      { kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace },
    ]);
  });

  it('DaemonSet keeps a tight posture and survives a failing node', () => {
    const ds = findObject('DaemonSet', 'faultline-agent') as Obj;
    const pod = ds.spec.template.spec;
    const [c] = pod.containers;
    assert.equal(pod.containers.length, 1);
    assert.deepEqual(pod.tolerations, [{ operator: 'Exists' }], 'tolerates every taint, NoExecute included');
    assert.equal(pod.priorityClassName, 'system-node-critical');
    assert.equal(pod.hostNetwork, true, 'alerts must leave the node while the CNI is down');
    assert.equal(pod.dnsPolicy, 'Default', 'never depends on cluster DNS');
    assert.equal(pod.hostPID, false);
    assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
    assert.equal(c.securityContext.privileged, false);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    // SYS_PTRACE would let the agent read every process's memory and environment through host /proc
    // (test/deploy/privileges.test.ts proves what each kept privilege is for).
    assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'], add: ['SYSLOG'] });
    // Neither the host's / nor all of its /etc: kubelet credentials, /etc/shadow, /etc/kubernetes stay out.
    const hostPaths = (pod.volumes as Obj[]).flatMap((v) => (v.hostPath ? [v.hostPath.path] : []));
    for (const forbidden of ['/', '/etc', '/var/lib/kubelet', '/etc/kubernetes', '/root'])
      assert.ok(!hostPaths.includes(forbidden), `hostPath ${forbidden} is mounted`);
    // Probes reach the agent on the node's loopback, where it listens by default.
    assert.equal(c.livenessProbe.httpGet.host, '127.0.0.1');
    assert.equal(c.livenessProbe.httpGet.path, '/healthz');
    assert.equal(c.readinessProbe.httpGet.path, '/readyz');
    assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory);
    // Every host mount is read-only except the state directory, which is local disk.
    const volumes = new Map<string, Obj>(pod.volumes.map((v: Obj) => [v.name, v]));
    for (const m of c.volumeMounts as Obj[]) {
      const v = volumes.get(m.name);
      assert.ok(v, `mount ${m.name} has a volume`);
      if (m.name === 'state') {
        assert.equal(v.hostPath.path, '/var/lib/faultline');
        assert.notEqual(m.readOnly, true);
      } else if (m.name !== 'tmp') {
        assert.equal(m.readOnly, true, `${m.name} must be read-only`);
      }
    }
  });

  it('the DaemonSet comments every privilege it takes', () => {
    const text = readFileSync(join(KUBERNETES_DIR, 'daemonset.yaml'), 'utf8').split('\n');
    const needsWhy = [
      /^\s+hostNetwork:/,
      /^\s+dnsPolicy:/,
      /^\s+hostPID:/,
      /^\s+runAsUser: 0/,
      /^\s+- SYSLOG/,
      /^\s+- name: host-kubelet-pods$/,
      /^\s+- name: host-resolv-conf$/,
      /^\s+- name: kmsg$/,
      /^\s+tolerations:/,
    ];
    for (const re of needsWhy) {
      const i = text.findIndex((l) => re.test(l));
      assert.ok(i > 0, `${re} present`);
      // The first occurrence (for volumes: the volumeMount) carries a comment right above it.
      const explained = text[i - 1]!.trim().startsWith('#');
      assert.ok(explained, `no comment explains '${text[i]!.trim()}' (daemonset.yaml:${i + 1})`);
    }
  });

  it("faultline audit finds nothing in the project's own deploy/ (all rules, down to info)", async () => {
    const io = captureIO();
    const code = await main(['audit', DEPLOY_DIR, '--format', 'json', '--fail-on', 'info'], io);
    const report = JSON.parse(io.out());
    assert.deepEqual(report.findings, [], io.out());
    assert.deepEqual(report.errors, []);
    assert.ok(
      report.summary.objects >= kubernetesObjects().length,
      `audit saw ${report.summary.objects} objects`,
    );
    assert.ok(report.summary.rules > 0);
    assert.equal(code, 0, io.err());
  });

  it('the ConfigMap holds an agent config the real schema accepts, wired to the DaemonSet', () => {
    const cm = findObject('ConfigMap', 'faultline-agent') as Obj;
    const ds = findObject('DaemonSet', 'faultline-agent') as Obj;
    const pod = ds.spec.template.spec;
    const [c] = pod.containers;
    const text: string = cm.data['agent.yaml'];
    const config = parseAgentConfig(text, 'deploy/kubernetes/configmap.yaml#agent.yaml', {
      probes: PROBES,
      alertsSchema: deliveryConfigSchema,
      env: { NODE_NAME: 'node-1' },
    });
    assert.equal(config.node, 'node-1', 'node name comes from NODE_NAME (downward API)');
    assert.ok(
      c.env.some((e: Obj) => e.name === 'NODE_NAME' && e.valueFrom.fieldRef.fieldPath === 'spec.nodeName'),
    );
    // The config file is where the container looks for it.
    const configMount = c.volumeMounts.find((m: Obj) => m.name === 'config');
    assert.deepEqual(c.args, ['agent', '--config', `${configMount.mountPath}/agent.yaml`]);
    // Port: listen = containerPort; loopback by default (no unauthenticated /metrics on the node IP).
    assert.equal(config.listen.port, c.ports[0].containerPort);
    assert.equal(config.listen.host, '127.0.0.1');
    // State on the hostPath mount; host paths under the read-only host mounts.
    const mountPaths: string[] = c.volumeMounts.map((m: Obj) => m.mountPath);
    assert.ok(mountPaths.includes(config.stateDir), `stateDir ${config.stateDir} is mounted`);
    // paths.etc: only resolv.conf and hosts of the host's /etc are mounted (files, not the directory).
    for (const file of ['resolv.conf', 'hosts'])
      assert.ok(mountPaths.includes(`${config.paths.etc}/${file}`), `${config.paths.etc}/${file} is mounted`);
    for (const key of ['proc', 'kmsg'] as const) {
      const p = config.paths[key];
      assert.ok(
        mountPaths.some((m) => p === m || p.startsWith(`${m}/`)),
        `paths.${key}=${p} is a mounted host path`,
      );
    }
    assert.ok(config.probes && Object.keys(config.probes).length === PROBES.length, 'every probe configured');
  });

  it('a typo in the ConfigMap config is rejected with its line', () => {
    const cm = findObject('ConfigMap', 'faultline-agent') as Obj;
    const text = (cm.data['agent.yaml'] as string).replace('stateDir:', 'statedir:');
    const line = text.split('\n').findIndex((l) => l.startsWith('statedir:')) + 1;
    assert.throws(
      () =>
        parseAgentConfig(text, 'agent.yaml', { probes: PROBES, alertsSchema: deliveryConfigSchema, env: {} }),
      (err: Error & { location?: { file: string; line?: number } }) => {
        assert.match(err.message, /unknown key 'statedir'/);
        assert.deepEqual(err.location, { file: 'agent.yaml', line });
        return true;
      },
    );
  });
});

/** `faultline drill` arguments. */
import { parseArgs } from 'node:util';
import { FaultlineError } from '../core/errors.ts';
import { DEFAULT_DURATION_S } from './model.ts';
import { SCENARIOS } from './scenarios/index.ts';

export type DrillAction = 'plan' | 'run' | 'stop' | 'manifests';

export interface DrillOptions {
  action: DrillAction;
  scenario: string | undefined;
  target: string | undefined;
  durationSeconds: number;
  yes: boolean;
  allowFreeze: boolean;
  format: 'text' | 'json' | 'markdown';
  output: string | undefined;
  paths: string[];
  nodeRoot: string;
  agentConfig: string | undefined;
  lookupName: string;
  sshPort: number;
  /** Seconds to keep observing after the fault expired (recovery). */
  graceSeconds: number;
  /** manifests: the node the Job is pinned to. */
  node: string | undefined;
  namespace: string;
  image: string;
  help: boolean;
}

export const DRILL_USAGE = `Usage: faultline drill [plan|run|stop|manifests] SCENARIO [options]

Rehearse a dependency failure on this node, safely, and compare what happened with the prediction.
  plan       (default) what would be injected, what it touches, what we predict; changes nothing
  run        inject for --duration (kernel-expiring nftables elements), observe, print the verdict; needs --yes
  stop       remove every drill fault now (deletes the nftables table)
  manifests  emit a node-pinned Job and Chaos Mesh objects for a cluster drill

Scenarios:
${SCENARIOS.map((s) => `  ${s.id.padEnd(14)} ${s.targetFlag} ${s.targetHelp}\n  ${''.padEnd(14)} ${s.summary}`).join('\n')}

Options:
  --server HOST[:PORT] / --resolver IP[:PORT]   the target
  --duration N[s|m]    how long the fault lasts (default ${DEFAULT_DURATION_S}s, hard limit 300s)
  --yes                really inject (run)
  --allow-freeze       run even when the plan predicts a node freeze
  --format text|json|markdown   report format (default text)
  -o, --output FILE    write the report to FILE
  --node-root DIR      read mountinfo, resolv.conf, resolved, sysctls under DIR (default /)
  --agent-config FILE  the local agent's config: alert path (never touched), metrics, what it watches
  --lookup NAME        name looked up on the node during DNS drills (default kubernetes.io)
  --ssh-port N         loopback port probed for node responsiveness (default 22)
  --grace N[s]         keep observing after the fault ends (default 10s)
  --node NAME          (manifests) the staging node to pin the Job to
  --namespace NS       (manifests) namespace for the Job and Chaos objects (default faultline)
  --image REF          (manifests) faultline image (default faultline/agent:0.1.0)
  PATH ...             manifests (files, dirs) for the inventory: which workloads use the server
`;

export function parseSeconds(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m)
    throw new FaultlineError('usage', `${flag}: expected a duration like 30s, 2m or 500ms, got '${text}'`);
  const n = Number(m[1]);
  return m[2] === 'm' ? n * 60 : m[2] === 'ms' ? n / 1000 : n;
}

export function parseDrillArgs(argv: string[]): DrillOptions & { targetFlag: string | undefined } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      resolver: { type: 'string' },
      duration: { type: 'string' },
      yes: { type: 'boolean', default: false },
      'allow-freeze': { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      output: { type: 'string', short: 'o' },
      'node-root': { type: 'string', default: '/' },
      'agent-config': { type: 'string' },
      lookup: { type: 'string', default: 'kubernetes.io' },
      'ssh-port': { type: 'string', default: '22' },
      grace: { type: 'string', default: '10s' },
      node: { type: 'string' },
      namespace: { type: 'string', default: 'faultline' },
      image: { type: 'string', default: 'faultline/agent:0.1.0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const rest = [...positionals];
  let action: DrillAction = 'plan';
  if (rest[0] === 'plan' || rest[0] === 'run' || rest[0] === 'stop' || rest[0] === 'manifests')
    action = rest.shift() as DrillAction;
  const scenario = action === 'stop' ? undefined : rest.shift();
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'markdown')
    throw new FaultlineError('usage', `--format must be text, json or markdown, not '${format}'`);
  const sshPort = Number(values['ssh-port']);
  if (!Number.isInteger(sshPort) || sshPort < 1 || sshPort > 65535)
    throw new FaultlineError('usage', `--ssh-port must be a port number, not '${values['ssh-port']}'`);
  if (values.server !== undefined && values.resolver !== undefined)
    throw new FaultlineError('usage', 'give --server or --resolver, not both');
  return {
    action,
    scenario,
    target: values.server ?? values.resolver,
    targetFlag:
      values.server !== undefined ? '--server' : values.resolver !== undefined ? '--resolver' : undefined,
    durationSeconds:
      values.duration === undefined ? DEFAULT_DURATION_S : parseSeconds(values.duration, '--duration'),
    yes: values.yes,
    allowFreeze: values['allow-freeze'],
    format,
    output: values.output,
    paths: rest,
    nodeRoot: values['node-root'],
    agentConfig: values['agent-config'],
    lookupName: values.lookup,
    sshPort,
    graceSeconds: parseSeconds(values.grace, '--grace'),
    node: values.node,
    namespace: values.namespace,
    image: values.image,
    help: values.help,
  };
}

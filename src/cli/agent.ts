/**
 * `faultline agent --config FILE [--once]`: the node watcher. Thin: parse flags, load the config,
 * hand over to the runtime; SIGTERM/SIGINT stop it cleanly (journal record, delivery closed).
 */
import { parseArgs } from 'node:util';
import type { AgentConfig, ConfigContext } from '../agent/config.ts';
import { loadAgentConfigFile } from '../agent/config.ts';
import type { DeliveryConfig } from '../agent/delivery/config.ts';
import type { Log } from '../agent/runtime/agent.ts';
import type { WebConfig } from '../agent/runtime/web-config.ts';
import { FaultlineError } from '../core/errors.ts';
import { EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK } from '../core/exit-codes.ts';
import { VERSION } from '../core/version.ts';
import type { CliIO } from './io.ts';

const HELP = `Usage: faultline agent --config FILE [--web.config.file FILE] [--once]

Watch this node's NFS servers, mounts, D-state processes, DNS and CNI; export /metrics, /healthz,
/readyz; send alerts on state changes, before a likely freeze, and after an unclean stop or reboot.

Options:
  -c, --config FILE   agent config (YAML); see examples/agent-drill.yaml
      --web.config.file FILE
                      Prometheus exporter-toolkit web config for /metrics: TLS, client
                      certificates, basic auth (bcrypt). /healthz and /readyz stay open.
      --once          run every enabled probe once, print the results as JSON, exit
                      (exit 0 when everything is ok, 1 when any check is not)
  -h, --help          this help
`;

/** Structured log lines on stderr (one JSON object per line); debug only with FAULTLINE_DEBUG. */
export function jsonLog(io: CliIO): Log {
  const debug = Boolean(io.env.FAULTLINE_DEBUG);
  return (level, msg, fields) => {
    if (level === 'debug' && !debug) return;
    io.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
}

async function configContext(io: CliIO): Promise<ConfigContext & { probes: ConfigContext['probes'] }> {
  const [{ PROBES }, { deliveryConfigSchema }] = await Promise.all([
    import('../agent/probes/index.ts'),
    import('../agent/delivery/config.ts'),
  ]);
  return { probes: PROBES, alertsSchema: deliveryConfigSchema, env: io.env };
}

export async function runAgent(argv: string[], io: CliIO): Promise<number> {
  let values: {
    config?: string | undefined;
    once?: boolean | undefined;
    help?: boolean | undefined;
    'web.config.file'?: string | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        once: { type: 'boolean' },
        'web.config.file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new FaultlineError('usage', `${(err as Error).message}\n\n${HELP}`);
  }
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (!values.config) throw new FaultlineError('usage', `--config FILE is required\n\n${HELP}`);
  const { resolve } = await import('node:path');
  const file = resolve(io.cwd, values.config);
  const ctx = await configContext(io);
  const config = await loadAgentConfigFile(file, ctx);
  const log = jsonLog(io);

  if (values.once) {
    const { runOnce } = await import('../agent/runtime/agent.ts');
    const report = await runOnce(config, { probes: ctx.probes, log, version: VERSION });
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? EXIT_OK : EXIT_FINDINGS;
  }
  const webFile = values['web.config.file'];
  const web = webFile
    ? (await import('../agent/runtime/web-config.ts')).loadWebConfig(resolve(io.cwd, webFile))
    : undefined;
  return runForever(config, ctx, log, web);
}

/**
 * The production wiring: stateDir check, the agent's own health, delivery, the Kubernetes reporter.
 * Exported for the tests that inject faults into a real agent (test/agent/resilience/).
 */
export async function startProductionAgent(
  config: AgentConfig,
  ctx: ConfigContext,
  log: Log,
  web?: WebConfig,
) {
  const [{ startAgent }, { createDelivery }, { deliveryConfigSchema }, { checkStateDir }, { AgentHealth }] =
    await Promise.all([
      import('../agent/runtime/agent.ts'),
      import('../agent/delivery/index.ts'),
      import('../agent/delivery/config.ts'),
      import('../agent/runtime/state-dir.ts'),
      import('../agent/runtime/self-health.ts'),
    ]);
  // A stateDir that can never work is a config error (exit 2); one that does not work now (full,
  // read-only, no permission) starts the agent degraded: alerts are held in memory and still sent.
  const state = checkStateDir(config.stateDir, config.where.stateDir);
  const health = new AgentHealth({ node: config.node, stateDir: state.dir, log });
  if (state.problem !== undefined) {
    log('error', 'stateDir is not writable; starting degraded (alerts held in memory, still sent)', {
      stateDir: state.dir,
      cause: state.problem,
    });
    health.stateWrite('journal', state.problem);
  }
  // @kubernetes/client-node costs ~70 MB of RSS once imported: only load it when it is used.
  const kube = config.kubernetes.enabled ? await import('../agent/kube/reporter.ts') : undefined;
  // Already validated by the config loader; an absent block means no sinks.
  const delivery = (config.alerts as DeliveryConfig | undefined) ?? deliveryConfigSchema.parse({});
  const agent = await startAgent(config, {
    probes: ctx.probes,
    log,
    version: VERSION,
    health,
    ...(web ? { web } : {}),
    createQueue: (registry) =>
      createDelivery(delivery, {
        stateDir: config.stateDir,
        registry,
        log,
        node: config.node,
        onPersist: (error) => health.stateWrite('outbox', error),
      }),
    createReporter: (registry) =>
      kube?.createNodeReporter(config.kubernetes, { node: config.node, registry, log }),
  });
  return { agent, health };
}

async function runForever(
  config: AgentConfig,
  ctx: ConfigContext,
  log: Log,
  web?: WebConfig,
): Promise<number> {
  const { agent } = await startProductionAgent(config, ctx, log, web);
  return new Promise<number>((resolvePromise) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      log('info', 'signal received; stopping', { signal });
      agent.stop(`signal ${signal}`).then(
        () => {
          // The journal already says "stopped". A socket or child a probe or sink left behind (a
          // hung mount's stat child, a black-holed TCP connection) must not keep the process alive
          // until the kubelet's SIGKILL: exit after a short grace if the event loop does not drain.
          setTimeout(() => process.exit(EXIT_OK), 3000).unref();
          resolvePromise(EXIT_OK);
        },
        (err) => {
          log('error', 'unclean stop', { error: String(err) });
          resolvePromise(EXIT_INTERNAL);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

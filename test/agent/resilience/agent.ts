/** A real agent (production wiring, real delivery) with a probe the test scripts, and a receiver. */
import { z } from 'zod';
import { parseAgentConfig } from '../../../src/agent/config.ts';
import { deliveryConfigSchema } from '../../../src/agent/delivery/config.ts';
import { defineProbe, type TargetResult } from '../../../src/agent/probe.ts';
import { startProductionAgent } from '../../../src/cli/agent.ts';
import { type Receiver, startReceiver } from '../delivery/receiver.ts';

export interface LogLine {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

export function scriptedProbe() {
  const state: { targets: TargetResult[] } = { targets: [] };
  const def = defineProbe({
    name: 'scripted',
    configSchema: z.strictObject({}),
    create: () => ({ run: async () => ({ ok: true, reason: 'ok', message: '', targets: state.targets }) }),
  });
  return { def, state };
}

export const HUNG: TargetResult = { check: 'mount:/mnt/a', ok: false, reason: 'hung', message: 'stat hangs' };
export const FINE: TargetResult = { check: 'mount:/mnt/a', ok: true, reason: 'ok', message: 'ok' };

export async function startTestAgent(stateDir: string, extra = '') {
  const receiver: Receiver = await startReceiver();
  const probe = scriptedProbe();
  probe.state.targets = [FINE];
  const text = [
    'listen: 127.0.0.1:0',
    'node: n1',
    `stateDir: ${stateDir}`,
    'interval: 100ms',
    'timeout: 80ms',
    'states: {failAfter: 1, recoverAfter: 1}',
    'journal: {heartbeat: 200ms}',
    'alerts:',
    '  retry: {initial: 100ms, max: 500ms}',
    '  sinks:',
    `    - {type: webhook, name: hook, url: "${receiver.url}/hook"}`,
    extra,
  ].join('\n');
  const ctx = { probes: [probe.def], alertsSchema: deliveryConfigSchema, env: {} };
  const logs: LogLine[] = [];
  const log = (level: string, msg: string, fields?: Record<string, unknown>) => {
    logs.push(fields ? { level, msg, fields } : { level, msg });
  };
  let started: Awaited<ReturnType<typeof startProductionAgent>>;
  try {
    started = await startProductionAgent(parseAgentConfig(text, 'agent.yaml', ctx), ctx, log);
  } catch (err) {
    // A config the agent refuses must not leave the receiver listening (it kept the test process alive).
    await receiver.stop();
    throw err;
  }
  const { agent, health } = started;
  const base = `http://127.0.0.1:${agent.address.port}`;
  const get = async (path: string) => {
    const r = await fetch(`${base}${path}`);
    return { status: r.status, body: await r.text() };
  };
  /** Alerts the receiver got, parsed. */
  const alerts = () =>
    receiver.received.map(
      (r) => JSON.parse(r.body) as { key: string; status: string; id: string; title: string },
    );
  return { agent, health, receiver, probe, logs, get, alerts };
}

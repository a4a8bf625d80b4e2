/**
 * A real agent (bench/lib/agent.ts) watching a real nfs-ganesha and a real FUSE mount, alerting a local
 * webhook: what the deploy/ tests scrape to check the dashboard, rules and metric list against.
 */
import { type RunningAgent, startAgent } from '../../bench/lib/agent.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../bench/lib/webhook.ts';
import { type FrozenMount, startFrozenMount } from '../helpers/bindfs.ts';
import { type Ganesha, startGanesha } from '../helpers/ganesha.ts';

export interface WatchedAgent {
  ganesha: Ganesha;
  mount: FrozenMount;
  hook: WebhookReceiver;
  agent: RunningAgent;
  /** Stop the agent first, then what it watches; safe after a partial start. */
  stop(): Promise<void>;
}

/** Starts everything in `dir`; if one part fails to start, the parts already running are stopped. */
export async function startWatchedAgent(dir: string): Promise<WatchedAgent> {
  const parts: Partial<WatchedAgent> = {};
  const stop = async () => {
    parts.ganesha?.resume();
    await parts.agent?.stop();
    await parts.hook?.close();
    await parts.mount?.stop();
    await parts.ganesha?.stop();
  };
  try {
    const ganesha = await startGanesha();
    parts.ganesha = ganesha;
    const mount = await startFrozenMount();
    parts.mount = mount;
    const hook = await startWebhookReceiver();
    parts.hook = hook;
    const agent = await startAgent(
      dir,
      { nfsServer: `${ganesha.host}:${ganesha.port}`, mountPath: mount.mountpoint, webhookUrl: hook.url },
      'source',
    );
    parts.agent = agent;
    return { ganesha, mount, hook, agent, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

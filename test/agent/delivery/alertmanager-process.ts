/** A real Alertmanager (Debian prometheus-alertmanager) on 127.0.0.1, clustering off, for sink tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireExecutable } from '../../helpers/lab.ts';
import { freePort } from '../../helpers/ports.ts';
import { collectText, spawnGroup } from '../../helpers/process-group.ts';

export interface RunningAlertmanager {
  url: string;
  /** GET /api/v2/alerts (active, silenced, inhibited, unprocessed). */
  alerts(): Promise<
    Array<{
      labels: Record<string, string>;
      annotations: Record<string, string>;
      startsAt: string;
      endsAt: string;
      status: { state: string };
    }>
  >;
  stop(): Promise<void>;
}

/** resolveTimeout: how long Alertmanager keeps an alert that has no endsAt and is not re-sent. */
export async function startAlertmanager(resolveTimeout = '5m'): Promise<RunningAlertmanager> {
  const bin = requireExecutable('prometheus-alertmanager', 'prometheus-alertmanager');
  const dir = mkdtempSync(join(tmpdir(), 'faultline-am-'));
  writeFileSync(
    join(dir, 'am.yml'),
    `global:\n  resolve_timeout: ${resolveTimeout}\nroute:\n  receiver: blackhole\n  group_wait: 1h\nreceivers:\n  - name: blackhole\n`,
  );
  let lastErr = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const server = spawnGroup(
      bin,
      [
        `--config.file=${join(dir, 'am.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const stderr = collectText(server.child.stderr);
    const url = `http://127.0.0.1:${port}`;
    const end = Date.now() + 15_000;
    while (!server.exited() && Date.now() < end) {
      try {
        const res = await fetch(`${url}/-/ready`);
        if (res.ok) {
          return {
            url,
            alerts: async () => (await (await fetch(`${url}/api/v2/alerts`)).json()) as never,
            stop: async () => {
              await server.kill();
              rmSync(dir, { recursive: true, force: true });
            },
          };
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    lastErr = stderr();
    await server.kill();
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`alertmanager did not become ready: ${lastErr.slice(-2000)}`);
}

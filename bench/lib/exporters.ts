/**
 * The baselines, as a user would deploy them from Debian: prometheus-blackbox-exporter with a
 * tcp_connect module aimed at the NFS port, and prometheus-node-exporter with its default collectors.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireExecutable } from '../../test/helpers/lab.ts';
import { freePort } from '../../test/helpers/ports.ts';
import { type Daemon, startDaemon } from './daemon.ts';
import { sampleValue, timedGet, waitForHttp } from './http.ts';

export interface Exporter extends Daemon {
  base: string;
}

export async function startBlackboxExporter(
  dir: string,
): Promise<Exporter & { tcpProbe(target: string): Promise<number> }> {
  const bin = requireExecutable('prometheus-blackbox-exporter', 'prometheus-blackbox-exporter');
  const config = join(dir, 'blackbox.yml');
  // The module a user writes to watch an NFS server's port.
  writeFileSync(config, 'modules:\n  tcp_connect:\n    prober: tcp\n    timeout: 3s\n');
  const port = await freePort();
  const d = startDaemon(
    bin,
    [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`],
    join(dir, 'blackbox.log'),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/metrics`, 15_000);
  return {
    ...d,
    base,
    /** probe_success of one tcp_connect probe (as Prometheus would scrape /probe). */
    async tcpProbe(target) {
      const r = await timedGet(
        `${base}/probe?module=tcp_connect&target=${encodeURIComponent(target)}`,
        10_000,
      );
      const v = sampleValue(r.body, 'probe_success');
      if (v === undefined) throw new Error(`blackbox /probe gave no probe_success: ${r.body.slice(0, 200)}`);
      return v;
    },
  };
}

/** node_exporter 1.5's default filesystem mount-points-exclude (Debian 12). */
export const NODE_EXPORTER_DEFAULT_MOUNT_EXCLUDE =
  '^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)';

/**
 * `extraMountExclude`: alternatives added to the default exclude, e.g. other test suites' frozen FUSE
 * mounts on a shared machine, which would otherwise hang every scrape before the bench's own does.
 */
export async function startNodeExporter(dir: string, extraMountExclude?: string): Promise<Exporter> {
  const bin = requireExecutable('prometheus-node-exporter', 'prometheus-node-exporter');
  const port = await freePort();
  const args = [`--web.listen-address=127.0.0.1:${port}`];
  if (extraMountExclude) {
    args.push(
      `--collector.filesystem.mount-points-exclude=${NODE_EXPORTER_DEFAULT_MOUNT_EXCLUDE.replace(')($|/)', `|${extraMountExclude})($|/)`)}`,
    );
  }
  const d = startDaemon(bin, args, join(dir, 'node-exporter.log'));
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/metrics`, 15_000);
  return { ...d, base };
}

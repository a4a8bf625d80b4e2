/**
 * Applications their upstream documents as unsafe on NFS (each entry quotes its source), recognised by image, labels or name.
 * Data, not code: add an entry to teach the audit a new one.
 */
import type { Severity } from '../../core/severity.ts';

export type AppCategory = 'tsdb' | 'logs' | 'database' | 'sqlite' | 'etcd';

export interface UnsafeApp {
  id: string;
  name: string;
  category: AppCategory;
  /** The app needs `hard` for correctness (a soft mount turns an outage into I/O errors in its files). */
  needsHard: boolean;
  severity: Severity;
  /** Matched against the image repository (registry and tag stripped), app labels and object name. */
  pattern: RegExp;
  /** What upstream says, with the source. */
  upstream: string;
  /** Where its data should live instead. */
  advice: string;
}

const DB_ADVICE =
  'move it to block storage (a ReadWriteOnce local/Longhorn/cloud-disk class); if it must stay on NFS, keep `hard` and add an NFS-aware watchdog (watchdog test-binary with test-timeout) — do not switch it to soft';

export const UNSAFE_APPS: readonly UnsafeApp[] = [
  {
    id: 'prometheus',
    name: 'Prometheus',
    category: 'tsdb',
    needsHard: false,
    severity: 'high',
    pattern: /(^|[/-])prometheus$/,
    upstream: '"NFS filesystems (including AWS\'s EFS) are not supported" (prometheus.io, storage)',
    advice: 'put the TSDB on local or block storage and send long-term data to remote storage',
  },
  {
    id: 'loki',
    name: 'Loki',
    category: 'logs',
    needsHard: false,
    severity: 'high',
    pattern: /(^|[/-])loki$/,
    upstream: '"using shared filesystems is likely going to be a bad experience with Loki" (Grafana docs)',
    advice: 'use object storage (S3/MinIO) for chunks and local disk for the WAL',
  },
  {
    id: 'postgresql',
    name: 'PostgreSQL',
    category: 'database',
    needsHard: true,
    severity: 'high',
    pattern: /(^|[/-])(postgres|postgresql|postgis|timescaledb(-ha)?|cloudnative-pg|spilo(-\d+)?)$/,
    upstream:
      '"The only firm requirement for using NFS with PostgreSQL is that the file system is mounted using the hard option" (postgresql.org)',
    advice: DB_ADVICE,
  },
  {
    id: 'mysql',
    name: 'MySQL/MariaDB',
    category: 'database',
    needsHard: true,
    severity: 'high',
    pattern: /(^|[/-])(mysql|mysql-server|mariadb|percona(-server)?)$/,
    upstream: 'MySQL: be "cautious when considering whether to use NFS" (MySQL reference manual)',
    advice: DB_ADVICE,
  },
  {
    id: 'mongodb',
    name: 'MongoDB',
    category: 'database',
    needsHard: true,
    severity: 'high',
    pattern: /(^|[/-])(mongo|mongodb|mongodb-community-server)$/,
    upstream: 'a database engine: an I/O error mid-write can corrupt or crash it',
    advice: DB_ADVICE,
  },
  {
    id: 'etcd',
    name: 'etcd',
    category: 'etcd',
    needsHard: true,
    severity: 'critical',
    pattern: /(^|[/-])etcd$/,
    upstream:
      'etcd: avoid network file systems (OpenShift etcd practices); fsync latency drives leader elections',
    advice: 'run etcd on local SSD',
  },
  {
    id: 'sqlite-apps',
    name: 'an SQLite-backed app',
    category: 'sqlite',
    needsHard: false,
    severity: 'high',
    pattern:
      /(^|[/-])(grafana|vaultwarden|home-assistant|homeassistant|sonarr|radarr|lidarr|readarr|prowlarr|bazarr|jellyfin|plex|plex-media-server|uptime-kuma|gitea|forgejo|sqlite|pihole|adguardhome|paperless-ngx|immich-server|syncthing)$/,
    upstream:
      '"fcntl() file locking is broken on many NFS implementations" and "WAL does not work over a network filesystem" (sqlite.org)',
    advice: 'put its data directory on local or block storage',
  },
];

/** The image repository without registry host and tag: "docker.io/grafana/loki:3.0" → "grafana/loki". */
export function imageRepository(image: string): string {
  let s = image.split('@')[0] ?? image;
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  const parts = s.split('/');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) parts.shift();
  return parts.join('/').toLowerCase();
}

/** Which catalog entry an image or label value names, if any. */
export function matchApp(candidate: string): UnsafeApp | undefined {
  const c = candidate.toLowerCase();
  return UNSAFE_APPS.find((a) => a.pattern.test(c));
}

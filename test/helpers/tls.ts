/** TLS material for tests, made by the real openssl (Debian openssl). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { requireExecutable } from './lab.ts';

export interface CertFiles {
  /** PEM private key path. */
  key: string;
  /** PEM certificate path (also its own CA: it is self-signed). */
  cert: string;
}

/**
 * A self-signed P-256 certificate valid for one day, written as `<dir>/<name>.key` and `<dir>/<name>.pem`.
 * `subjectAltName` in openssl's syntax, e.g. "DNS:alerts.lab.test" or "IP:127.0.0.1".
 */
export function selfSignedCert(dir: string, name: string, subjectAltName: string): CertFiles {
  const openssl = requireExecutable('openssl', 'openssl');
  const files = { key: join(dir, `${name}.key`), cert: join(dir, `${name}.pem`) };
  const r = spawnSync(
    openssl,
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      files.key,
      '-out',
      files.cert,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      `subjectAltName=${subjectAltName}`,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl req failed (${r.status ?? r.signal}): ${r.stderr}`);
  return files;
}

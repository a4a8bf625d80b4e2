/**
 * `--web.config.file`: the Prometheus exporter-toolkit web configuration that node_exporter users
 * already write (docs/web-configuration.md in prometheus/exporter-toolkit): TLS, client
 * certificates, basic auth with bcrypt hashes, response headers. Keys the agent does not implement
 * (cipher_suites, rate_limit, …) are refused by name rather than silently ignored, so a file never
 * looks more secure than it is. Read once at start; errors name the file and line.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import { FaultlineError } from '../../core/errors.ts';

const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
const CLIENT_AUTH = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;

const tlsSchema = z
  .strictObject({
    cert: z.string().optional(),
    key: z.string().optional(),
    client_ca: z.string().optional(),
    cert_file: z.string().optional(),
    key_file: z.string().optional(),
    client_ca_file: z.string().optional(),
    client_auth_type: z.enum(CLIENT_AUTH).default('NoClientCert'),
    min_version: z.enum(Object.keys(TLS_VERSIONS) as [keyof typeof TLS_VERSIONS]).default('TLS12'),
    max_version: z.enum(Object.keys(TLS_VERSIONS) as [keyof typeof TLS_VERSIONS]).default('TLS13'),
  })
  .superRefine((t, ctx) => {
    if ((t.cert === undefined) === (t.cert_file === undefined))
      ctx.addIssue({ code: 'custom', path: ['cert_file'], message: 'give exactly one of cert_file or cert' });
    if ((t.key === undefined) === (t.key_file === undefined))
      ctx.addIssue({ code: 'custom', path: ['key_file'], message: 'give exactly one of key_file or key' });
    if (t.client_ca !== undefined && t.client_ca_file !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['client_ca_file'],
        message: 'give client_ca_file or client_ca, not both',
      });
    const verifies =
      t.client_auth_type === 'RequireAndVerifyClientCert' || t.client_auth_type === 'VerifyClientCertIfGiven';
    if (verifies && t.client_ca === undefined && t.client_ca_file === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['client_auth_type'],
        message: `${t.client_auth_type} needs client_ca_file`,
      });
  });

const BCRYPT = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/;

const webSchema = z.strictObject({
  tls_server_config: tlsSchema.optional(),
  http_server_config: z
    .strictObject({
      // Accepted for compatibility; the agent serves HTTP/1.1 only.
      http2: z.boolean().optional(),
      headers: z
        .strictObject({
          'Content-Security-Policy': z.string().optional(),
          'X-Frame-Options': z.enum(['deny', 'sameorigin']).optional(),
          'X-Content-Type-Options': z.literal('nosniff').optional(),
          'X-XSS-Protection': z.string().optional(),
          'Strict-Transport-Security': z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  basic_auth_users: z
    .record(
      z
        .string()
        .min(1)
        .regex(/^[^:]+$/, 'a user name cannot contain ":"'),
      z.string().regex(BCRYPT, 'expected a bcrypt hash (htpasswd -nBC 10 "" | tr -d \':\\n\')'),
    )
    .optional(),
});

export interface WebConfig {
  file: string;
  tls?: {
    cert: string;
    key: string;
    ca?: string;
    clientAuthType: (typeof CLIENT_AUTH)[number];
    requestCert: boolean;
    rejectUnauthorized: boolean;
    minVersion: (typeof TLS_VERSIONS)[keyof typeof TLS_VERSIONS];
    maxVersion: (typeof TLS_VERSIONS)[keyof typeof TLS_VERSIONS];
  };
  /** user → bcrypt hash; undefined or empty: no basic auth. */
  users?: Map<string, string>;
  headers: Record<string, string>;
}

export function loadWebConfig(file: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FaultlineError('config', `cannot read web config: ${(err as Error).message}`, { file });
  }
  return parseWebConfig(text, file);
}

export function parseWebConfig(text: string, file: string): WebConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new FaultlineError('config', `YAML: ${e.message.split('\n')[0]}`, {
      file,
      line: lc.linePos(e.pos[0]).line,
    });
  }
  const parsed = webSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const path = i.path.map(String);
    const key = i.code === 'unrecognized_keys' ? [...path, i.keys[0]!] : path;
    const msg =
      i.code === 'unrecognized_keys'
        ? `${key.join('.')}: not supported by faultline (refused rather than ignored)`
        : `${key.join('.') || '(top level)'}: ${i.message}`;
    throw new FaultlineError('config', msg, { file, line: lineOf(doc.contents as Node | null, key, lc) });
  }
  const d = parsed.data;
  const base = dirname(resolve(file));
  // Like exporter-toolkit, relative paths are relative to the web config file.
  const read = (what: string, f: string) => {
    try {
      return readFileSync(resolve(base, f), 'utf8');
    } catch (err) {
      throw new FaultlineError('config', `tls_server_config.${what}: ${(err as Error).message}`, { file });
    }
  };
  const out: WebConfig = { file, headers: {} };
  for (const [k, v] of Object.entries(d.http_server_config?.headers ?? {})) if (v) out.headers[k] = v;
  const t = d.tls_server_config;
  if (t) {
    const ca = t.client_ca ?? (t.client_ca_file ? read('client_ca_file', t.client_ca_file) : undefined);
    out.tls = {
      cert: t.cert ?? read('cert_file', t.cert_file!),
      key: t.key ?? read('key_file', t.key_file!),
      ...(ca !== undefined ? { ca } : {}),
      clientAuthType: t.client_auth_type,
      requestCert: t.client_auth_type !== 'NoClientCert',
      // Node checks the chain whenever it rejects unauthorized peers; the "if given" and "any" modes
      // are enforced per request in the server instead.
      rejectUnauthorized: t.client_auth_type === 'RequireAndVerifyClientCert',
      minVersion: TLS_VERSIONS[t.min_version],
      maxVersion: TLS_VERSIONS[t.max_version],
    };
  }
  if (d.basic_auth_users && Object.keys(d.basic_auth_users).length > 0)
    out.users = new Map(Object.entries(d.basic_auth_users));
  return out;
}

function lineOf(root: Node | null, path: string[], lc: LineCounter): number | undefined {
  let cur: Node | null = root;
  let line: number | undefined = cur?.range ? lc.linePos(cur.range[0]).line : undefined;
  for (const key of path) {
    if (!isMap(cur)) break;
    const pair = cur.items.find((it) => (it.key as { value?: unknown } | null)?.value === key);
    if (!pair) break;
    const k = pair.key as Node;
    if (k?.range) line = lc.linePos(k.range[0]).line;
    cur = pair.value as Node | null;
  }
  return line;
}

/**
 * Checks `Authorization: Basic …` against the bcrypt hashes. bcrypt is slow on purpose (~70 ms at
 * cost 10), so a verified user:password is cached like exporter-toolkit does (keyed by a SHA-256 of
 * both, never the password itself), and failures are not cached.
 */
export class BasicAuth {
  private readonly ok = new Set<string>();

  constructor(private readonly users: Map<string, string>) {}

  async check(header: string | undefined): Promise<boolean> {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const hash = this.users.get(user);
    if (hash === undefined) return false;
    const { createHash } = await import('node:crypto');
    const key = createHash('sha256')
      .update(user)
      .update('\0')
      .update(password)
      .update('\0')
      .update(hash)
      .digest('hex');
    if (this.ok.has(key)) return true;
    const bcrypt = (await import('bcryptjs')).default;
    if (!(await bcrypt.compare(password, hash))) return false;
    if (this.ok.size > 64) this.ok.clear();
    this.ok.add(key);
    return true;
  }
}

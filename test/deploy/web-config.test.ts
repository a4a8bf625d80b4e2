/**
 * --web.config.file, the exporter-toolkit format node_exporter users know (prometheus/exporter-toolkit
 * docs/web-configuration.md): TLS with real openssl certificates, client certificates, basic auth
 * with bcrypt hashes ($2y$ as htpasswd writes them), headers; unsupported keys refused by name.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { Registry } from 'prom-client';
import { startServer } from '../../src/agent/runtime/server.ts';
import { loadWebConfig, parseWebConfig } from '../../src/agent/runtime/web-config.ts';
import { FaultlineError } from '../../src/core/errors.ts';
import { selfSignedCert } from '../helpers/tls.ts';

const dir = mkdtempSync(join(tmpdir(), 'fl-agentprod-web-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const health = {
  loopLagMs: () => 0,
  schedulerIdleMs: () => 0,
  schedulerIdleLimitMs: 10_000,
  ready: () => ({ ready: true, reason: 'ready' }),
};

function get(
  port: number,
  path: string,
  opts: { ca?: string; auth?: string; cert?: string; key?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        headers: opts.auth ? { authorization: `Basic ${Buffer.from(opts.auth).toString('base64')}` } : {},
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('--web.config.file (exporter-toolkit format)', () => {
  const server = selfSignedCert(dir, 'agent', 'IP:127.0.0.1');
  const client = selfSignedCert(dir, 'prometheus', 'DNS:prometheus');
  // htpasswd -nBC 10 writes $2y$; bcryptjs writes $2b$: the same algorithm.
  const hash = bcrypt.hashSync('s3cret', 10).replace(/^\$2b\$/, '$2y$');

  it('TLS + basic auth: /metrics needs the password, /healthz and /readyz stay open for the kubelet', async () => {
    const file = join(dir, 'web.yml');
    writeFileSync(
      file,
      [
        'tls_server_config:',
        '  cert_file: agent.pem', // relative to the web config file, like exporter-toolkit
        '  key_file: agent.key',
        'http_server_config:',
        '  headers:',
        '    X-Content-Type-Options: nosniff',
        'basic_auth_users:',
        `  prometheus: ${hash}`,
        '',
      ].join('\n'),
    );
    const web = loadWebConfig(file);
    const s = await startServer({ host: '127.0.0.1', port: 0, registry: new Registry(), health, web });
    const ca = readFileSync(server.cert, 'utf8');
    try {
      const port = s.address.port;
      assert.equal((await get(port, '/metrics', { ca })).status, 401);
      assert.equal((await get(port, '/metrics', { ca, auth: 'prometheus:wrong' })).status, 401);
      assert.equal((await get(port, '/metrics', { ca, auth: 'nobody:s3cret' })).status, 401);
      const ok = await get(port, '/metrics', { ca, auth: 'prometheus:s3cret' });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers['x-content-type-options'], 'nosniff');
      // Cached after the first bcrypt check: the second answer is the same.
      assert.equal((await get(port, '/metrics', { ca, auth: 'prometheus:s3cret' })).status, 200);
      assert.equal((await get(port, '/healthz', { ca })).status, 200);
      assert.equal((await get(port, '/readyz', { ca })).status, 200);
      // Plain HTTP to a TLS port gets nowhere.
      await assert.rejects(fetch(`http://127.0.0.1:${port}/metrics`));
    } finally {
      await s.close();
    }
  });

  it('RequireAndVerifyClientCert: only a client certificate from client_ca_file gets in', async () => {
    const web = parseWebConfig(
      [
        'tls_server_config:',
        `  cert_file: ${server.cert}`,
        `  key_file: ${server.key}`,
        '  client_auth_type: RequireAndVerifyClientCert',
        `  client_ca_file: ${client.cert}`,
        '',
      ].join('\n'),
      join(dir, 'mtls.yml'),
    );
    const s = await startServer({ host: '127.0.0.1', port: 0, registry: new Registry(), health, web });
    const ca = readFileSync(server.cert, 'utf8');
    try {
      await assert.rejects(get(s.address.port, '/metrics', { ca }));
      const ok = await get(s.address.port, '/metrics', {
        ca,
        cert: readFileSync(client.cert, 'utf8'),
        key: readFileSync(client.key, 'utf8'),
      });
      assert.equal(ok.status, 200);
    } finally {
      await s.close();
    }
  });

  it('refuses what it does not implement, and bad hashes, at file:line', () => {
    const bad = (text: string) => {
      try {
        parseWebConfig(text, 'web.yml');
      } catch (err) {
        assert.ok(err instanceof FaultlineError);
        return `${err.location?.line}: ${err.message}`;
      }
      assert.fail('accepted');
    };
    assert.match(
      bad('basic_auth_users:\n  alice: plaintext\n'),
      /^2: basic_auth_users\.alice: expected a bcrypt hash/,
    );
    assert.match(
      bad(`tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites: [X]\n`),
      /^4: tls_server_config\.cipher_suites: not supported by faultline/,
    );
    assert.match(bad('rate_limit:\n  interval: 1s\n'), /^1: rate_limit: not supported/);
    assert.match(
      bad(
        'tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n',
      ),
      /client_auth_type: RequireAndVerifyClientCert needs client_ca_file/,
    );
  });
});

/**
 * The agent image (issue 10 §1), built here the way the release workflow builds it
 * (scripts/image/build.sh: Debian packages + node + the app; no base image from a registry), then
 * checked from outside (skopeo: user, entrypoint, labels, size) and run. This sandbox refuses
 * `podman run` (crun: "setrlimit `RLIMIT_NOFILE`: Operation not permitted", then "cgroups in hybrid
 * mode not supported"), so the image runs under `buildah run --isolation chroot`, which needs neither.
 * The root filesystem is cached in build/image (it changes only with the script), so a rebuild is
 * the app and one buildah build.
 */

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { NODE_FLAGS } from '../../src/agent/runtime/node-flags.ts';
import { requireExecutable } from '../helpers/lab.ts';

const ROOT = join(import.meta.dirname, '../..');
const TAG = 'localhost/faultline/agent:test';
const dir = mkdtempSync(join(tmpdir(), 'fl-agentprod-image-'));
const archive = join(dir, 'agent.tar');
let container: string | undefined;

after(() => {
  if (container) spawnSync('buildah', ['rm', container], { stdio: 'ignore' });
  spawnSync('buildah', ['manifest', 'rm', TAG], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
});

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
}

describe('agent image', () => {
  const buildah = requireExecutable('buildah', 'buildah');
  requireExecutable('mmdebstrap', 'mmdebstrap');
  const skopeo = requireExecutable('skopeo', 'skopeo');

  it('builds from Debian packages with scripts/image/build.sh', { timeout: 900_000 }, () => {
    const arch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
    // The node that runs this test goes into the image (CI and release builds download nodejs.org's).
    const r = run(
      'bash',
      ['scripts/image/build.sh', '--arch', arch, '--tag', TAG, '--oci-archive', archive],
      {
        [`NODE_BINARY_${arch}`]: process.execPath,
      },
    );
    assert.equal(r.status, 0, `build.sh failed:\n${r.stderr.slice(-4000)}`);
    assert.equal(r.stdout.trim(), TAG);
  });

  it('config: non-root user, entrypoint, OCI labels; size bounded', () => {
    const config = JSON.parse(run(skopeo, ['inspect', '--config', `oci-archive:${archive}`]).stdout);
    assert.equal(config.config.User, '65532:65532');
    assert.deepEqual(config.config.Entrypoint, [
      '/usr/bin/node',
      ...NODE_FLAGS.split(' '),
      '/opt/faultline/dist/src/cli/bin.js',
    ]);
    assert.deepEqual(config.config.Cmd, ['agent', '--config', '/etc/faultline/agent.yaml']);
    const labels = config.config.Labels as Record<string, string>;
    assert.equal(labels['org.opencontainers.image.version'], '0.1.0');
    assert.equal(labels['org.opencontainers.image.licenses'], 'Apache-2.0');
    assert.match(labels['org.opencontainers.image.revision'] ?? '', /^[0-9a-f]{40}$|^unknown$/);
    const info = JSON.parse(run(skopeo, ['inspect', `oci-archive:${archive}`]).stdout);
    assert.equal(info.Layers.length, 1, 'one layer (FROM scratch, then ADD/COPY only)');
    assert.equal(
      info.Architecture,
      execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim(),
    );
    // The archive holds the compressed layer plus a few small JSON blobs.
    const compressedMb = statSync(archive).size / 1e6;
    // node alone is ~30 MB compressed; app + node_modules ~10 MB; Debian libs ~5 MB.
    assert.ok(compressedMb < 80, `image is ${compressedMb.toFixed(1)} MB compressed`);
  });

  it('runs as uid 65532 with no shell and no package manager inside', () => {
    const from = run(buildah, ['from', '--pull-never', TAG]);
    assert.equal(from.status, 0, from.stderr);
    container = from.stdout.trim().split('\n').pop();
    const exec = (user: string, ...argv: string[]) =>
      run(buildah, ['run', '--isolation', 'chroot', '--user', user, container!, '--', ...argv]);
    const version = exec('65532:65532', '/usr/bin/node', '/opt/faultline/dist/src/cli/bin.js', '--version');
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), 'faultline 0.1.0');
    const id = exec('65532:65532', '/usr/bin/node', '-e', 'process.stdout.write(String(process.getuid()))');
    assert.equal(id.stdout, '65532');
    const help = exec(
      '65532:65532',
      '/usr/bin/node',
      '/opt/faultline/dist/src/cli/bin.js',
      'agent',
      '--help',
    );
    assert.match(help.stdout, /--web\.config\.file/);
    for (const tool of ['/bin/sh', '/usr/bin/dpkg', '/usr/bin/apt-get', '/usr/bin/bash']) {
      const r = exec('0:0', tool, '--version');
      assert.notEqual(r.status, 0, `${tool} is in the image`);
      assert.match(r.stderr, /no such file or directory/i, r.stderr);
    }
  });
});

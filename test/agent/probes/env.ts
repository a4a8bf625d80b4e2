import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Registry } from 'prom-client';
import { DEFAULT_HOST_PATHS, type HostPaths, type ProbeEnv } from '../../../src/agent/probe.ts';
import { MountInfoCache } from '../../../src/host/mountinfo.ts';

export interface TestEnv extends ProbeEnv {
  logs: { level: string; msg: string; fields?: Record<string, unknown> }[];
  metrics(): Promise<string>;
}

/** A ProbeEnv with a fresh registry and captured logs. */
export function testEnv(paths: Partial<HostPaths> = {}): TestEnv {
  const registry = new Registry();
  const logs: TestEnv['logs'] = [];
  const all = { ...DEFAULT_HOST_PATHS, ...paths };
  return {
    paths: all,
    mounts: new MountInfoCache(all.proc),
    registry,
    log: (level, msg, fields) => {
      logs.push({ level, msg, fields });
    },
    logs,
    metrics: () => registry.metrics(),
  };
}

/** Build a fake host tree: { 'proc/self/mountinfo': '...' } → a temp dir holding those files. */
export function fixtureTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'faultline-tree-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

/** The value of one sample in Prometheus text output, or undefined. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]),
    );
    if (
      Object.entries(labels).every(([k, v]) => got[k] === v) &&
      Object.keys(got).length === Object.keys(labels).length
    ) {
      return Number(m[3]);
    }
  }
  return undefined;
}

/** A target's detail, asserted present (a missing detail fails the test with its name). */
export function detail<T>(target: { check: string; details?: Record<string, unknown> }, key: string): T {
  const v = target.details?.[key];
  if (v === undefined) throw new Error(`${target.check}: no '${key}' in details`);
  return v as T;
}

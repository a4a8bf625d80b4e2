/**
 * Test table runner for node rules: each case is a small node root (files written under a temp dir and
 * read by the real --node-root readers) plus optional manifests; `expect` lists the findings by
 * node file and line ([] = valid input, no finding).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { DEFAULT_SETTINGS, Inventory } from '../../../../src/audit/inventory.ts';
import type { Rule } from '../../../../src/audit/rule.ts';
import { NODE_EXAMPLES } from '../../../../src/audit/rules/node/index.ts';
import { expandWrappers } from '../../../../src/audit/sources/gitops/index.ts';
import { readNodeRoot } from '../../../../src/audit/sources/node/index.ts';
import { parseManifests } from '../../../../src/audit/sources/yaml.ts';
import type { Finding } from '../../../../src/core/finding.ts';
import { ruleCases } from '../harness.ts';

export type NodeTree = Record<string, string | { symlink: string }>;

export interface NodeCase {
  name: string;
  files: NodeTree;
  manifests?: string;
  /** Expected findings: node file (or manifest file 'm.yaml') and line; `has` must appear in the message. */
  expect: { file: string; line?: number; has?: string; severity?: Finding['severity'] }[];
}

const roots: string[] = [];

export function writeRoot(files: NodeTree): string {
  const root = mkdtempSync(join(tmpdir(), 'faultline-node-'));
  roots.push(root);
  for (const [p, content] of Object.entries(files)) {
    const host = join(root, p);
    mkdirSync(dirname(host), { recursive: true });
    if (typeof content === 'string') writeFileSync(host, content);
    else symlinkSync(content.symlink, host);
  }
  return root;
}

export async function nodeInventory(files: NodeTree, manifests = ''): Promise<Inventory> {
  const root = writeRoot(files);
  const { facts } = await readNodeRoot(root);
  const parsed = parseManifests(manifests, 'm.yaml').objects;
  // GitOps wrappers too, as the file source does: chart values become the objects they render.
  const objects = [...parsed, ...expandWrappers(parsed, manifests, [])];
  return new Inventory(objects, facts, DEFAULT_SETTINGS);
}

/**
 * Adapter onto the one harness (../harness.ts). `context`: other node files the documented examples need
 * (e.g. a hard NFS fstab line for the watchdog rules); the example itself is written at its `file`, or
 * read as manifests when it has none.
 */
export function ruleTable(rule: Rule, cases: readonly NodeCase[], context: NodeTree = {}): void {
  after(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });
  assert.ok(
    cases.some((c) => c.expect.length === 0),
    `${rule.meta.id}: at least one valid case`,
  );
  const ex = NODE_EXAMPLES.get(rule.meta.id);
  assert.ok(ex, `NODE_EXAMPLES has ${rule.meta.id}`);
  const exampleInventory = (text: string) =>
    ex.file ? nodeInventory({ ...context, [ex.file]: text }) : nodeInventory(context, text);
  ruleCases(
    rule,
    cases.map((c) => ({
      name: c.name,
      expect: c.expect.map((e) => ({
        file: e.file,
        ...(e.line === undefined ? {} : { line: e.line }),
        ...(e.has === undefined ? {} : { message: [e.has] }),
        ...(e.severity === undefined ? {} : { severity: e.severity }),
      })),
      inventory: () => nodeInventory(c.files, c.manifests),
    })),
    { bad: () => exampleInventory(ex.bad), good: () => exampleInventory(ex.good) },
  );
}

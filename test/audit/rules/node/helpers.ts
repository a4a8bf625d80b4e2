/**
 * Test table runner for node rules: each case is a small node root (files written under a temp dir and
 * read by the real --node-root readers) plus optional manifests; `expect` lists the findings by
 * node file and line ([] = valid input, no finding).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_SETTINGS, Inventory } from '../../../../src/audit/inventory.ts';
import { type Rule, runRules } from '../../../../src/audit/rule.ts';
import { NODE_EXAMPLES } from '../../../../src/audit/rules/node/index.ts';
import { expandWrappers } from '../../../../src/audit/sources/gitops/index.ts';
import { readNodeRoot } from '../../../../src/audit/sources/node/index.ts';
import { parseManifests } from '../../../../src/audit/sources/yaml.ts';
import type { Finding } from '../../../../src/core/finding.ts';

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
 * `context`: other node files the documented examples need (e.g. a hard NFS fstab line for the
 * watchdog rules); the example itself is written at its `file`, or read as manifests when it has none.
 */
export function ruleTable(rule: Rule, cases: readonly NodeCase[], context: NodeTree = {}): void {
  after(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });
  describe(rule.meta.id, () => {
    it('has complete metadata', () => {
      assert.ok(rule.meta.description.length > 100, 'description explains the mechanism');
      assert.ok(rule.meta.fix.length > 20);
      assert.ok(rule.meta.references.length > 0);
      assert.ok(
        cases.some((c) => c.expect.length === 0),
        'at least one valid case',
      );
      assert.ok(
        cases.some((c) => c.expect.length > 0),
        'at least one invalid case',
      );
    });
    const ex = NODE_EXAMPLES.get(rule.meta.id);
    it('has documented examples', () => assert.ok(ex, `NODE_EXAMPLES has ${rule.meta.id}`));
    for (const [which, text, want] of [
      ['bad', ex?.bad, true],
      ['good', ex?.good, false],
    ] as const) {
      it(`documented example (${which}) is ${want ? '' : 'not '}reported`, async () => {
        assert.ok(ex && text !== undefined);
        const inv = ex.file
          ? await nodeInventory({ ...context, [ex.file]: text })
          : await nodeInventory(context, text);
        const findings = runRules([rule], inv);
        if (want) assert.ok(findings.length > 0, 'the bad example is reported');
        else
          assert.deepEqual(
            findings.map((f) => f.message),
            [],
          );
      });
    }
    for (const c of cases) {
      it(`${c.expect.length === 0 ? 'valid' : 'invalid'}: ${c.name}`, async () => {
        const inv = await nodeInventory(c.files, c.manifests);
        const findings = runRules([rule], inv);
        assert.equal(findings.length, c.expect.length, findings.map((f) => f.message).join('\n'));
        c.expect.forEach((e, i) => {
          const f = findings[i]!;
          assert.equal(f.ruleId, rule.meta.id);
          assert.equal(f.location.file, e.file);
          if (e.line !== undefined) assert.equal(f.location.line, e.line);
          if (e.has) assert.ok(f.message.includes(e.has), `message "${f.message}" should include "${e.has}"`);
          assert.equal(f.severity, e.severity ?? rule.meta.severity);
        });
      });
    }
  });
}

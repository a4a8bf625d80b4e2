import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
// @ts-expect-error: a plain .mjs script without types
import { regenerate, words } from '../../scripts/readme-examples.mjs';

it('every README example is the real output of its command (node scripts/readme-examples.mjs --write)', () => {
  const readme = readFileSync('README.md', 'utf8');
  const { drifted } = regenerate(readme) as { drifted: string[] };
  assert.ok(readme.includes('<!-- example'), 'README has examples');
  assert.deepEqual(drifted, [], 'README examples that differ from a real run');
});

it('splits an example command line like a shell (quotes kept together)', () => {
  assert.deepEqual(words(`audit a --query '{host="x"}' --exclude "b c"`), [
    'audit',
    'a',
    '--query',
    '{host="x"}',
    '--exclude',
    'b c',
  ]);
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
// @ts-expect-error: a plain .mjs script without types
import { regenerate, words } from '../../scripts/readme-examples.mjs';

for (const file of ['README.md', 'docs/case-study.md']) {
  it(`every example in ${file} is the real output of its command (node scripts/readme-examples.mjs --write ${file})`, () => {
    const text = readFileSync(file, 'utf8');
    const { drifted } = regenerate(text) as { drifted: string[] };
    assert.ok(text.includes('<!-- example'), `${file} has examples`);
    assert.deepEqual(drifted, [], `${file}: examples that differ from a real run`);
  });
}

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

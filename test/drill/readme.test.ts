/**
 * The README's drill verdict is a captured real run (it needs root and a network namespace, so the
 * README-examples script cannot regenerate it): the README must show examples/drill/dns-blackhole.txt
 * exactly, so the two cannot drift. Recapture with test/drill/capture-example.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

const ROOT = join(import.meta.dirname, '../..');

it('README shows the captured drill verdict verbatim', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const captured = readFileSync(join(ROOT, 'examples/drill/dns-blackhole.txt'), 'utf8');
  assert.match(captured, /^\$ faultline drill run dns-blackhole /);
  assert.match(captured, /: PASS — /);
  assert.ok(
    readme.includes(`\`\`\`text\n${captured.trimEnd()}\n\`\`\``),
    'README.md must contain examples/drill/dns-blackhole.txt in a ```text block',
  );
});

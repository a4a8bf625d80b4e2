import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Classifier } from '../../../src/timeline/signatures/classify.ts';
import { placeholders } from '../../../src/timeline/signatures/template.ts';
import { exampleText, type Signature } from '../../../src/timeline/signatures/types.ts';

const classifier = new Classifier();

/** The shared test of one family module: every entry against its real lines and its near misses. */
export function checkFamily(name: string, entries: readonly Signature[]): void {
  describe(`signatures: ${name}`, () => {
    it('has entries, all of this family, with unique ids', () => {
      assert.ok(entries.length > 0);
      for (const s of entries) {
        assert.equal(s.family, name, s.id);
        assert.ok(s.id.startsWith(`${name}.`), `${s.id} should start with ${name}.`);
        assert.ok(s.examples.length > 0, `${s.id} has no examples`);
        assert.ok(s.nearMisses.length > 0, `${s.id} has no near misses`);
      }
      assert.equal(new Set(entries.map((s) => s.id)).size, entries.length);
    });

    for (const s of entries) {
      describe(s.id, () => {
        for (const ex of s.examples) {
          const { program, message } = exampleText(ex);
          it(`classifies: ${message.slice(0, 90)}`, () => {
            const c = classifier.classify(message, program);
            assert.ok(c, `no signature matched ${JSON.stringify(message)}`);
            assert.equal(c.signature.id, s.id);
            // Every placeholder of the summary is filled from the line.
            for (const p of placeholders(s.summary))
              assert.ok(c.fields[p], `${s.id}: field {${p}} empty for ${message}`);
          });
        }
        for (const ex of s.nearMisses) {
          const { program, message } = exampleText(ex);
          it(`does not match near miss: ${message.slice(0, 80)}`, () => {
            const c = classifier.classify(message, program);
            assert.notEqual(c?.signature.id, s.id, `near miss matched ${s.id}: ${message}`);
          });
        }
      });
    }
  });
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type AuditOptions,
  DEFAULT_AUDIT_OPTIONS,
  FORMATS,
  formatAuditArgs,
  parseAuditArgs,
} from '../../src/audit/options.ts';
import { UsageError } from '../../src/core/flags.ts';
import { SEVERITIES } from '../../src/core/severity.ts';

const nonEmpty = fc.string({ minLength: 1, maxLength: 20 });
const options: fc.Arbitrary<AuditOptions> = fc.record({
  paths: fc.array(fc.oneof(nonEmpty, fc.constant('-'), fc.constant('--weird'), fc.constant('-x')), {
    maxLength: 4,
  }),
  cluster: fc.boolean(),
  kubeconfig: fc.option(nonEmpty, { nil: undefined }),
  context: fc.option(nonEmpty, { nil: undefined }),
  nodeRoot: fc.option(nonEmpty, { nil: undefined }),
  format: fc.constantFrom(...FORMATS),
  output: fc.option(nonEmpty, { nil: undefined }),
  failOn: fc.constantFrom(...SEVERITIES, 'none' as const),
  budget: fc.option(fc.integer({ min: 1, max: 100000 }), { nil: undefined }),
  exclude: fc.array(nonEmpty, { maxLength: 3 }),
  help: fc.boolean(),
});

describe('parseAuditArgs', () => {
  it('defaults', () => {
    assert.deepEqual(parseAuditArgs([]), DEFAULT_AUDIT_OPTIONS);
  });

  it('every valid combination round-trips through formatAuditArgs', () => {
    fc.assert(
      fc.property(options, (o) => {
        assert.deepEqual(parseAuditArgs(formatAuditArgs(o)), { ...o }); // fast-check records have a null prototype
      }),
      { numRuns: 500 },
    );
  });

  it('flags may come in any order and in --flag=value form', () => {
    assert.deepEqual(
      parseAuditArgs(['a.yaml', '--format=json', '--fail-on', 'medium', 'b/', '--cluster', '--budget=30']),
      {
        ...DEFAULT_AUDIT_OPTIONS,
        paths: ['a.yaml', 'b/'],
        format: 'json',
        failOn: 'medium',
        cluster: true,
        budget: 30,
      },
    );
  });

  it('any unknown flag is a UsageError naming it, never another exception', () => {
    const known = new Set([
      '--cluster',
      '--kubeconfig',
      '--context',
      '--node-root',
      '--format',
      '--output',
      '--fail-on',
      '--budget',
      '--help',
    ]);
    fc.assert(
      fc.property(
        fc.stringMatching(/^--?[A-Za-z][A-Za-z0-9-]{0,15}$/).filter((f) => !known.has(f) && f !== '-h'),
        fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
        (flag, rest) => {
          assert.throws(
            () => parseAuditArgs([flag, ...rest]),
            (e: unknown) => e instanceof UsageError && e.message.includes(flag.split('=')[0]!),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any argv at all either parses or throws UsageError', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.string(), fc.constantFrom('--format', '--budget', '--fail-on', '--cluster=1', '--')),
          { maxLength: 6 },
        ),
        (argv) => {
          try {
            parseAuditArgs(argv);
          } catch (e) {
            assert.ok(e instanceof UsageError, String(e));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  const bad: [string[], RegExp][] = [
    [['--format', 'xml'], /--format must be one of text, json, sarif \(got 'xml'\)/],
    [['--fail-on', 'severe'], /--fail-on must be one of/],
    [['--budget', '0'], /positive number/],
    [['--budget', '-5'], /positive number/],
    [['--budget', 'abc'], /positive number/],
    [['--output'], /--output needs a value/],
    [['--node-root='], /non-empty/],
    [['--cluster=yes'], /takes no value/],
    [['-x'], /unknown option '-x'/],
  ];
  for (const [argv, msg] of bad) {
    it(`rejects ${argv.join(' ')}`, () => {
      assert.throws(
        () => parseAuditArgs(argv),
        (e: unknown) => e instanceof UsageError && msg.test(e.message),
      );
    });
  }

  it('`--` makes everything after it a path', () => {
    assert.deepEqual(parseAuditArgs(['--', '--format', '-h']).paths, ['--format', '-h']);
  });
});

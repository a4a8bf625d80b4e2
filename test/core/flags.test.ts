/**
 * The flags `audit` and `blast` both take are read by one function (src/core/flags.ts setCommonFlag):
 * the same command line gives the same value, or the same UsageError, in both commands.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { parseAuditArgs } from '../../src/audit/options.ts';
import { parseBlastArgs } from '../../src/blast/options.ts';
import { type CommonOptions, readerInputs, UsageError } from '../../src/core/flags.ts';

const COMMANDS: [string, (argv: string[]) => CommonOptions][] = [
  ['audit', (argv) => parseAuditArgs(argv)],
  // blast needs a target; --all is the one that reads nothing else.
  ['blast', (argv) => parseBlastArgs([...argv, '--all'])],
];

describe('flags audit and blast share', () => {
  for (const [command, parse] of COMMANDS) {
    it(`${command}: the input and output flags land in the same fields`, () => {
      const o = parse([
        'a.yaml',
        '--kubeconfig',
        'kc',
        '--context=prod',
        '--node-root',
        '/host',
        '--output',
        'out.txt',
        '--exclude',
        'charts/**',
        '--exclude=*.tpl',
        '--cluster',
      ]);
      assert.deepEqual(
        {
          paths: o.paths,
          cluster: o.cluster,
          kubeconfig: o.kubeconfig,
          context: o.context,
          nodeRoot: o.nodeRoot,
          output: o.output,
          exclude: o.exclude,
        },
        {
          paths: ['a.yaml'],
          cluster: true,
          kubeconfig: 'kc',
          context: 'prod',
          nodeRoot: '/host',
          output: 'out.txt',
          exclude: ['charts/**', '*.tpl'],
        },
      );
    });

    it(`${command}: --budget is a positive, finite number of seconds`, () => {
      assert.equal(parse(['x', '--budget', '30']).budget, 30);
      assert.equal(parse(['x', '--budget=2.5']).budget, 2.5);
      // 400 digits pass the digits-only pattern but are Infinity as a number.
      for (const bad of ['0', '-5', 'abc', '1e3', '9'.repeat(400)]) {
        assert.throws(
          () => parse(['x', '--budget', bad]),
          (e: unknown) =>
            e instanceof UsageError &&
            e.message === `--budget must be a positive number of seconds (got '${bad}')`,
          `${command} --budget ${bad.slice(0, 12)}`,
        );
      }
    });
  }
});

describe('readerInputs', () => {
  const opts = parseAuditArgs(['a.yaml', '-', '/abs/b.yaml', '--kubeconfig', 'kc', '--node-root', 'root']);
  const io = (cwd: string) => ({ cwd, stdin: new PassThrough(), env: {} });

  it('in the process cwd, PATHs keep the form the user gave; kubeconfig and node root become absolute', () => {
    const r = readerInputs(opts, io(process.cwd()));
    assert.deepEqual(r.paths, ['a.yaml', '-', '/abs/b.yaml']);
    assert.equal(r.kubeconfig, join(process.cwd(), 'kc'));
    assert.equal(r.nodeRoot, join(process.cwd(), 'root'));
  });

  it("in another cwd, relative PATHs are resolved against it ('-' stays stdin)", () => {
    const r = readerInputs(opts, io('/srv/repo'));
    assert.deepEqual(r.paths, ['/srv/repo/a.yaml', '-', '/abs/b.yaml']);
    assert.equal(r.kubeconfig, '/srv/repo/kc');
    assert.equal(r.nodeRoot, '/srv/repo/root');
  });
});

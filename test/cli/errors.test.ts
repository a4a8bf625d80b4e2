import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { usageLine } from '../../src/cli/errors.ts';
import { main } from '../../src/cli/main.ts';
import { VERSION } from '../../src/core/version.ts';
import { captureIO } from '../helpers/io.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-errors-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const emptyDir = join(dir, 'empty');
const notK8s = join(dir, 'not-k8s.yaml');
writeFileSync(notK8s, 'a: 1\n');
mkdirSync(emptyDir);

async function run(argv: string[]) {
  const io = captureIO();
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('one error style across the commands', () => {
  // Every usage error: exit 2, nothing on stdout, exactly two lines on stderr — what, then where help is.
  const usage: [string[], string][] = [
    [['audit', '--bogus'], "faultline audit: unknown option '--bogus'"],
    [['audit', '--format'], 'faultline audit: --format needs a value'],
    [['audit'], 'faultline audit: nothing to audit: give a PATH, --cluster or --node-root'],
    [['timeline', '--bogus', 'x.log'], "faultline timeline: unknown option '--bogus'"],
    [['timeline', '--format', 'pdf', 'x.log'], 'faultline timeline: --format must be one of'],
    [['agent', '-c'], 'faultline agent: option --config needs a value'],
    [['agent', '--config'], 'faultline agent: option --config needs a value'],
    [['agent', '--bogus'], "faultline agent: unknown option '--bogus'"],
    [['agent'], 'faultline agent: --config FILE is required'],
    [['blast', '--bogus'], "faultline blast: unknown option '--bogus'"],
    [['blast'], 'faultline blast: give --target TARGET or --all'],
    [['drill', '--bogus'], "faultline drill: unknown option '--bogus'"],
    [['drill', 'bogus-scenario'], "faultline drill: unknown scenario 'bogus-scenario'"],
    [['drill', 'plan', 'nfs-blackhole'], 'faultline drill: nfs-blackhole needs --server'],
  ];
  for (const [argv, first] of usage) {
    it(`usage: ${argv.join(' ')}`, async () => {
      const r = await run(argv);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      const lines = r.err.trimEnd().split('\n');
      assert.equal(lines.length, 2, r.err);
      assert.ok(lines[0]!.startsWith(first), r.err);
      assert.equal(lines[1], `Run 'faultline ${argv[0]} --help' for usage.`);
    });
  }

  it('an unknown command: one line and a pointer to --help', async () => {
    const r = await run(['frobnicate']);
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      "faultline: unknown command 'frobnicate'\nRun 'faultline --help' for the commands.\n",
    );
  });

  for (const flag of ['--version', '-v', '-V', 'version']) {
    it(`${flag} prints the version`, async () => {
      const r = await run([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.out, `faultline ${VERSION}\n`);
    });
  }

  it('audit of a missing file: exit 2 and the error on stderr (not only in the report)', async () => {
    const r = await run(['audit', join(dir, 'missing.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /^faultline audit: .*missing\.yaml: /m);
  });

  it('audit of an empty directory is an error, not a silent pass', async () => {
    const r = await run(['audit', emptyDir]);
    assert.equal(r.code, 2);
    assert.equal(r.err, `faultline audit: no YAML or JSON file found in ${emptyDir}\n`);
  });

  it('audit of files with no Kubernetes objects warns on stderr', async () => {
    const r = await run(['audit', notK8s]);
    assert.equal(r.code, 0);
    assert.match(r.err, /warning: no Kubernetes objects in the 1 file\(s\) read/);
  });

  for (const cmd of [
    ['audit', 'examples/audit/before', '--output'],
    ['timeline', 'examples/timeline/events.json', '--output'],
  ]) {
    it(`${cmd[0]} --output into a missing directory: one line naming the file, exit 2`, async () => {
      const target = join(dir, 'no', 'such', 'dir', 'report');
      const r = await run([...cmd, target]);
      assert.equal(r.code, 2);
      assert.equal(
        r.err.trim().split('\n').at(-1),
        `faultline ${cmd[0]}: ${target}: no such file or directory (open)`,
      );
    });
  }

  it('rewords node:util parseArgs messages and drops appended help', () => {
    assert.equal(
      usageLine(
        "Unknown option '--x'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--x\"",
      ),
      "unknown option '--x'",
    );
    assert.equal(
      usageLine("Option '-c, --config <value>' argument missing"),
      'option --config needs a value',
    );
    assert.equal(usageLine("Option '--once' does not take an argument"), 'option --once takes no value');
    assert.equal(usageLine('--year must be a year\n\nUsage: …'), '--year must be a year');
  });
});

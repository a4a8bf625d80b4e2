/** `faultline blast`: parse options, read what audit reads, analyse the targets, render. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { blast } from '../blast/blast.ts';
import type { BlastReport } from '../blast/model.ts';
import {
  BLAST_USAGE,
  type BlastOptions,
  BlastUsageError,
  hasBlastInputs,
  parseBlastArgs,
} from '../blast/options.ts';
import { renderHtml } from '../blast/reporters/html.ts';
import { renderJson } from '../blast/reporters/json.ts';
import { renderMermaid } from '../blast/reporters/mermaid.ts';
import { renderText } from '../blast/reporters/text.ts';
import { FaultlineError } from '../core/errors.ts';
import { EXIT_OK, EXIT_USAGE } from '../core/exit-codes.ts';
import type { CommandRunner } from './io.ts';

export const runBlast: CommandRunner = async (argv, io) => {
  let opts: BlastOptions;
  try {
    opts = parseBlastArgs(argv);
  } catch (err) {
    if (!(err instanceof BlastUsageError)) throw err;
    throw new FaultlineError('usage', err.message);
  }
  if (opts.help) {
    io.stdout.write(BLAST_USAGE);
    return EXIT_OK;
  }
  if (!hasBlastInputs(opts)) {
    throw new FaultlineError('usage', 'nothing to read: give a PATH, --cluster or --node-root');
  }
  // Paths keep the form the user gave, so reports name files as they know them.
  const path = (p: string) => (p === '-' || io.cwd === process.cwd() ? p : resolve(io.cwd, p));
  const report = await blast({
    paths: opts.paths.map(path),
    cluster: opts.cluster,
    kubeconfig: opts.kubeconfig === undefined ? undefined : resolve(io.cwd, opts.kubeconfig),
    context: opts.context,
    nodeRoot: opts.nodeRoot === undefined ? undefined : resolve(io.cwd, opts.nodeRoot),
    budget: opts.budget,
    stdin: io.stdin,
    env: io.env,
    targets: opts.targets,
    all: opts.all,
    exclude: opts.exclude,
  });
  const text = render(report, opts);
  if (opts.output !== undefined) {
    await writeFile(resolve(io.cwd, opts.output), text);
    io.stderr.write(
      `faultline blast: ${report.results.length} target(s); report written to ${opts.output}\n`,
    );
  } else io.stdout.write(text);
  return report.errors.length > 0 ? EXIT_USAGE : EXIT_OK;
};

function render(report: BlastReport, opts: BlastOptions): string {
  switch (opts.format) {
    case 'json':
      return renderJson(report);
    case 'mermaid':
      return renderMermaid(report);
    case 'html':
      return renderHtml(report);
    default:
      return renderText(report);
  }
}

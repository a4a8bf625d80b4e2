/** `faultline blast`: parse options, read what audit reads, analyse the targets, render. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { blast } from '../blast/blast.ts';
import type { BlastReport } from '../blast/model.ts';
import { BLAST_USAGE, type BlastOptions, parseBlastArgs } from '../blast/options.ts';
import { renderHtml } from '../blast/reporters/html.ts';
import { renderJson } from '../blast/reporters/json.ts';
import { renderMermaid } from '../blast/reporters/mermaid.ts';
import { renderText } from '../blast/reporters/text.ts';
import { EXIT_OK, EXIT_USAGE } from '../core/exit-codes.ts';
import { commandOptions, readerInputs } from '../core/flags.ts';
import type { CommandRunner } from './io.ts';

export const runBlast: CommandRunner = async (argv, io) => {
  const nothing = 'nothing to read: give a PATH, --cluster or --node-root';
  const opts = commandOptions(argv, io.stdout, parseBlastArgs, BLAST_USAGE, nothing);
  if (!opts) return EXIT_OK;
  const report = await blast({ ...readerInputs(opts, io), targets: opts.targets, all: opts.all });
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

/** `faultline audit`: parse options, run the engine, render, choose the exit code. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type AuditResult, audit } from '../audit/engine.ts';
import { AUDIT_USAGE, type AuditOptions, parseAuditArgs } from '../audit/options.ts';
import { renderJson } from '../audit/reporters/json.ts';
import { renderSarif } from '../audit/reporters/sarif.ts';
import { renderText } from '../audit/reporters/text.ts';
import { FaultlineError } from '../core/errors.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../core/exit-codes.ts';
import { commandOptions, readerInputs } from '../core/flags.ts';
import { atLeast } from '../core/severity.ts';
import type { CliIO, CommandRunner } from './io.ts';

export const runAudit: CommandRunner = async (argv, io) => {
  const nothing = 'nothing to audit: give a PATH, --cluster or --node-root';
  const opts = commandOptions(argv, io.stdout, parseAuditArgs, AUDIT_USAGE, nothing);
  if (!opts) return EXIT_OK;
  const result = await audit(readerInputs(opts, io));
  reportInputs(result, opts, io);
  const report = render(result, opts, io);
  if (opts.output !== undefined) {
    await writeFile(resolve(io.cwd, opts.output), report);
    io.stderr.write(summaryLine(result, opts.output));
  } else io.stdout.write(report);
  return exitCode(result, opts);
};

/**
 * Input problems also go to stderr (the report may be a file or JSON), and a scan that read nothing is an
 * error: a mistyped path in CI must not pass as "no findings".
 */
function reportInputs(result: AuditResult, opts: AuditOptions, io: CliIO): void {
  for (const e of result.errors) {
    io.stderr.write(`faultline audit: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
  }
  if (opts.paths.length === 0 || opts.cluster || opts.nodeRoot !== undefined) return;
  if (result.summary.filesScanned === 0 && result.errors.length === 0) {
    throw new FaultlineError('input', `no YAML or JSON file found in ${opts.paths.join(', ')}`);
  }
  if (result.summary.objects === 0 && result.summary.filesScanned > 0) {
    io.stderr.write(
      `faultline audit: warning: no Kubernetes objects in the ${result.summary.filesScanned} file(s) read from ${opts.paths.join(', ')}\n`,
    );
  }
}

function render(result: AuditResult, opts: AuditOptions, io: CliIO): string {
  switch (opts.format) {
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result, { cwd: io.cwd, nodeRoot: opts.nodeRoot });
    default: {
      const tty = opts.output === undefined && io.stdout.isTTY === true;
      const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
      return renderText(result, { color: tty && !noColor });
    }
  }
}

function summaryLine(r: AuditResult, file: string): string {
  return `faultline audit: ${r.summary.findings} finding(s), ${r.summary.errors} input error(s); report written to ${file}\n`;
}

/**
 * 1 when a finding reaches --fail-on; else 2 when an input could not be read; else 0. With
 * `--fail-on none` findings never fail the build; Helm/Jinja templates are skipped, not errors, so a
 * repository full of charts exits 0 — only genuinely unreadable input exits 2.
 */
export function exitCode(r: AuditResult, opts: Pick<AuditOptions, 'failOn'>): number {
  const threshold = opts.failOn;
  if (threshold !== 'none' && r.findings.some((f) => atLeast(f.severity, threshold))) return EXIT_FINDINGS;
  if (r.errors.length > 0) return EXIT_USAGE;
  return EXIT_OK;
}

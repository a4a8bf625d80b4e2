/**
 * `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. Rules carry their metadata
 * (description, help = fix, references) and `security-severity` (GitHub buckets: ≥9 critical,
 * 7–8.9 high, 4–6.9 medium, <4 low); result levels follow severity; artifact URIs are relative to
 * %SRCROOT% (the directory the audit ran in); partialFingerprints let GitHub track a finding across
 * line moves. Input errors become tool execution notifications.
 */

import { createHash } from 'node:crypto';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Finding } from '../../core/finding.ts';
import type { SourceLocation } from '../../core/location.ts';
import type { Severity } from '../../core/severity.ts';
import { VERSION } from '../../core/version.ts';
import type { AuditResult } from '../engine.ts';
import type { Rule } from '../rule.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const TOOL_VERSION = VERSION;
const INFORMATION_URI = 'https://github.com/faultline/faultline';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

export interface SarifOptions {
  /** Directory URIs are made relative to (the audit's working directory). */
  cwd: string;
  /** When node files were read under a root, their URIs point into it (e.g. node-root/etc/fstab). */
  nodeRoot?: string | undefined;
}

export function renderSarif(r: AuditResult, opts: SarifOptions): string {
  const rules = r.rules.map((rule) => reportingDescriptor(rule));
  const index = new Map(r.rules.map((rule, i) => [rule.meta.id, i]));
  const seen = new Map<string, number>();
  const results = r.findings.map((f) => {
    const ruleIndex = index.get(f.ruleId);
    const loc = artifact(f.location, opts);
    const base = fingerprintBase(f, loc.uri);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return {
      ruleId: f.ruleId,
      ...(ruleIndex === undefined ? {} : { ruleIndex }),
      level: LEVEL[f.severity],
      message: { text: `${f.message}\n\nFix: ${f.fix}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: loc,
            ...(f.location.line !== undefined && f.location.line >= 1
              ? { region: { startLine: f.location.line } }
              : {}),
          },
          logicalLocations: [
            {
              name: f.object.name,
              fullyQualifiedName: `${f.object.kind}/${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`,
              kind: 'object',
            },
          ],
        },
      ],
      partialFingerprints: { 'faultlineFinding/v1': sha256(`${base}:${n}`) },
      properties: { severity: f.severity, evidence: f.evidence },
    };
  });
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'faultline', version: TOOL_VERSION, informationUri: INFORMATION_URI, rules },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileUri(opts.cwd)}/` } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...r.errors.map((e) => ({ ...e, level: 'error' })),
              ...(r.warnings ?? []).map((e) => ({ ...e, level: 'warning' })),
            ].map((e) => ({
              level: e.level,
              message: { text: e.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: artifact({ file: e.file }, opts),
                    ...(e.line !== undefined && e.line >= 1 ? { region: { startLine: e.line } } : {}),
                  },
                },
              ],
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function reportingDescriptor(rule: Rule) {
  const m = rule.meta;
  const refs =
    m.references.length > 0 ? `\n\nReferences:\n${m.references.map((x) => `- ${x}`).join('\n')}` : '';
  return {
    id: m.id,
    name: m.id.replace(/(^|-)([a-z0-9])/g, (_: string, _d: string, ch: string) => ch.toUpperCase()),
    shortDescription: { text: m.title },
    fullDescription: { text: m.description },
    help: { text: `${m.fix}${refs}`, markdown: `**Fix:** ${m.fix}${refs}` },
    defaultConfiguration: { level: LEVEL[m.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[m.severity],
      precision: 'high',
      tags: ['reliability', ...m.inputs.map((i) => i.replace(/\s+/g, '-'))],
    },
  };
}

/** Repository-relative URI when the file is under cwd; pseudo files (cluster:...) stay as they are. */
function artifact(loc: SourceLocation, opts: SarifOptions): { uri: string; uriBaseId?: string } {
  const file = loc.file;
  if (/^[a-z][a-z0-9+.-]*:/i.test(file) || file.startsWith('<')) return { uri: encodeURI(file) };
  let abs = isAbsolute(file) ? file : join(opts.cwd, file);
  // Node files are recorded as seen on the node (/etc/fstab); point at the copy under --node-root.
  if (isAbsolute(file) && opts.nodeRoot !== undefined)
    abs = join(isAbsolute(opts.nodeRoot) ? opts.nodeRoot : join(opts.cwd, opts.nodeRoot), file);
  const rel = relative(opts.cwd, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileUri(abs) };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function pathToFileUri(p: string): string {
  return `file://${p.split(sep).map(encodeURIComponent).join('/')}`;
}

function fingerprintBase(f: Finding, uri: string): string {
  return [f.ruleId, uri, f.object.kind, f.object.namespace ?? '', f.object.name].join('|');
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 32);
}

/**
 * `kubectl get events -o json`: a List (or EventList) of core/v1 Events or events.k8s.io/v1 Events, or
 * one Event. A whole JSON document, so it is read whole (bounded) and each item's 1-based line is
 * found by a scan that tracks strings and nesting.
 *   core/v1:          reason, type, message, involvedObject{kind,namespace,name}, count,
 *                     firstTimestamp, lastTimestamp, eventTime, source{component,host}
 *   events.k8s.io/v1: reason, type, note, regarding{…}, series{count,lastObservedTime}, eventTime,
 *                     reportingController, reportingInstance, deprecated{Source,Count,…Timestamp}
 */
import type { LogRecord } from '../record.ts';
import { parseIso } from './clock.ts';
import { type ParseContext, record } from './formats/types.ts';

/** Largest events document read (it must be held whole to parse). */
export const MAX_EVENTS_DOC = 256 * 1024 * 1024;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Lines where each element of the top-level `items` array (or the top-level array) starts. */
export function itemLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  // depth at which item objects open: 2 inside {"items":[…]}, 1 inside a bare [...]
  let itemDepth = -1;
  let lastKey = '';
  let keyStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) {
        inString = false;
        if (depth === 1 && keyStart >= 0) lastKey = text.slice(keyStart, i);
      }
      continue;
    }
    if (c === 34) {
      inString = true;
      keyStart = i + 1;
    } else if (c === 91 /* [ */) {
      depth++;
      if (depth === 1) itemDepth = 1;
      else if (depth === 2 && lastKey === 'items' && itemDepth < 0) itemDepth = 2;
    } else if (c === 123 /* { */) {
      if (depth === itemDepth) lines.push(line);
      depth++;
    } else if (c === 93 || c === 125) depth--;
  }
  return lines;
}

function eventRecord(ctx: ParseContext, line: number, e: Obj): LogRecord | string {
  const series = obj(e.series);
  const stamp =
    str(e.lastTimestamp) ??
    str(series?.lastObservedTime) ??
    str(e.eventTime) ??
    str(e.deprecatedLastTimestamp) ??
    str(e.firstTimestamp) ??
    str(e.deprecatedFirstTimestamp) ??
    str(obj(e.metadata)?.creationTimestamp);
  const t = stamp === undefined ? undefined : parseIso(stamp, ctx.zone);
  const about = obj(e.involvedObject) ?? obj(e.regarding);
  const source = obj(e.source) ?? obj(e.deprecatedSource);
  const fields: Record<string, string> = {};
  const put = (k: string, v: unknown): void => {
    if (typeof v === 'string' && v !== '') fields[k] = v;
    else if (typeof v === 'number') fields[k] = String(v);
  };
  put('reason', e.reason);
  put('type', e.type);
  put('kind', about?.kind);
  put('namespace', about?.namespace);
  put('name', about?.name);
  put('fieldPath', about?.fieldPath);
  put('count', e.count ?? series?.count ?? e.deprecatedCount);
  put('firstTimestamp', e.firstTimestamp ?? e.deprecatedFirstTimestamp);
  put('apiVersion', e.apiVersion);
  const message = str(e.message) ?? str(e.note);
  if (message === undefined && fields.reason === undefined) return 'not a Kubernetes Event';
  return record(ctx, line, 'k8s-events-json', {
    time: t ? t.time : null,
    timeQuality: t ? (t.zoned ? 'exact' : 'inferred') : 'none',
    host: str(source?.host) ?? str(e.reportingInstance),
    program: str(source?.component) ?? str(e.reportingController) ?? str(e.reportingComponent),
    pid: undefined,
    message: message ?? '',
    fields,
  });
}

/** Parse a whole events document; problems go to ctx.problem, records to the result. */
export function parseEventsDocument(ctx: ParseContext, text: string): LogRecord[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const at = /position (\d+)/.exec(msg);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : 1;
    ctx.problem({ file: ctx.file, line, reason: `invalid JSON: ${msg}` });
    return [];
  }
  const root = obj(doc);
  const items: unknown[] = Array.isArray(doc)
    ? doc
    : Array.isArray(root?.items)
      ? (root.items as unknown[])
      : root
        ? [root]
        : [];
  const lines = Array.isArray(doc) || Array.isArray(root?.items) ? itemLines(text) : [1];
  const out: LogRecord[] = [];
  items.forEach((item, i) => {
    const line = lines[i] ?? 1;
    const e = obj(item);
    const r = e ? eventRecord(ctx, line, e) : 'not an object';
    if (typeof r === 'string') ctx.problem({ file: ctx.file, line, reason: r });
    else out.push(r);
  });
  return out;
}

/** Does this head look like a Kubernetes events document? */
export function looksLikeEvents(head: string): boolean {
  const t = head.trimStart();
  return (t.startsWith('{') || t.startsWith('[')) && /"kind"\s*:\s*"(?:Event|EventList|List)"/.test(head);
}

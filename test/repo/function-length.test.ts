/**
 * House rule (issue #13): a function longer than ~80 lines either becomes small named pieces or
 * carries a comment saying why it stays long. Checked over the code we ship and run (src, scripts,
 * bench, and test helpers wherever they live: test/helpers, the harnesses beside the tests, functions
 * in test files); test bodies (`it(...)` callbacks) are exempt: a test reads top to bottom.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const MAX_LINES = 80;
const ROOTS = ['src', 'scripts', 'bench', 'test'];

interface LongFunction {
  where: string;
  lines: number;
  commented: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.[cm]?[jt]s$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const isFunction = (n: ts.Node): n is ts.FunctionLikeDeclaration =>
  ts.isFunctionDeclaration(n) ||
  ts.isMethodDeclaration(n) ||
  ts.isArrowFunction(n) ||
  ts.isFunctionExpression(n) ||
  ts.isConstructorDeclaration(n) ||
  ts.isGetAccessorDeclaration(n) ||
  ts.isSetAccessorDeclaration(n);

// The node a comment about this function would sit on: the declaration, or for an arrow or function
// expression the variable statement, property or call argument list that holds it.
function commentHost(fn: ts.Node): ts.Node {
  let n = fn;
  while (
    n.parent &&
    !ts.isSourceFile(n.parent) &&
    !ts.isBlock(n.parent) &&
    !ts.isClassLike(n.parent) &&
    !ts.isObjectLiteralExpression(n.parent) &&
    !ts.isCallExpression(n.parent)
  )
    n = n.parent;
  return n;
}

// A doc comment saying what the function does is not enough: the comment must say why it is long
// ("Long on purpose: …", "Long because …", "Over 80 lines because …", "~85 lines: …", "not split: …").
// One that mentions lines or splitting for another reason ("splits the log into lines") does not count.
const SAYS_WHY = /\blong\b[^.]{0,30}\b(?:on purpose|because)\b|\bnot split\b|(\d+) lines\b/gi;

function saysWhy(comment: string): boolean {
  return [...comment.matchAll(SAYS_WHY)].some((m) => m[1] === undefined || Number(m[1]) >= MAX_LINES);
}

function hasLeadingComment(text: string, node: ts.Node): boolean {
  return (ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []).some((r) =>
    saysWhy(text.slice(r.pos, r.end)),
  );
}

// A callback passed to a call (a Promise executor, a test body) has no declaration to comment: a
// comment on the statement that makes the call, or on the callback's first statement, counts.
function commented(text: string, fn: ts.FunctionLikeDeclaration): boolean {
  const host = commentHost(fn);
  if (hasLeadingComment(text, host)) return true;
  let stmt: ts.Node = host;
  while (stmt.parent && !ts.isBlock(stmt.parent) && !ts.isSourceFile(stmt.parent)) stmt = stmt.parent;
  if (hasLeadingComment(text, stmt)) return true;
  const first = fn.body && ts.isBlock(fn.body) ? fn.body.statements[0] : undefined;
  return first !== undefined && hasLeadingComment(text, first);
}

const isTestBody = (fn: ts.Node) =>
  ts.isCallExpression(fn.parent) &&
  /^(it|test|describe|before|after|beforeEach|afterEach)$/.test(fn.parent.expression.getText());

export function longFunctions(file: string, text: string): LongFunction[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: LongFunction[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunction(n) && !isTestBody(n)) {
      const start = sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
      const lines = sf.getLineAndCharacterOfPosition(n.getEnd()).line + 2 - start;
      if (lines > MAX_LINES) out.push({ where: `${file}:${start}`, lines, commented: commented(text, n) });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('function length', () => {
  it('the check tells a long uncommented function from a commented one', () => {
    const body = Array.from({ length: MAX_LINES }, (_, i) => `  x += ${i};`).join('\n');
    const src = `/** Adds numbers. */\nfunction bare() {\n  let x = 0;\n${body}\n}\n// Long because ...\nconst ok = () => {\n  let x = 0;\n${body}\n};\nfunction short() {}\n`;
    assert.deepEqual(
      longFunctions('fixture.ts', src).map((f) => [f.where, f.commented]),
      [
        ['fixture.ts:2', false],
        ['fixture.ts:86', true],
      ],
    );
  });

  it('counts accessors, class fields and object methods, and wants the comment to say why', () => {
    const body = Array.from({ length: MAX_LINES }, (_, i) => `    x += ${i};`).join('\n');
    const fn = (head: string) => `${head} {\n    let x = 0;\n${body}\n  }`;
    const src = [
      `/** Splits the log into lines. */\nfunction loose() {\n  let x = 0;\n${body}\n}`,
      `// Reads the first 20 lines.\nexport default function () {\n  let x = 0;\n${body}\n}`,
      `class A {\n  ${fn('get big()')}\n  // Over 80 lines because ...\n  field = () =>${fn('')}\n}`,
      `const o = {\n  ${fn('run()')},\n  // ~85 lines: ...\n  ${fn('set v(x: number)')},\n};`,
    ].join('\n');
    const where = (line: string) => `fixture.ts:${src.split('\n').indexOf(line) + 1}`;
    assert.deepEqual(
      longFunctions('fixture.ts', src).map((f) => [f.where, f.commented]),
      [
        [where('function loose() {'), false],
        [where('export default function () {'), false],
        [where('  get big() {'), false],
        [where('  field = () => {'), true],
        [where('  run() {'), false],
        [where('  set v(x: number) {'), true],
      ],
    );
  });

  it(`no function in ${ROOTS.join(', ')} is over ${MAX_LINES} lines without a comment`, () => {
    const bare = ROOTS.flatMap(sourceFiles)
      .flatMap((f) => longFunctions(f, readFileSync(f, 'utf8')))
      .filter((f) => !f.commented)
      .map((f) => `${f.where} (${f.lines} lines)`);
    assert.deepEqual(bare, [], 'split these into named pieces, or say above each why it stays long');
  });
});

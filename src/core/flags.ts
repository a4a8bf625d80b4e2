/**
 * The command-line scanner `audit` and `blast` share (hand-written so every bad input gets a message that
 * names the flag): PATH arguments, `-` for stdin, `--` ending the options, `-h/--help`, switches, and
 * value flags as `--name value` or `--name=value`. Each command interprets the values itself.
 */
export type FlagToken =
  | { kind: 'path'; value: string }
  | { kind: 'help' }
  | { kind: 'switch'; name: string }
  | { kind: 'value'; name: string; value: string };

export function scanFlags(
  argv: readonly string[],
  spec: { switches: ReadonlySet<string>; values: ReadonlySet<string> },
  fail: (message: string) => never,
): FlagToken[] {
  const out: FlagToken[] = [];
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyPaths || arg === '-' || !arg.startsWith('-')) out.push({ kind: 'path', value: arg });
    else if (arg === '--') onlyPaths = true;
    else if (arg === '-h' || arg === '--help') out.push({ kind: 'help' });
    else {
      if (!arg.startsWith('--')) fail(`unknown option '${arg}'`);
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      if (spec.switches.has(name)) {
        if (eq !== -1) fail(`--${name} takes no value`);
        out.push({ kind: 'switch', name });
        continue;
      }
      if (!spec.values.has(name)) fail(`unknown option '--${name}'`);
      let value = arg.slice(eq + 1);
      if (eq === -1) {
        const next = argv[i + 1];
        if (next === undefined) fail(`--${name} needs a value`);
        value = next;
        i++;
      }
      out.push({ kind: 'value', name, value });
    }
  }
  return out;
}

/** Build a DrillContext from text fixtures (a node root in a temp dir) without touching the machine. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildPlan } from '../../src/drill/plan.ts';
import { findScenario } from '../../src/drill/scenarios/index.ts';
import { type DrillContext, readContext } from '../../src/drill/sources/context.ts';
import { resolveTarget } from '../../src/drill/target.ts';

export async function contextFrom(
  files: Record<string, string>,
  paths: string[] = [],
): Promise<DrillContext> {
  const root = mkdtempSync(join(tmpdir(), 'fl-drill-root-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return readContext({ paths, nodeRoot: root, agentConfig: undefined, env: {} });
}

export const ROOT_LINE = '22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw';
export const mount = (id: number, point: string, type: string, source: string, opts: string) =>
  `${id} 22 0:${id} / ${point} rw,relatime shared:${id} - ${type} ${source} ${opts}`;

/** A mountinfo of the root line followed by `lines`. */
export const mountinfo = (lines: string[]) => [ROOT_LINE, ...lines].join('\n');

/** The plan of drill `scenario` against `target` on a node root made of `files`. */
export async function planOn(
  scenario: string,
  files: Record<string, string>,
  target: string,
  durationSeconds: number,
  lookupName = 'x',
) {
  const ctx = await contextFrom(files);
  return buildPlan({
    scenario: findScenario(scenario)!,
    target: await resolveTarget(target),
    durationSeconds,
    ctx,
    lookupName,
  });
}

/** The versioned JSON report: the DrillReport as is (see model.ts; `version` changes when a field's meaning does). */
import type { DrillReport } from '../model.ts';

export function renderJson(r: DrillReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

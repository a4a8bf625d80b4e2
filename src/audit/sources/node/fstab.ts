/** /etc/fstab (fstab(5)): spec, mount point, type, options; `#` comments; \040 escapes. */
import type { InputProblem } from '../../../core/errors.ts';
import { unescapeMountField } from '../../../host/mountinfo.ts';
import type { FstabEntry } from './facts.ts';

export function parseFstab(text: string, path: string): { entries: FstabEntry[]; errors: InputProblem[] } {
  const entries: FstabEntry[] = [];
  const errors: InputProblem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const f = line.split(/\s+/);
    if (f.length < 3) {
      errors.push({
        file: path,
        line: i + 1,
        message: 'fstab line needs at least spec, mount point and type',
      });
      return;
    }
    entries.push({
      spec: unescapeMountField(f[0]!),
      mountPoint: unescapeMountField(f[1]!),
      fsType: f[2]!,
      options: f[3] ?? 'defaults',
      location: { file: path, line: i + 1 },
    });
  });
  return { entries, errors };
}

/** The drill's node context: kernel settings the predictions use, read the way the audit reads them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextFrom } from './fixtures.ts';

const HUNG = 'proc/sys/kernel/hung_task_timeout_secs';

describe('drill context', () => {
  for (const [what, files, seconds] of [
    ['the running kernel value', { [HUNG]: '30\n' }, 30],
    [
      'a sysctl.d drop-in when /proc/sys has none',
      { 'etc/sysctl.d/90-hung.conf': 'kernel.hung_task_timeout_secs = 480\n' },
      480,
    ],
    ['the kernel default when nothing sets it', {}, 120],
    [
      'the kernel default when the value is not a number (an empty file is not 0, "disabled")',
      { [HUNG]: '\n' },
      120,
    ],
    ['0 (detection off) stays 0', { [HUNG]: '0\n' }, 0],
  ] as const)
    it(`hung-task timeout: ${what}`, async () => {
      assert.equal((await contextFrom(files)).hungTaskSeconds, seconds);
    });
});

/** Rules over node configuration (DNS, watchdog, hung-task sysctls). */
import type { Rule } from '../../rule.ts';

export const NODE_RULES: readonly Rule[] = [];

/** The rule registry: the one place rules are listed. */
import type { Rule } from '../rule.ts';
import { MANIFEST_RULES } from './manifest/index.ts';
import { NODE_RULES } from './node/index.ts';

export const RULES: readonly Rule[] = [...MANIFEST_RULES, ...NODE_RULES];

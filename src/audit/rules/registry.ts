/** How a family of rule modules (manifest, node) becomes its rules and its documented examples. */
import type { Rule } from '../rule.ts';
import type { RuleExamples } from './manifest/support.ts';

/** A rule module: it exports `rule` and, for the docs and tests, its `examples`. */
export interface RuleModule {
  rule: Rule;
  examples?: RuleExamples;
}

/** The family's rules in list order (report order) and its examples by rule id, for the docs generator. */
export function ruleFamily(modules: readonly RuleModule[]): {
  rules: readonly Rule[];
  examples: ReadonlyMap<string, RuleExamples>;
} {
  return {
    rules: modules.map((m) => m.rule),
    examples: new Map(modules.flatMap((m) => (m.examples ? [[m.rule.meta.id, m.examples] as const] : []))),
  };
}

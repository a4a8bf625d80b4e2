import type { ObjectRef, SourceLocation } from './location.ts';
import type { Severity } from './severity.ts';

/** One audit result. Every finding points at the object and the line that support it. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  location: SourceLocation;
  object: ObjectRef;
  /** The facts the rule saw, e.g. `{ mountOptions: "hard,timeo=600", errorAfterSeconds: null }`. */
  evidence: Record<string, unknown>;
  /** What to change; may hold a ready-to-run command (e.g. `kubectl patch`). */
  fix: string;
}

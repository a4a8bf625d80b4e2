/**
 * Checks nobody reports any more. A check its probe stopped reporting (an unmounted filesystem, a
 * removed server) is fed "gone" results, so a firing alert resolves through the usual hysteresis;
 * once ok it is forgotten. Checks restored from the journal that no probe reports after a full round
 * (the mount is gone after the reboot, the probe was disabled) get the same treatment, once per round.
 */
import type { TargetResult } from '../probe.ts';
import type { ProbeOutcome } from './harness.ts';
import type { CheckState } from './state.ts';

export interface CheckStates {
  stateOf(check: string): CheckState | undefined;
  forget(check: string): void;
}

export function goneResult(check: string, by: string): TargetResult {
  return {
    check,
    ok: true,
    reason: 'gone',
    message: `${check} is no longer reported by ${by} (unmounted, removed or disabled)`,
  };
}

export class VanishedChecks {
  readonly #seenBy = new Map<string, Set<string>>();
  readonly #restored: Set<string>;
  readonly #reported = new Set<string>();

  /** `restored`: checks resumed from the previous run; `roundProbe`: the probe whose outcomes mark a round. */
  constructor(
    private readonly states: CheckStates,
    restored: Iterable<string>,
    private readonly roundProbe: string | undefined,
  ) {
    this.#restored = new Set(restored);
  }

  /** The "gone" results to feed along with an outcome's own targets. */
  results(o: ProbeOutcome, targets: TargetResult[]): TargetResult[] {
    for (const t of targets) this.#reported.add(t.check);
    return [...this.#vanished(o, targets), ...this.#orphans(o)];
  }

  #settled(check: string): boolean {
    const s = this.states.stateOf(check);
    return s === 'ok' || s === undefined;
  }

  #vanished(o: ProbeOutcome, targets: TargetResult[]): TargetResult[] {
    if (!o.result.ok) return [];
    const now = new Set(targets.map((t) => t.check));
    const gone: TargetResult[] = [];
    for (const c of this.#seenBy.get(o.probe) ?? []) {
      if (now.has(c)) continue;
      if (this.#settled(c)) {
        this.states.forget(c);
        continue;
      }
      gone.push(goneResult(c, `probe ${o.probe}`));
      now.add(c);
    }
    this.#seenBy.set(o.probe, now);
    return gone;
  }

  #orphans(o: ProbeOutcome): TargetResult[] {
    if (this.#restored.size === 0 || !o.firstRoundDone || o.probe !== this.roundProbe) return [];
    const out: TargetResult[] = [];
    for (const c of this.#restored) {
      if (this.#reported.has(c)) this.#restored.delete(c);
      else if (this.#settled(c)) {
        this.states.forget(c);
        this.#restored.delete(c);
      } else out.push(goneResult(c, 'any probe since the restart'));
    }
    return out;
  }
}

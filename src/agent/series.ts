/**
 * Series lifecycles owned by the probe framework, not by each probe (node_exporter and
 * blackbox_exporter emit fresh samples on every scrape: what a run did not report does not exist).
 * After every run, each labelled gauge the probe registered loses the label sets that run did not set:
 * an unmounted filesystem, a removed server, a round-trip time with no answer. Counters keep their
 * series (they are totals since the agent started).
 */
import { Gauge, type Registry } from 'prom-client';

type Labels = Record<string, string | number>;

const keyOf = (labels: Labels) =>
  JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, String(labels[k])]),
  );

class GaugeSeries {
  #touched = new Map<string, Labels>();
  #live = new Map<string, Labels>();

  constructor(readonly gauge: Gauge) {
    // Instance-level wrappers: prom-client's labels().set/inc/dec call these methods too.
    for (const m of ['set', 'inc', 'dec'] as const) {
      const original = gauge[m].bind(gauge) as (...a: unknown[]) => void;
      (gauge as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => {
        const labels = args[0];
        if (labels !== null && typeof labels === 'object')
          this.#touched.set(keyOf(labels as Labels), labels as Labels);
        original(...args);
      };
    }
  }

  sweep(): void {
    for (const [key, labels] of this.#live) if (!this.#touched.has(key)) this.gauge.remove(labels);
    this.#live = this.#touched;
    this.#touched = new Map();
  }
}

/** The labelled gauges one probe registered, swept after each of its runs. */
export class RunSeries {
  readonly #gauges: GaugeSeries[];

  /** `before`: the registry's metric names before the probe was created. */
  constructor(registry: Registry, before: ReadonlySet<string>) {
    this.#gauges = registry
      .getMetricsAsArray()
      .filter(
        (m) =>
          !before.has(m.name) &&
          m instanceof Gauge &&
          ((m as unknown as { labelNames?: string[] }).labelNames?.length ?? 0) > 0,
      )
      .map((m) => new GaugeSeries(m as unknown as Gauge));
  }

  sweep(): void {
    for (const g of this.#gauges) g.sweep();
  }
}

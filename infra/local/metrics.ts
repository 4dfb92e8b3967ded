import { setMetricsSink, type EmfDocument } from '#shared/metrics';

/**
 * The local runner's stand-in for CloudWatch metrics: it receives every EMF document the
 * handlers emit (shared/metrics.ts) and keeps, per metric and dimension set, the count of
 * points, their sum, minimum and maximum. `npm start -- --metrics` prints them.
 */
export interface MetricSeries {
  readonly namespace: string;
  readonly name: string;
  readonly unit: string;
  readonly dimensions: Readonly<Record<string, string>>;
  samples: number;
  sum: number;
  min: number;
  max: number;
}

export class MetricsCollector {
  readonly documents: EmfDocument[] = [];
  readonly #series = new Map<string, MetricSeries>();

  receive(doc: EmfDocument): void {
    this.documents.push(doc);
    const d = doc as unknown as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit?: string }[] }[] };
    };
    for (const directive of d._aws.CloudWatchMetrics) {
      const names = directive.Dimensions.flat();
      const dimensions = Object.fromEntries(names.map((n) => [n, String(d[n])]));
      for (const m of directive.Metrics) {
        const raw = d[m.Name];
        for (const value of (Array.isArray(raw) ? raw : [raw]).map(Number)) {
          const key = JSON.stringify([directive.Namespace, m.Name, Object.entries(dimensions).sort()]);
          const s = this.#series.get(key) ?? {
            namespace: directive.Namespace,
            name: m.Name,
            unit: m.Unit ?? 'None',
            dimensions,
            samples: 0,
            sum: 0,
            min: Infinity,
            max: -Infinity,
          };
          s.samples++;
          s.sum += value;
          s.min = Math.min(s.min, value);
          s.max = Math.max(s.max, value);
          this.#series.set(key, s);
        }
      }
    }
  }

  /** Every series, by metric name then dimensions. */
  series(name?: string): MetricSeries[] {
    return [...this.#series.values()]
      .filter((s) => !name || s.name === name)
      .sort((a, b) => `${a.name}${JSON.stringify(a.dimensions)}`.localeCompare(`${b.name}${JSON.stringify(b.dimensions)}`));
  }

  /** A table for the terminal. */
  summary(): string {
    const rows = this.series().map((s) => {
      const dims = Object.entries(s.dimensions)
        .filter(([k]) => k !== 'service')
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      const stats = s.unit === 'Count' ? `${s.sum}` : `n=${s.samples} avg=${(s.sum / s.samples).toFixed(1)} min=${s.min} max=${s.max} (${s.unit})`;
      return `  ${s.name.padEnd(26)} ${dims.padEnd(34)} ${stats}`;
    });
    return rows.length ? `指标 / metrics (${this.documents.length} EMF documents):\n${rows.join('\n')}` : '指标 / metrics: none yet';
  }
}

/** Starts collecting the handlers' metrics in this process (replacing any earlier collector). */
export function collectMetrics(): MetricsCollector {
  const collector = new MetricsCollector();
  setMetricsSink((doc) => collector.receive(doc));
  return collector;
}

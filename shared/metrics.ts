import { AsyncLocalStorage } from 'node:async_hooks';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { log, SERVICE_NAME } from '#shared/log';

/**
 * CloudWatch metrics as EMF lines (Powertools Metrics), namespace `Gongkai`, dimension
 * `service` = gongkai on every one. What the pipeline counts and times:
 *   DraftsEnteredStage        (stage = the status entered)       a draft moved into a status;
 *   Rejections                (rule = rule id)                   a blocking finding rejected a draft;
 *   ApprovalWaitSeconds       (kind = approve | file | review)   a task's creation to its decision;
 *   PublicationLatencySeconds                                    a draft's submission to PUBLISHED;
 *   ApplicationsOverdue, ApplicationsDueSoon                     the daily watch of applications (the alarm).
 * Points are kept per invocation (observe, shared/observe.ts) and flushed once at its end, one
 * EMF blob per dimension set — EMF applies a blob's dimensions to every metric in it.
 */
export const NAMESPACE = 'Gongkai';

export const METRIC = {
  draftsEnteredStage: 'DraftsEnteredStage',
  rejections: 'Rejections',
  approvalWaitSeconds: 'ApprovalWaitSeconds',
  publicationLatencySeconds: 'PublicationLatencySeconds',
  applicationsOverdue: 'ApplicationsOverdue',
  applicationsDueSoon: 'ApplicationsDueSoon',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

interface Point {
  readonly name: MetricName;
  readonly unit: Unit;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** An EMF document as Powertools serialises it (what CloudWatch reads from the log line). */
export type EmfDocument = ReturnType<Metrics['serializeMetrics']>;

/**
 * Where EMF documents go. In Lambda: unset, and Powertools writes each as a log line that
 * CloudWatch turns into metrics. Locally the runner sets a sink (infra/local/metrics.ts) that
 * collects them, so `npm start -- --metrics` can print them and tests can read them.
 */
let sink: ((doc: EmfDocument) => void) | undefined;
export const setMetricsSink = (s: ((doc: EmfDocument) => void) | undefined): void => {
  sink = s;
};

let emf: Metrics | undefined;
const emitter = (): Metrics => (emf ??= new Metrics({ namespace: NAMESPACE, serviceName: SERVICE_NAME }));

const scope = new AsyncLocalStorage<{ points: Point[]; functionName?: string }>();

/** Writes the points: one EMF line per dimension set, counts of one metric summed, timings kept as values. Never throws. */
function publish(points: readonly Point[], functionName?: string): void {
  const groups = new Map<string, Point[]>();
  for (const p of points) {
    const key = JSON.stringify(Object.entries(p.dimensions).sort());
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const m = emitter();
  for (const group of groups.values()) {
    try {
      for (const [k, v] of Object.entries(group[0]!.dimensions)) m.addDimension(k, v);
      const counts = new Map<MetricName, number>();
      for (const p of group) {
        if (p.unit === MetricUnit.Count) counts.set(p.name, (counts.get(p.name) ?? 0) + p.value);
        else m.addMetric(p.name, p.unit, p.value);
      }
      for (const [name, value] of counts) m.addMetric(name, MetricUnit.Count, value);
      if (functionName) m.addMetadata('function_name', functionName);
      if (sink) {
        sink(m.serializeMetrics());
        m.clearMetrics();
        m.clearDimensions();
        m.clearMetadata();
      } else m.publishStoredMetrics();
    } catch (err) {
      log.warn('metrics not published', { error: String(err) });
      m.clearMetrics();
      m.clearDimensions();
      m.clearMetadata();
    }
  }
}

function record(point: Point): void {
  const s = scope.getStore();
  if (s) s.points.push(point);
  else publish([point]);
}

/** Runs `fn` keeping its metrics, and flushes them once when it ends (returns or throws). */
export async function withInvocationMetrics<T>(functionName: string | undefined, fn: () => Promise<T>): Promise<T> {
  const s = { points: [] as Point[], ...(functionName ? { functionName } : {}) };
  try {
    return await scope.run(s, fn);
  } finally {
    if (s.points.length) publish(s.points, s.functionName);
  }
}

const seconds = (ms: number): number => Math.max(0, Math.round(ms) / 1000);

export const metrics = {
  /** A draft entered a status (a committed transition, or its first status at creation). */
  draftEnteredStage: (stage: string) => record({ name: METRIC.draftsEnteredStage, unit: MetricUnit.Count, value: 1, dimensions: { stage } }),
  /** A draft was rejected by a blocking finding of this rule. */
  rejection: (ruleId: string) => record({ name: METRIC.rejections, unit: MetricUnit.Count, value: 1, dimensions: { rule: ruleId } }),
  /** A task was decided `waitMs` after it was created. */
  approvalWait: (kind: string, waitMs: number) => record({ name: METRIC.approvalWaitSeconds, unit: MetricUnit.Seconds, value: seconds(waitMs), dimensions: { kind } }),
  /** A draft reached PUBLISHED `latencyMs` after it was submitted. */
  publicationLatency: (latencyMs: number) => record({ name: METRIC.publicationLatencySeconds, unit: MetricUnit.Seconds, value: seconds(latencyMs), dimensions: {} }),
  /** The daily watch: applications overdue, and due within 5 working days, across the platform. */
  applicationsWatched: (overdue: number, dueSoon: number) => {
    record({ name: METRIC.applicationsOverdue, unit: MetricUnit.Count, value: overdue, dimensions: {} });
    record({ name: METRIC.applicationsDueSoon, unit: MetricUnit.Count, value: dueSoon, dimensions: {} });
  },
};

/**
 * What a committed status change tells the metrics: the draft entered a status; a rejection
 * names the rules that blocked it; a task decided (`decided`: the draft left the task
 * statuses) waited since it was queued; a publication took since the draft was created.
 */
export function recordTransition(
  prev: { readonly task?: { readonly kind: string; readonly enqueuedAt: string } },
  next: { readonly status: string; readonly createdAt: string; readonly findings?: readonly { readonly ruleId: string; readonly severity: string }[] },
  decided: boolean,
  atMs: number,
): void {
  metrics.draftEnteredStage(next.status);
  if (next.status === 'REJECTED') for (const id of new Set((next.findings ?? []).filter((f) => f.severity === 'block').map((f) => f.ruleId))) metrics.rejection(id);
  if (decided && prev.task) metrics.approvalWait(prev.task.kind, atMs - Date.parse(prev.task.enqueuedAt));
  if (next.status === 'PUBLISHED') metrics.publicationLatency(atMs - Date.parse(next.createdAt));
}

/**
 * Claim cost against the length of the task inbox (issue 10 item 4): the information
 * centre claims its filing task through the API while 10, then 1,000 approval tasks (of
 * another role) wait ahead of it. Each sample puts one new filing task in the inbox and
 * times one `POST /tasks/claim` (the claimed tasks stay leased, so every claim finds exactly
 * one task claimable). Reported: median and p95 per size, and the ratio of the medians.
 * Timings are facts to report, never assertions.
 *
 * Run alone with `npm run bench:tasks`; `npm run bench` runs it too (BENCH_SKIP_TASKS=1
 * skips it). Environment: BENCH_TASK_SIZES (default "10,1000"), BENCH_TASK_SAMPLES (30).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { GongkaiClient } from '#client/gongkai';
import { startLocalStack } from '#infra/local/stack';
import type { Draft, TaskKind } from '#shared/domain/draft';
import { createDraft } from '#shared/store';
import { validForm } from '../test/support/forms.ts';

export interface TaskBenchRow {
  /** Tasks of another role waiting ahead of the claimed one. */
  readonly othersWaiting: number;
  readonly samples: number;
  readonly medianMs: number;
  readonly p95Ms: number;
}

const DRAFTER = { sub: 'u-drafter-fgw', name: '王明（区发展和改革局）', role: 'drafter' } as const;
let serial = 0;

/** A draft waiting for a decision, written through the store (its inbox entry is the store's own). */
async function seedTask(kind: TaskKind, enqueuedAt: string): Promise<void> {
  const id = `BNCH${String(++serial).padStart(8, '0')}${String(Date.now()).padStart(14, '0')}`;
  const nonPublic = kind === 'file';
  const form = validForm({
    title: `压测任务 ${serial}`,
    documentNumber: undefined,
    ...(nonPublic
      ? { attribute: '依申请公开', isPolicy: true, nonPublicReason: '涉及第三方商业秘密，公开会损害第三方合法权益', legalBasis: '《中华人民共和国政府信息公开条例》第十五条' }
      : { attribute: '主动公开' }),
  }) as Draft['form'];
  await createDraft({
    id,
    version: 1,
    revision: 1,
    status: 'PENDING_APPROVAL',
    form,
    submitter: DRAFTER,
    files: { document: { key: `uploads/${id}/r1/document`, fileName: 'a.txt', contentType: 'text/plain', maxBytes: 1000 } },
    findings: [],
    task: { id: `${id}:${kind}:r1`, kind, seq: 1, enqueuedAt },
    history: [],
    createdAt: enqueuedAt,
    updatedAt: enqueuedAt,
    stageEnteredAt: enqueuedAt,
  });
}

async function seedMany(kind: TaskKind, n: number, enqueuedAt: string): Promise<void> {
  let left = n;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (left > 0) {
        left--;
        await seedTask(kind, enqueuedAt);
      }
    }),
  );
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};
const round = (n: number) => Math.round(n * 100) / 100;

export async function benchTaskClaims(progress: (m: string) => void = console.error): Promise<TaskBenchRow[]> {
  const sizes = (process.env.BENCH_TASK_SIZES ?? '10,1000')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0)
    .sort((a, b) => a - b);
  const samples = Number(process.env.BENCH_TASK_SAMPLES ?? 30);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-bench-tasks-'));
  const stack = await startLocalStack({ dataDir, schedules: false });
  const infocenter = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
  const rows: TaskBenchRow[] = [];
  try {
    // Every approval task is older than every filing task: all of them wait "ahead".
    const old = new Date(Date.now() - 24 * 3600_000).toISOString();
    let seeded = 0;
    for (const size of sizes) {
      await seedMany('approve', size - seeded, old);
      seeded = size;
      progress(`tasks: ${size} approval tasks waiting; ${samples} filing claims`);
      await seedTask('file', new Date().toISOString()); // warm-up
      await infocenter.claim();
      const ms: number[] = [];
      for (let i = 0; i < samples; i++) {
        await seedTask('file', new Date().toISOString());
        const t0 = performance.now();
        const claim = await infocenter.claim();
        ms.push(performance.now() - t0);
        if (claim.draft?.task?.kind !== 'file') throw new Error(`the information centre was handed ${claim.draft?.task?.kind ?? 'nothing'} instead of its filing task`);
      }
      rows.push({ othersWaiting: size, samples, medianMs: round(quantile(ms, 0.5)), p95Ms: round(quantile(ms, 0.95)) });
    }
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return rows;
}

export function tasksMarkdown(rows: readonly TaskBenchRow[]): string {
  const first = rows[0];
  const last = rows.at(-1);
  const lines = [
    '## Task claims against the inbox length (information centre claims its filing task)',
    '',
    '| approval tasks waiting ahead | samples | median ms | p95 ms |',
    '|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.othersWaiting} | ${r.samples} | ${r.medianMs} | ${r.p95Ms} |`),
  ];
  if (first && last && first !== last && first.medianMs > 0)
    lines.push('', `Median ratio ${last.othersWaiting} : ${first.othersWaiting} = ${round(last.medianMs / first.medianMs)}.`);
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const rows = await benchTaskClaims();
  console.log(tasksMarkdown(rows));
  process.exit(0);
}

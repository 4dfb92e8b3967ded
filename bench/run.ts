/**
 * `npm run bench`: three measurements in one run, written to bench/results/latest.{json,md}.
 *
 *  1. Extraction: our extractDocument against poppler's pdftotext, side by side
 *     (bench/extract.ts), on the corpus (../shared/corpus or GONGKAI_CORPUS).
 *  2. End to end: a fresh local stack (the emulators in their own child process unless
 *     GONGKAI_EMULATORS=in-process; pollers, API in this one; BENCH_POLLER_CONCURRENCY batches at
 *     once per standard queue, default the cores, the extract queue twice that, or
 *     BENCH_POLLER_CONCURRENCY_<QUEUE>) in a temporary data dir, schedules off. N drafts (BENCH_DRAFTS, default 200) are submitted
 *     through the API by BENCH_CONCURRENCY (default 8) concurrent submitters while two
 *     approvers claim and approve whatever reaches approval, until every draft is terminal.
 *     Reported: wall time, drafts per minute, per-stage latency from each draft's history,
 *     handler time per batch from the pollers (onBatch), client-side API latency, queue
 *     depths, event-loop delay, peak RSS, CPU per draft (this process, the emulators', pagefind's)
 *     and the AWS requests per draft, by service and function.
 *  3. Incremental publishing (bench/site.ts): one document published into a site of 100
 *     and of 30,000 documents, side by side, and the search's S3 writes over a compaction
 *     cycle (BENCH_SKIP_SITE=1 skips both); many bodies on one platform (BENCH_SKIP_PLATFORM=1).
 *  4. Task claims (bench/tasks.ts): claim latency with 10 and 1,000 tasks of another role
 *     waiting ahead, and their ratio (BENCH_SKIP_TASKS=1 skips it).
 *  5. Application deadlines (bench/applications.ts): the daily watch-applications run and the
 *     deadlines() query at 100 and 10,000 open applications, a Scan as the contrast
 *     (BENCH_SKIP_APPLICATIONS=1 skips it).
 *  6. Cold start (bench/cold-start.ts): each function's bundle, made as the CDK app makes it,
 *     imported in a fresh process with and without --enable-source-maps (BENCH_SKIP_COLD=1 skips it).
 *  7. Search shards (bench/search.ts): one shard's rebuild on a publication and on a withdrawal,
 *     with the platform at 1,000 and at 30,000 real-length documents, and search.html in Chromium
 *     with 1–160 shards (bench/search-browser.ts) (BENCH_SKIP_SEARCH=1 skips both).
 *  8. OCR (bench/ocr.ts): our engine against Debian's tesseract with chi_sim on the same scans
 *     and rasterised corpus pages — accuracy, time and memory per page (BENCH_SKIP_OCR=1 skips
 *     it). `npm run bench` installs tesseract-ocr and tesseract-ocr-chi-sim first (`prebench`:
 *     scripts/system-deps.sh --bench); without tesseract the OCR table has our columns only.
 *
 * Timings are facts to report, never assertions. Exit code 0 when every draft ended where
 * it should; 1 with a message when a draft was rejected unexpectedly, an API call failed or
 * the run timed out (BENCH_TIMEOUT_S, default 600 s).
 *
 * Environment: GONGKAI_CORPUS, BENCH_DRAFTS, BENCH_CONCURRENCY, BENCH_APPROVERS (1–2),
 * BENCH_LARGE (drafts whose document is pdf-variants/large_199p.pdf, default 0),
 * BENCH_EXTRACT_REPS (default 5), BENCH_SKIP_EXTRACT=1, BENCH_TIMEOUT_S, BENCH_KEEP_DATA=1,
 * BENCH_OUT (results dir, default bench/results).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { benchExtraction, type ExtractionBenchResult } from './extract.ts';
import {
  benchPlatformPublishing,
  benchSearchCycle,
  benchSitePublishing,
  platformMarkdown,
  siteMarkdown,
  type PlatformBenchRow,
  type SearchCycleRow,
  type SiteBenchRow,
} from './site.ts';
import { benchOcr, ocrMarkdown, type OcrBenchResult } from './ocr.ts';
import { benchTaskClaims, tasksMarkdown, type TaskBenchRow } from './tasks.ts';
import { applicationsMarkdown, benchApplicationDeadlines, type ApplicationsBenchRow } from './applications.ts';
import { benchColdStart, coldStartMarkdown, type ColdStartRow } from './cold-start.ts';
import { benchSearchShards, searchMarkdown, type SearchBenchRow } from './search.ts';
import { benchBrowserShards, browserSearchMarkdown, type BrowserSearchRow } from './search-browser.ts';
import { ApiError, CONTENT_TYPES, GongkaiClient, TERMINAL, uploadFile, type DraftView } from '#client/gongkai';
import { machineConcurrency, startLocalStack, type LocalStack } from '#infra/local/stack';
import { loadUsers } from '#infra/local/users';
import { runningFunction } from '#infra/local/grants';
import { loadHandler } from '#infra/local/handlers';
import { defaultExtractConcurrency } from '#infra/local/start-settings';
import { EXTRACT_POOL_SIZE, warmExtractionPool } from '#shared/extract/isolated';
import type { CreateDraftRequest } from '#shared/api';
import type { Status } from '#shared/domain/draft';
import { listByStatus } from '#shared/store';
import { topology, type FunctionName, type QueueName } from '#shared/topology';

// ---------------------------------------------------------------- configuration

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const intEnv = (name: string, fallback: number, min = 0): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
};

const CONFIG = {
  corpusDir: path.resolve(process.env.GONGKAI_CORPUS ?? path.join(root, '../shared/corpus')),
  drafts: intEnv('BENCH_DRAFTS', 200, 1),
  concurrency: intEnv('BENCH_CONCURRENCY', 8, 1),
  approvers: Math.min(2, intEnv('BENCH_APPROVERS', 2, 1)),
  large: intEnv('BENCH_LARGE', 0, 0),
  extractRepetitions: intEnv('BENCH_EXTRACT_REPS', 5, 1),
  skipExtract: process.env.BENCH_SKIP_EXTRACT === '1',
  timeoutSeconds: intEnv('BENCH_TIMEOUT_S', 600, 10),
  keepData: process.env.BENCH_KEEP_DATA === '1',
  outDir: path.resolve(process.env.BENCH_OUT ?? path.join(here, 'results')),
};

const APPROVERS = ['dev-approver-li', 'dev-approver-chen'];
/** BENCH_POLLER_CONCURRENCY: batches each standard queue's poller runs at once (default: the machine's cores, as npm start). */
const POLLER_CONCURRENCY = intEnv('BENCH_POLLER_CONCURRENCY', machineConcurrency(), 1);
/**
 * BENCH_POLLER_CONCURRENCY_<QUEUE> (EXTRACT, CHECK, PUBLISH, OCR): one standard queue's poller
 * concurrency instead (LocalStackOptions.queueConcurrency); the extract queue's default is that of
 * `npm start` (defaultExtractConcurrency: twice the others').
 */
const QUEUE_CONCURRENCY: Partial<Record<QueueName, number>> = {
  extract: defaultExtractConcurrency(POLLER_CONCURRENCY),
  ...Object.fromEntries(
    (Object.keys(topology.queues) as QueueName[])
      .filter((q) => !('fifo' in topology.queues[q] && topology.queues[q].fifo) && process.env[`BENCH_POLLER_CONCURRENCY_${q.toUpperCase()}`])
      .map((q) => [q, intEnv(`BENCH_POLLER_CONCURRENCY_${q.toUpperCase()}`, POLLER_CONCURRENCY, 1)]),
  ),
};
/** An approver with nothing to claim looks again after 200 ms, then 400, 800, up to 1,600 (as a console refreshing its inbox would), and at once after a decision. */
const CLAIM_IDLE_MS = { first: 200, max: 1600 };
/**
 * BENCH_WARM=0: start measuring on a cold stack. By default the API functions the bench calls
 * are loaded and the extraction workers started before the first submission, so the figures
 * are the pipeline's steady state, not the local runner's one-off module compilation (cold
 * starts are measured apart, bench/cold-start.ts).
 */
const WARM = process.env.BENCH_WARM !== '0';
const BENCH_API_FUNCTIONS: FunctionName[] = ['create-draft', 'get-draft', 'claim-task', 'decide-task'];
const INTERPRETATION_FILE = path.join(root, 'infra/local/samples/004-interpretation.txt');

// ---------------------------------------------------------------- small helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number): number => round(bytes / (1024 * 1024));
const progress = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}
/** Nearest-rank percentiles; null for an empty sample. */
function stats(xs: readonly number[]): Stats | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  return { n: s.length, p50: round(rank(50)), p95: round(rank(95)), max: round(s[s.length - 1]!), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

class BenchFailure extends Error {
  override name = 'BenchFailure';
}

// ---------------------------------------------------------------- the drafts to submit

type Form = CreateDraftRequest['form'];
type Kind = 'plain' | 'policy' | 'on-application' | 'large';

interface Job {
  index: number;
  kind: Kind;
  document: string; // relative to the corpus
  interpretation?: string; // absolute
  form: Form;
  expect: Status;
}

const contact = { name: '赵敏', phone: '0359-2021234' };

/** What the five notices of the corpus are, as a drafting unit would declare them (cf. infra/local/samples.ts). */
const NOTICES: Record<string, Pick<Form, 'title' | 'draftingUnit' | 'documentType' | 'documentDate'> & { documentNumber?: string }> = {
  '000_70017f665202e428': {
    title: '运城市盐湖区人民政府办公室关于印发运城市盐湖区全面推进基层政务公开标准化规范化工作方案的通知',
    draftingUnit: '运城市盐湖区人民政府办公室',
    documentType: '通知',
    documentDate: '2020-12-10',
    documentNumber: '运盐政办发〔2020〕60号',
  },
  '001_635c498a68e213e6': {
    title: '李沧区人民政府办公室关于印发《青岛市李沧区全面推进基层政务公开标准化规范化工作方案》的通知',
    draftingUnit: '青岛市李沧区人民政府办公室',
    documentType: '通知',
    documentDate: '2020-06-11',
  },
  '002_6bc38a5105b87f60': {
    title: '古县人民政府办公室关于印发古县2022年政务公开工作要点的通知',
    draftingUnit: '古县人民政府办公室',
    documentType: '要点',
    documentDate: '2022-05-20',
    documentNumber: '古政办发〔2022〕30号',
  },
  '003_947bd769dad19b2f': {
    title: '尤溪县人民政府办公室关于印发尤溪县全面推进基层政务公开标准化规范化工作实施方案的通知',
    draftingUnit: '尤溪县人民政府办公室',
    documentType: '通知',
    documentDate: '2020-07-15',
    documentNumber: '尤政办〔2020〕31号',
  },
  '004_a31f9dc5403041b8': {
    title: '江西省人民政府办公厅关于全面推进基层政务公开标准化规范化的实施意见',
    draftingUnit: '江西省人民政府办公厅',
    documentType: '意见',
    documentDate: '2020-09-30',
    documentNumber: '赣府厅发〔2020〕17号',
  },
};
const IDS = Object.keys(NOTICES);
const FILES = [...IDS.map((id) => `pdf/${id}.pdf`), ...IDS.map((id) => `docx/${id}.docx`)];
const LARGE_FILE = 'pdf-variants/large_199p.pdf';

function noticeOf(file: string) {
  const id = path.basename(file).replace(/\.[a-z]+$/, '');
  return NOTICES[id] ?? NOTICES['000_70017f665202e428']!;
}

/**
 * The mix: mostly 主动公开 non-policy drafts declaring no interpretation is needed, rotating
 * through the ten pdf/ and docx/ files; one in 20 a policy document with its interpretation
 * attached (004, pdf or docx); one in 20 依申请公开 with a reason and a legal basis (→ FILED);
 * and optionally BENCH_LARGE plain drafts of the 199-page PDF, spread evenly.
 */
function plan(n: number, large: number): Job[] {
  const largeAt = new Set(Array.from({ length: Math.min(large, n) }, (_, k) => Math.floor(((k + 0.5) * n) / Math.min(large, n))));
  return Array.from({ length: n }, (_, i): Job => {
    const tag = `（压测 ${i + 1}/${n}）`;
    const plainForm = (file: string): Form => {
      const { documentNumber, ...notice } = noticeOf(file);
      return {
        ...notice,
        ...(documentNumber ? { documentNumber } : {}),
        title: `${notice.title}${tag}`,
        isPolicy: false,
        attribute: '主动公开',
        interpretation: { mode: 'not-needed', reason: '印发工作方案的通知，不涉及公众权利义务，无需解读' },
        contact,
      };
    };
    if (largeAt.has(i)) {
      return { index: i, kind: 'large', document: LARGE_FILE, form: { ...plainForm(FILES[0]!), title: `大文件（199 页）${tag}` }, expect: 'PUBLISHED' };
    }
    const slot = i % 20;
    if (slot === 7) {
      const document = (i / 20) % 2 < 1 ? `pdf/${IDS[4]}.pdf` : `docx/${IDS[4]}.docx`;
      return {
        index: i,
        kind: 'policy',
        document,
        interpretation: INTERPRETATION_FILE,
        form: { ...plainForm(document), isPolicy: true, interpretation: { mode: 'attached', format: '文字' } },
        expect: 'PUBLISHED',
      };
    }
    const document = FILES[i % FILES.length]!;
    if (slot === 15) {
      // Notice 000 carries no disclosure marker; the others are marked 公开发布 / 主动公开,
      // which ATTR-4 rightly refuses to file as non-public.
      const unmarked = i % 2 ? 'pdf/000_70017f665202e428.pdf' : 'docx/000_70017f665202e428.docx';
      return {
        index: i,
        kind: 'on-application',
        document: unmarked,
        form: {
          ...plainForm(unmarked),
          attribute: '依申请公开',
          nonPublicReason: '方案附件含各责任单位内部分工和联系人信息，属于内部事务信息',
          legalBasis: '《中华人民共和国政府信息公开条例》第十六条',
        },
        expect: 'FILED',
      };
    }
    return { index: i, kind: 'plain', document, form: plainForm(document), expect: 'PUBLISHED' };
  });
}

// ---------------------------------------------------------------- samplers

class RssSampler {
  peak = process.memoryUsage.rss();
  private timer: NodeJS.Timeout | undefined;
  start(everyMs = 50): void {
    this.peak = process.memoryUsage.rss();
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage.rss())), everyMs);
    this.timer.unref();
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }
}

/** Counts the pipeline's warn/error log lines (printed to stderr, the first few of each kind only). */
function captureLogs() {
  const counts = new Map<string, number>();
  const original = { warn: console.warn, error: console.error };
  const wrap =
    (level: 'warn' | 'error') =>
    (...args: unknown[]) => {
      const first = args[0];
      let key = `${level}: ${String(first).slice(0, 120)}`;
      if (typeof first === 'string' && first.startsWith('{')) {
        try {
          const parsed = JSON.parse(first) as { level?: string; message?: string; stage?: string; fn?: string; error?: string };
          key = `${parsed.level ?? level}: ${parsed.message ?? ''}${(parsed.stage ?? parsed.fn) ? ` [${parsed.stage ?? parsed.fn}]` : ''}${parsed.error ? ` — ${parsed.error.slice(0, 160)}` : ''}`;
        } catch {
          /* not JSON */
        }
      }
      const c = (counts.get(key) ?? 0) + 1;
      counts.set(key, c);
      if (c <= 3) original[level].call(console, ...args);
      else if (c === 4) original[level].call(console, `(further "${key.slice(0, 80)}" lines counted, not printed)`);
    };
  console.warn = wrap('warn');
  console.error = wrap('error');
  return {
    counts,
    restore() {
      console.warn = original.warn;
      console.error = original.error;
    },
  };
}

// ---------------------------------------------------------------- end-to-end run

interface BatchRecord {
  fn: FunctionName;
  records: number;
  failed: number;
  ms: number;
  at: number;
}

interface Tracked {
  job: Job;
  id: string;
  submittedAt: number; // client, before POST /drafts
  createdAt: number; // client, POST /drafts answered
  uploadedAt: number; // client, last upload answered
  terminal?: Status;
  terminalSeenAt?: number;
}

/**
 * Counts the AWS requests this process makes (the SDK's node:http requests), by service and
 * operation, and by the function running when each was sent (grants' runningFunction):
 * requests outside any function are the runner's (pollers, S3 event bridge, bench, settle).
 */
function countRequests(endpoints: LocalStack['endpoints']) {
  const serviceOf = new Map(Object.entries(endpoints).map(([service, url]) => [new URL(url).host, service]));
  const counts = new Map<string, number>(); // "service op fn"
  // TCP connections opened to each emulator: a request on a socket not seen before (keep-alive reuses them).
  const sockets = new WeakSet<object>();
  const connections: Record<string, number> = {};
  const onRequest = (message: unknown) => {
    const req = (message as { request: ClientRequest }).request;
    const service = serviceOf.get(String(req.getHeader('host') ?? ''));
    if (!service) return;
    const onSocket = (socket: object) => {
      if (sockets.has(socket)) return;
      sockets.add(socket);
      connections[service] = (connections[service] ?? 0) + 1;
    };
    if (req.socket) onSocket(req.socket);
    else req.once('socket', onSocket);
    const target = req.getHeader('x-amz-target');
    const op = typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : req.method;
    const key = `${service} ${op} ${runningFunction() ?? 'runner'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  diagnostics.subscribe('http.client.request.start', onRequest);
  return {
    stop: () => diagnostics.unsubscribe('http.client.request.start', onRequest),
    /** TCP connections opened per service while counting. */
    connections: (): Record<string, number> => ({ ...connections }),
    /** [service, operation, function, count], most first. */
    rows: (): [string, string, string, number][] =>
      [...counts.entries()].map(([k, n]): [string, string, string, number] => [...(k.split(' ') as [string, string, string]), n]).sort((a, b) => b[3] - a[3]),
  };
}

/**
 * CPU of this process' finished child processes (pagefind's builds), user + system ms, from
 * /proc/self/stat (cutime, cstime; 100 ticks a second); undefined where there is no /proc.
 */
async function childrenCpuMs(): Promise<number | undefined> {
  const stat = await readFile('/proc/self/stat', 'utf8').catch(() => undefined);
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** The queue consumers: the pipeline's own functions (the others answer the API). */
const PIPELINE = new Set<string>(Object.values(topology.queues).flatMap((q) => ('consumer' in q && q.consumer ? [q.consumer.fn] : [])));

/** SQS operations of Lambda's event source mapping (the pollers), not of the handlers. */
const POLLING = new Set(['ReceiveMessage', 'DeleteMessageBatch', 'DeleteMessage', 'ChangeMessageVisibilityBatch']);

export interface E2EResult {
  drafts: number;
  concurrency: number;
  approvers: number;
  mix: Record<Kind, number>;
  wallSeconds: number;
  submitSeconds: number;
  draftsPerMinute: number;
  outcome: Record<string, number>;
  stages: { stage: string; from: string; to: string; note: string; ms: Stats | null }[];
  extractByFile: { file: string; ms: Stats | null }[];
  handlers: {
    fn: string;
    batches: number;
    records: number;
    failed: number;
    busySeconds: number;
    busyShare: number;
    perBatchMs: Stats | null;
    perRecordMs: Stats | null;
    recordsPerBatch: number;
  }[];
  api: { call: string; ms: Stats | null; errors: number }[];
  queues: { queue: string; maxDepth: number; maxInFlight: number }[];
  queueSamples: { t: number; depths: Record<string, [number, number]> }[];
  /** Every batch the pollers ran: [function, records, failed, ms, seconds since the first submission at its end]. */
  batchLog: [string, number, number, number, number][];
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  /** Where the emulators ran: 'child process' (default) or 'in-process' (GONGKAI_EMULATORS=in-process). */
  emulators: string;
  /** Poller concurrency on standard queues (LocalStackOptions.pollerConcurrency; BENCH_POLLER_CONCURRENCY). */
  pollerConcurrency: number;
  /** API functions loaded and extraction workers started before the first submission (BENCH_WARM, default on). */
  warm: boolean;
  /** Queues whose poller concurrency was set apart (BENCH_POLLER_CONCURRENCY_<QUEUE>). */
  queueConcurrency: Partial<Record<QueueName, number>>;
  /** CPU per draft over the run (user + system ms): this process (handlers, extraction workers, API, pollers, bench clients) and the emulators' process. */
  cpuMsPerDraft: { main: number; emulators: number | null; children: number | null; total: number };
  /** AWS requests per draft: by service, made by handlers; the pollers' SQS polling apart. */
  requestsPerDraft: {
    /** The queue consumers only (extract, check, publish, render-site…): the per-draft cost of the pipeline itself, without the API calls the bench's clients make. */
    pipeline: { s3: number; dynamodb: number; sqs: number };
    s3: number;
    dynamodb: number;
    sqs: number;
    sqsPolling: number;
    byFunction: Record<string, { s3: number; dynamodb: number; sqs: number }>;
  };
  /** Every counted request: [service, operation, function or "runner", count]. */
  requests: [string, string, string, number][];
  /** TCP connections this process opened to each emulator during the run (the SDK's agents keep them alive), and requests per connection. */
  connections: Record<string, { opened: number; requestsPerConnection: number }>;
  memory: { startRssMB: number; peakRssMB: number; endRssMB: number };
  site: { homeListed: number; published: number };
  decideConflicts: number;
  logLines: Record<string, number>;
}

async function runEndToEnd(): Promise<E2EResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-bench-'));
  const batches: BatchRecord[] = [];
  const jobs = plan(CONFIG.drafts, CONFIG.large);
  const files = new Map<string, Uint8Array>();
  for (const f of new Set(jobs.flatMap((j) => [path.join(CONFIG.corpusDir, j.document), ...(j.interpretation ? [j.interpretation] : [])]))) {
    files.set(f, new Uint8Array(await readFile(f)));
  }

  progress(`starting a fresh local stack in ${dataDir}`);
  const logs = captureLogs();
  let stack: LocalStack | undefined;
  let requests: ReturnType<typeof countRequests> | undefined;
  const rss = new RssSampler();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let startRss: number;
  try {
    stack = await startLocalStack({
      dataDir,
      schedules: false,
      retryDelaySeconds: 1,
      onBatch: (info) => batches.push({ ...info, at: Date.now() }),
      pollerConcurrency: POLLER_CONCURRENCY,
      queueConcurrency: QUEUE_CONCURRENCY,
    });
    const s = stack;
    requests = countRequests(s.endpoints);
    // Each notice is submitted by a drafter of its unit (a drafter acts for their own unit only).
    const users = await loadUsers();
    const drafterOf = (unit: string): GongkaiClient => {
      const user = users.find((u) => u.unit === unit && u.groups.length === 1 && u.groups[0] === 'drafter');
      if (!user) throw new Error(`config/local-users.json has no drafter of ${unit}`);
      return new GongkaiClient(s.apiUrl, user.token);
    };
    const approvers = APPROVERS.slice(0, CONFIG.approvers).map((t) => new GongkaiClient(s.apiUrl, t));
    const watcher = new GongkaiClient(s.apiUrl, APPROVERS[0]!);

    const api = new Map<string, { ms: number[]; errors: number }>();
    const timed = async <T>(call: string, f: () => Promise<T>): Promise<T> => {
      const entry = api.get(call) ?? { ms: [], errors: 0 };
      api.set(call, entry);
      const t0 = performance.now();
      try {
        const r = await f();
        entry.ms.push(performance.now() - t0);
        return r;
      } catch (err) {
        entry.errors++;
        throw err;
      }
    };

    const tracked = new Map<string, Tracked>();
    let failure: BenchFailure | undefined;
    const fail = (msg: string) => {
      failure ??= new BenchFailure(msg);
    };
    let terminalCount = 0;
    const markTerminal = (id: string, status: Status) => {
      const t = tracked.get(id);
      if (!t || t.terminal) return;
      t.terminal = status;
      t.terminalSeenAt = Date.now();
      terminalCount++;
      if (status !== t.job.expect) fail(`draft ${id} (#${t.job.index + 1}, ${t.job.kind}, ${t.job.document}) ended ${status}, expected ${t.job.expect}`);
    };
    const done = () => failure !== undefined || terminalCount >= jobs.length;

    // Queue depths, every second.
    const queueSamples: E2EResult['queueSamples'] = [];
    const queueNames = Object.keys(s.queues) as QueueName[];
    let sampling = true;
    const sampleQueues = (async () => {
      while (sampling) {
        const depths: Record<string, [number, number]> = {};
        await Promise.all(
          queueNames.map(async (q) => {
            const a = await s.sqs.send(
              new GetQueueAttributesCommand({ QueueUrl: s.queues[q].url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
            );
            depths[q] = [Number(a.Attributes?.ApproximateNumberOfMessages ?? 0), Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)];
          }),
        ).catch(() => undefined);
        queueSamples.push({ t: Date.now(), depths });
        await sleep(1000);
      }
    })();

    if (WARM) {
      await Promise.all([...BENCH_API_FUNCTIONS.map((fn) => loadHandler(fn)), warmExtractionPool()]);
      progress(`warm: ${BENCH_API_FUNCTIONS.join(', ')} loaded, ${EXTRACT_POOL_SIZE} extraction workers started`);
    }
    progress(`pushing ${jobs.length} drafts (${CONFIG.concurrency} submitters, ${approvers.length} approver(s))`);
    rss.start();
    startRss = rss.peak;
    loop.enable();
    const cpu0 = { main: process.cpuUsage(), emulators: await s.emulators.cpuUsage(), children: await childrenCpuMs() };
    const t0 = Date.now();
    const deadline = t0 + CONFIG.timeoutSeconds * 1000;

    // Submitters.
    let submittedAll = 0;
    const submitting = pool(jobs, CONFIG.concurrency, async (job) => {
      if (failure) return;
      const doc = path.join(CONFIG.corpusDir, job.document);
      const spec = (file: string) => ({
        fileName: path.basename(file),
        contentType: CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/pdf',
        size: files.get(file)!.byteLength,
      });
      const submittedAt = Date.now();
      try {
        const created = await timed('POST /drafts', () =>
          drafterOf(job.form.draftingUnit).createDraft({
            form: job.form,
            files: { document: spec(doc), ...(job.interpretation ? { interpretation: spec(job.interpretation) } : {}) },
          }),
        );
        const t: Tracked = { job, id: created.id, submittedAt, createdAt: Date.now(), uploadedAt: 0 };
        tracked.set(created.id, t);
        await Promise.all(
          created.uploads.map((u) => {
            const file = u.part === 'document' ? doc : job.interpretation!;
            return timed('POST upload (S3)', () => uploadFile(u, files.get(file)!, path.basename(file)));
          }),
        );
        t.uploadedAt = Date.now();
      } catch (err) {
        fail(
          `submitting draft #${job.index + 1} (${job.document}) failed: ${err instanceof ApiError ? `${err.message} ${JSON.stringify(err.body.error?.issues ?? [])}` : String(err)}`,
        );
      }
    }).then(() => {
      submittedAll = Date.now();
      progress(`all ${jobs.length} drafts submitted after ${((submittedAll - t0) / 1000).toFixed(1)} s`);
    });

    // Approvers: claim → approve, until everything is terminal.
    let decideConflicts = 0;
    const publishing = new Set<string>();
    const approving = approvers.map(async (client) => {
      let idleMs = CLAIM_IDLE_MS.first;
      while (!done() && Date.now() < deadline) {
        let claim;
        try {
          claim = await timed('POST /tasks/claim', () => client.claim());
        } catch (err) {
          fail(`claim failed: ${String(err)}`);
          return;
        }
        if (!claim.claimToken || !claim.draft) {
          await sleep(idleMs);
          idleMs = Math.min(CLAIM_IDLE_MS.max, idleMs * 2);
          continue;
        }
        idleMs = CLAIM_IDLE_MS.first;
        const id = claim.draft.id;
        try {
          const d = await timed('POST /tasks/{id}/decision', () =>
            client.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve', reason: '压测审批：同意 / bench approval' }),
          );
          // PUBLISHING, then LISTING (its pages written, being entered in the lists): still on its way.
          if (TERMINAL.includes(d.status)) markTerminal(id, d.status);
          else publishing.add(id);
        } catch (err) {
          if (err instanceof ApiError && err.status === 409) {
            decideConflicts++;
            continue;
          }
          fail(`decision on ${id} failed: ${String(err)}`);
          return;
        }
      }
    });

    // Watcher: PUBLISHING → PUBLISHED, and rejections anywhere in the pipeline.
    let lastReport = Date.now();
    const watching = (async () => {
      let round_ = 0;
      while (!done()) {
        if (Date.now() > deadline) {
          fail(`timed out after ${CONFIG.timeoutSeconds} s with ${terminalCount}/${jobs.length} drafts terminal`);
          break;
        }
        // Drafts are read in the order they were approved, stopping at the second still on its
        // way: the site consumer lists them roughly in that order, so each round reads the newly
        // published and one or two more. The wall time comes from the histories, so a later look
        // changes no figure; reading every publishing draft every round made the bench's own GETs
        // (each computing the publication clock) a large share of the CPU it measured.
        try {
          let waiting = 0;
          for (const id of [...publishing]) {
            const d = await timed('GET /drafts/{id}', () => watcher.getDraft(id));
            if (TERMINAL.includes(d.status)) {
              publishing.delete(id);
              markTerminal(id, d.status);
            } else if (++waiting >= 2) break;
          }
        } catch (err) {
          fail(`watching published drafts failed: ${String(err)}`);
        }
        if (round_++ % 4 === 0) {
          const rejected = await listByStatus('REJECTED', { limit: 50 }).catch(() => []);
          for (const d of rejected) markTerminal(d.id, 'REJECTED');
        }
        if (Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          progress(`${tracked.size}/${jobs.length} submitted, ${terminalCount}/${jobs.length} terminal`);
        }
        await sleep(250);
      }
    })();

    await Promise.all([submitting, watching, ...approving]);
    const seenMs = Math.max(...[...tracked.values()].map((t) => t.terminalSeenAt ?? Date.now())) - t0;
    const cpu1 = { main: process.cpuUsage(cpu0.main), emulators: await s.emulators.cpuUsage(), children: await childrenCpuMs() };
    requests.stop();
    loop.disable();
    rss.stop();
    sampling = false;
    await sampleQueues;
    if (failure) {
      // Where did the others get to?
      const views = await pool([...tracked.keys()], 8, (id) => watcher.getDraft(id).catch(() => undefined));
      const byStatus: Record<string, number> = {};
      for (const v of views) if (v) byStatus[v.status] = (byStatus[v.status] ?? 0) + 1;
      throw new BenchFailure(`${(failure as BenchFailure).message}; drafts by status: ${JSON.stringify(byStatus)}`);
    }
    progress(`all ${jobs.length} drafts seen terminal after ${(seenMs / 1000).toFixed(1)} s; reading histories`);

    // Histories → stage latencies (server clock = this process' clock).
    const views = new Map<string, DraftView>();
    await pool([...tracked.keys()], 8, async (id) => views.set(id, await watcher.getDraft(id)));
    const at = (v: DraftView, event: string) => {
      const e = v.history.find((h) => h.event === event);
      return e ? Date.parse(e.at) : undefined;
    };
    const span = (from: (t: Tracked, v: DraftView) => number | undefined, to: (t: Tracked, v: DraftView) => number | undefined, filter?: (t: Tracked) => boolean) => {
      const xs: number[] = [];
      for (const t of tracked.values()) {
        if (filter && !filter(t)) continue;
        const v = views.get(t.id)!;
        const a = from(t, v);
        const b = to(t, v);
        if (a !== undefined && b !== undefined) xs.push(b - a);
      }
      return stats(xs);
    };
    const ev = (name: string) => (_: Tracked, v: DraftView) => at(v, name);
    const decidedAt = (_: Tracked, v: DraftView) => at(v, 'APPROVED') ?? at(v, 'APPROVED_FILED');
    const terminalAt = (_: Tracked, v: DraftView) => at(v, 'PUBLISHED') ?? at(v, 'APPROVED_FILED');
    const stages: E2EResult['stages'] = [
      {
        stage: 'upload',
        from: 'SUBMITTED',
        to: 'UPLOADED',
        note: 'client upload + S3 event + extract queue wait (UPLOADED is written when extraction starts)',
        ms: span(ev('SUBMITTED'), ev('UPLOADED')),
      },
      {
        stage: '↳ client upload',
        from: 'SUBMITTED',
        to: 'upload done (client)',
        note: 'POST /drafts answered + presigned POSTs answered',
        ms: span(ev('SUBMITTED'), (t) => t.uploadedAt),
      },
      {
        stage: '↳ extract queue wait',
        from: 'upload done (client)',
        to: 'UPLOADED',
        note: 'S3 event → bridge → extract queue → poller picks it up',
        ms: span((t) => t.uploadedAt, ev('UPLOADED')),
      },
      { stage: 'extract', from: 'UPLOADED', to: 'EXTRACTED', note: 'extraction + text writes (queue wait is in the row above)', ms: span(ev('UPLOADED'), ev('EXTRACTED')) },
      { stage: 'check', from: 'EXTRACTED', to: 'CHECKED', note: 'check queue wait + rulebook', ms: span(ev('EXTRACTED'), ev('CHECKED')) },
      {
        stage: 'approval wait',
        from: 'CHECKED',
        to: 'APPROVED',
        note: 'approval queue wait + claim + decision (bench approvers decide at once)',
        ms: span(ev('CHECKED'), decidedAt),
      },
      { stage: '↳ until claimed', from: 'CHECKED', to: 'CLAIMED', note: '', ms: span(ev('CHECKED'), ev('CLAIMED')) },
      { stage: '↳ claim → decision', from: 'CLAIMED', to: 'APPROVED', note: '', ms: span(ev('CLAIMED'), decidedAt) },
      {
        stage: 'publish',
        from: 'APPROVED',
        to: 'PUBLISHED',
        note: 'publish queue wait + own pages + the site consumer (lists, index pages, search): PUBLISHED means on every page (主动公开 only)',
        ms: span(ev('APPROVED'), ev('PUBLISHED')),
      },
      { stage: 'end to end', from: 'SUBMITTED', to: 'PUBLISHED/FILED', note: '', ms: span(ev('SUBMITTED'), terminalAt) },
    ];
    // Wall time: first submission → the last terminal transition in any history.
    const wallMs = Math.max(...[...tracked.values()].map((t) => terminalAt(t, views.get(t.id)!) ?? t.terminalSeenAt ?? Date.now())) - t0;
    const docFiles = [...new Set(jobs.map((j) => j.document))].sort();
    const extractByFile = docFiles.map((file) => ({
      file: file + (jobs.some((j) => j.document === file && j.interpretation) ? ' (some with interpretation)' : ''),
      ms: span(ev('UPLOADED'), ev('EXTRACTED'), (t) => t.job.document === file),
    }));

    const fns = [...new Set(batches.map((b) => b.fn))].sort();
    const handlers = fns.map((fn) => {
      const bs = batches.filter((b) => b.fn === fn);
      const busy = bs.reduce((a, b) => a + b.ms, 0);
      const records = bs.reduce((a, b) => a + b.records, 0);
      return {
        fn,
        batches: bs.length,
        records,
        failed: bs.reduce((a, b) => a + b.failed, 0),
        busySeconds: round(busy / 1000),
        busyShare: round(busy / wallMs, 2),
        perBatchMs: stats(bs.map((b) => b.ms)),
        perRecordMs: stats(bs.map((b) => b.ms / b.records)),
        recordsPerBatch: round(records / Math.max(1, bs.length), 2),
      };
    });

    const queues = queueNames.map((q) => ({
      queue: q,
      maxDepth: Math.max(0, ...queueSamples.map((x) => x.depths[q]?.[0] ?? 0)),
      maxInFlight: Math.max(0, ...queueSamples.map((x) => x.depths[q]?.[1] ?? 0)),
    }));

    // The catalogue (主动公开基本目录: its index and every archive page) should list every published document.
    const published = [...views.values()].filter((v) => v.status === 'PUBLISHED');
    await s.settle(60_000);
    const catalogue = `${s.siteUrl}/columns/catalogue/`;
    const index = await fetch(`${catalogue}index.html`).then((r) => r.text());
    const pages = [...new Set([...index.matchAll(/href="(page-\d+\.html)"/g)].map((m) => m[1]!))];
    const listed = [index, ...(await Promise.all(pages.map((p) => fetch(`${catalogue}${p}`).then((r) => r.text()))))].join('\n');
    const homeListed = published.filter((v) => listed.includes(`documents/${v.id}.html`)).length;

    const outcome: Record<string, number> = {};
    for (const v of views.values()) outcome[v.status] = (outcome[v.status] ?? 0) + 1;
    const mix = { plain: 0, policy: 0, 'on-application': 0, large: 0 } as Record<Kind, number>;
    for (const j of jobs) mix[j.kind]++;
    const ns = (x: number) => round(x / 1e6);
    const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    const mainCpu = cpuMs(cpu1.main) / jobs.length;
    const emulatorCpu = cpu0.emulators && cpu1.emulators ? (cpuMs(cpu1.emulators) - cpuMs(cpu0.emulators)) / jobs.length : null;
    const childCpu = cpu0.children !== undefined && cpu1.children !== undefined ? (cpu1.children - cpu0.children) / jobs.length : null;
    const requestRows = requests.rows();
    const perDraft = (service: string, keep: (op: string, fn: string) => boolean) =>
      round(requestRows.filter(([sv, op, fn]) => sv === service && keep(op, fn)).reduce((a, r) => a + r[3], 0) / jobs.length, 1);
    const inHandlers = (op: string, fn: string) => fn !== 'runner' && !POLLING.has(op);
    const byFunction = Object.fromEntries(
      [...new Set(requestRows.map((r) => r[2]).filter((fn) => fn !== 'runner'))]
        .sort()
        .map((fn) => [fn, { s3: perDraft('s3', (_, f) => f === fn), dynamodb: perDraft('dynamodb', (_, f) => f === fn), sqs: perDraft('sqs', (_, f) => f === fn) }]),
    );
    const e2eCounters = {
      emulators: s.emulators.pid === process.pid ? 'in-process' : 'child process',
      pollerConcurrency: POLLER_CONCURRENCY,
      queueConcurrency: QUEUE_CONCURRENCY,
      warm: WARM,
      cpuMsPerDraft: {
        main: round(mainCpu),
        emulators: emulatorCpu === null ? null : round(emulatorCpu),
        children: childCpu === null ? null : round(childCpu),
        total: round(mainCpu + (emulatorCpu ?? 0) + (childCpu ?? 0)),
      },
      requestsPerDraft: {
        pipeline: {
          s3: perDraft('s3', (op, fn) => inHandlers(op, fn) && PIPELINE.has(fn)),
          dynamodb: perDraft('dynamodb', (op, fn) => inHandlers(op, fn) && PIPELINE.has(fn)),
          sqs: perDraft('sqs', (op, fn) => inHandlers(op, fn) && PIPELINE.has(fn)),
        },
        s3: perDraft('s3', inHandlers),
        dynamodb: perDraft('dynamodb', inHandlers),
        sqs: perDraft('sqs', inHandlers),
        sqsPolling: perDraft('sqs', (op) => POLLING.has(op)),
        byFunction,
      },
      requests: requestRows,
      connections: Object.fromEntries(
        Object.entries(requests.connections()).map(([service, opened]) => [
          service,
          { opened, requestsPerConnection: round(requestRows.filter(([sv]) => sv === service).reduce((a, r) => a + r[3], 0) / Math.max(1, opened)) },
        ]),
      ),
    };
    progress(
      `emulators ${e2eCounters.emulators}; CPU ms per draft: main ${e2eCounters.cpuMsPerDraft.main}, emulators ${e2eCounters.cpuMsPerDraft.emulators ?? '(in main)'}, child processes ${e2eCounters.cpuMsPerDraft.children ?? '–'}; ` +
        `requests per draft by handlers: S3 ${e2eCounters.requestsPerDraft.s3}, DynamoDB ${e2eCounters.requestsPerDraft.dynamodb}, SQS ${e2eCounters.requestsPerDraft.sqs} (+ ${e2eCounters.requestsPerDraft.sqsPolling} polling); ` +
        `by the queue consumers alone: S3 ${e2eCounters.requestsPerDraft.pipeline.s3}, DynamoDB ${e2eCounters.requestsPerDraft.pipeline.dynamodb}, SQS ${e2eCounters.requestsPerDraft.pipeline.sqs}; ` +
        `TCP connections opened: ${Object.entries(e2eCounters.connections)
          .map(([sv, c]) => `${sv} ${c.opened} (${c.requestsPerConnection} requests each)`)
          .join(', ')}`,
    );

    return {
      ...e2eCounters,
      drafts: jobs.length,
      concurrency: CONFIG.concurrency,
      approvers: approvers.length,
      mix,
      wallSeconds: round(wallMs / 1000, 2),
      submitSeconds: round((submittedAll - t0) / 1000, 2),
      draftsPerMinute: round(jobs.length / (wallMs / 60_000)),
      outcome,
      stages,
      extractByFile,
      handlers,
      api: [...api.entries()].map(([call, e]) => ({ call, ms: stats(e.ms), errors: e.errors })),
      queues,
      queueSamples: queueSamples.map((x) => ({ ...x, t: round((x.t - t0) / 1000, 1) })),
      batchLog: batches.map((b) => [b.fn, b.records, b.failed, b.ms, round((b.at - t0) / 1000, 2)]),
      eventLoopDelayMs: { p50: ns(loop.percentile(50)), p99: ns(loop.percentile(99)), max: ns(loop.max), mean: ns(loop.mean) },
      memory: { startRssMB: mb(startRss), peakRssMB: mb(rss.peak), endRssMB: mb(process.memoryUsage.rss()) },
      site: { homeListed, published: published.length },
      decideConflicts,
      logLines: Object.fromEntries(logs.counts),
    };
  } finally {
    requests?.stop();
    loop.disable();
    rss.stop();
    if (stack) {
      progress('stopping the local stack');
      await stack.stop().catch((err: unknown) => progress(`stopping the stack failed: ${String(err)}`));
    }
    logs.restore();
    if (!CONFIG.keepData) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

// ---------------------------------------------------------------- report

function table(header: string[], rows: (string | number)[][], align?: ('l' | 'r')[]): string {
  const a = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  return [`| ${header.join(' | ')} |`, `| ${a.map((x) => (x === 'l' ? ':--' : '--:')).join(' | ')} |`, ...rows.map((r) => `| ${r.map((c) => String(c)).join(' | ')} |`)].join('\n');
}
const fmt = (s: Stats | null, k: keyof Stats) => (s ? String(s[k]) : '–');
const sec = (s: Stats | null, k: keyof Stats) => (s ? (s[k] / 1000).toFixed(2) : '–');

interface Machine {
  date: string;
  node: string;
  cpuModel: string;
  cores: number;
  memGB: number;
  os: string;
  /** 1-minute load average at the start and at the end of the run (others may share the machine). */
  loadAverage: { start: number; end?: number };
}

function markdown(m: Machine, x: ExtractionBenchResult | null, e: E2EResult | null, totalSeconds: number, error?: string): string {
  const out: string[] = [];
  out.push(`# Gongkai bench — ${m.date}`);
  out.push('');
  out.push(
    `Machine: ${m.cores} × ${m.cpuModel}, ${m.memGB} GB RAM, ${m.os}, node ${m.node}; 1-min load average ${m.loadAverage.start} at start, ${m.loadAverage.end ?? '?'} at end. Whole bench run: ${totalSeconds.toFixed(1)} s.`,
  );
  if (error) out.push('', `**FAILED:** ${error}`);
  if (x) {
    out.push('', '## Extraction: ours vs pdftotext', '');
    out.push(
      `${x.repetitions} timed runs per case after a warm-up, median. ${x.pdftotext.available ? `pdftotext ${x.pdftotext.version ?? ''}` : `pdftotext unavailable: ${x.pdftotext.note}`}. Ours runs in-process (pdf.js / mammoth); pdftotext time includes its process start.`,
      '',
    );
    out.push(
      table(
        ['case', 'pages', 'KB', 'ours ms', 'ours first ms', 'pdftotext ms', 'ours / pdftotext', 'same text', 'MuPDF ms', 'MuPDF / pdftotext'],
        [
          ...x.cases.map((c) => [
            c.name,
            c.pages,
            Math.round(c.bytes / 1024),
            c.oursMs,
            c.oursFirstMs,
            c.pdftotextMs ?? 'n/a',
            c.ratio === null ? 'n/a' : `${c.ratio}×`,
            c.sameText === null ? 'n/a' : c.sameText ? 'yes' : 'NO',
            c.mupdfMs ?? 'n/a',
            c.mupdfRatio === null ? 'n/a' : `${c.mupdfRatio}×`,
          ]),
          [x.docx.name, '–', Math.round(x.docx.bytes / 1024), x.docx.ms, x.docx.firstMs, '–', '–', '–', '–', '–'],
        ],
      ),
    );
    out.push('', `RSS during extraction: baseline ${x.memory.baselineRssMB} MB, peak sampled ${x.memory.peakRssMB} MB.`);
    out.push(
      '',
      `1-min load average during extraction: ${x.loadAverage.start} at start, ${x.loadAverage.end} at end. Array.prototype.push native after every extraction: ${x.nativePush ? 'yes' : 'NO'}. ${x.mupdf.available ? `MuPDF ${x.mupdf.version ?? ''}: WASM build in this process (AGPL-3.0, bench only, never bundled).` : (x.mupdf.note ?? '')}`,
    );
  }
  if (e) {
    out.push('', '## End to end: throughput', '');
    out.push(
      `Fresh local stack (dynalite, s3rver, fauxqs in their own process unless GONGKAI_EMULATORS=in-process; pollers, API, bench clients in this one), schedules off. Mix: ${e.mix.plain} 主动公开 non-policy (pdf/ + docx/ rotating), ${e.mix.policy} policy + interpretation, ${e.mix['on-application']} 依申请公开${e.mix.large ? `, ${e.mix.large} × large_199p.pdf` : ''}. ${e.warm ? `Warm: the API functions the bench calls loaded and ${EXTRACT_POOL_SIZE} extraction workers started before the first submission (BENCH_WARM=0: cold).` : 'Cold: nothing loaded or started before the first submission (BENCH_WARM=0).'}`,
      '',
    );
    out.push(
      table(
        ['metric', 'value'],
        [
          ['drafts', e.drafts],
          ['submitters in flight / approvers', `${e.concurrency} / ${e.approvers}`],
          [
            'outcome',
            Object.entries(e.outcome)
              .map(([k, v]) => `${k} ${v}`)
              .join(', '),
          ],
          ['wall time (first submit → last terminal)', `${e.wallSeconds} s`],
          ['submission phase (all POST /drafts + uploads)', `${e.submitSeconds} s`],
          ['throughput', `${e.draftsPerMinute} drafts/min`],
          ['event-loop delay p50 / p99 / max', `${e.eventLoopDelayMs.p50} / ${e.eventLoopDelayMs.p99} / ${e.eventLoopDelayMs.max} ms`],
          [
            'emulators / poller concurrency',
            `${e.emulators} / ${e.pollerConcurrency}${Object.entries(e.queueConcurrency)
              .map(([q, n]) => `, ${q} ${n}`)
              .join('')}`,
          ],
          [
            'CPU per draft: main process (handlers, extraction workers, API, pollers, bench) / emulators / pagefind builds',
            `${e.cpuMsPerDraft.main} / ${e.cpuMsPerDraft.emulators ?? 'in main'} / ${e.cpuMsPerDraft.children ?? '–'} ms`,
          ],
          [
            'requests per draft by handlers: S3 / DynamoDB / SQS (+ polling)',
            `${e.requestsPerDraft.s3} / ${e.requestsPerDraft.dynamodb} / ${e.requestsPerDraft.sqs} (+ ${e.requestsPerDraft.sqsPolling})`,
          ],
          [
            '… of which the queue consumers (no API calls): S3 / DynamoDB / SQS',
            `${e.requestsPerDraft.pipeline.s3} / ${e.requestsPerDraft.pipeline.dynamodb} / ${e.requestsPerDraft.pipeline.sqs}`,
          ],
          [
            'TCP connections opened to the emulators (requests per connection)',
            Object.entries(e.connections)
              .map(([sv, c]) => `${sv} ${c.opened} (${c.requestsPerConnection})`)
              .join(', '),
          ],
          ['RSS at first submit / peak / end (e2e phase)', `${e.memory.startRssMB} / ${e.memory.peakRssMB} / ${e.memory.endRssMB} MB`],
          ['catalogue lists published', `${e.site.homeListed} of ${e.site.published}`],
          ['409 conflicts on decision', e.decideConflicts],
        ],
        ['l', 'l'],
      ),
    );
    out.push('', '## End to end: stage latency (from draft history, seconds)', '');
    out.push(
      table(
        ['stage', 'from → to', 'n', 'p50 s', 'p95 s', 'max s', 'includes'],
        e.stages.map((s) => [s.stage, `${s.from} → ${s.to}`, fmt(s.ms, 'n'), sec(s.ms, 'p50'), sec(s.ms, 'p95'), sec(s.ms, 'max'), s.note]),
        ['l', 'l', 'r', 'r', 'r', 'r', 'l'],
      ),
    );
    out.push('', 'Extract stage (UPLOADED → EXTRACTED) by document, ms:', '');
    out.push(
      table(
        ['document', 'n', 'p50', 'p95', 'max'],
        e.extractByFile.map((f) => [f.file, fmt(f.ms, 'n'), fmt(f.ms, 'p50'), fmt(f.ms, 'p95'), fmt(f.ms, 'max')]),
      ),
    );
    out.push('', '## Handler time per SQS batch (poller onBatch)', '');
    out.push(
      table(
        [
          'function',
          'batches',
          'records',
          'failed',
          'records/batch',
          'batch p50 ms',
          'batch p95 ms',
          'batch max ms',
          'per record p50 ms',
          'per record p95 ms',
          'busy s',
          'busy / wall',
        ],
        e.handlers.map((h) => [
          h.fn,
          h.batches,
          h.records,
          h.failed,
          h.recordsPerBatch,
          fmt(h.perBatchMs, 'p50'),
          fmt(h.perBatchMs, 'p95'),
          fmt(h.perBatchMs, 'max'),
          fmt(h.perRecordMs, 'p50'),
          fmt(h.perRecordMs, 'p95'),
          h.busySeconds,
          h.busyShare,
        ]),
      ),
    );
    out.push('', 'Per record = batch time / records in the batch (records of a batch run concurrently).', '');
    out.push('## Client-side API latency (ms)', '');
    out.push(
      table(
        ['call', 'n', 'p50', 'p95', 'max', 'errors'],
        e.api.map((a) => [a.call, fmt(a.ms, 'n'), fmt(a.ms, 'p50'), fmt(a.ms, 'p95'), fmt(a.ms, 'max'), a.errors]),
      ),
    );
    out.push('', '## Queues (sampled every second)', '');
    out.push(
      table(
        ['queue', 'max waiting', 'max in flight'],
        e.queues.map((q) => [q.queue, q.maxDepth, q.maxInFlight]),
      ),
    );
    const logEntries = Object.entries(e.logLines);
    if (logEntries.length) {
      out.push('', '## Pipeline warnings / errors logged', '');
      out.push(
        table(
          ['line', 'count'],
          logEntries.map(([k, v]) => [k.replace(/\|/g, '\\|'), v]),
          ['l', 'r'],
        ),
      );
    }
  }
  out.push('');
  return out.join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const started = Date.now();
  const machine: Machine = {
    date: new Date().toISOString(),
    node: process.version,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memGB: round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    loadAverage: { start: round(os.loadavg()[0] ?? 0, 2) },
  };
  let extraction: ExtractionBenchResult | null = null;
  let e2e: E2EResult | null = null;
  let site: SiteBenchRow[] | null = null;
  let searchCycle: SearchCycleRow | null = null;
  let ocr: OcrBenchResult | null = null;
  let platform: PlatformBenchRow[] | null = null;
  let tasks: TaskBenchRow[] | null = null;
  let applications: ApplicationsBenchRow[] | null = null;
  let coldStart: ColdStartRow[] | null = null;
  let search: SearchBenchRow[] | null = null;
  let searchBrowser: BrowserSearchRow[] | null = null;
  let error: string | undefined;
  let extractionSeconds: number | undefined;
  try {
    if (!CONFIG.skipExtract) {
      progress(`extraction bench on ${CONFIG.corpusDir} (${CONFIG.extractRepetitions} runs per case)`);
      const tx = Date.now();
      extraction = await benchExtraction(CONFIG.corpusDir, { repetitions: CONFIG.extractRepetitions });
      extractionSeconds = round((Date.now() - tx) / 1000);
      progress(`extraction bench done in ${extractionSeconds} s`);
    }
    e2e = await runEndToEnd();
    if (process.env.BENCH_SKIP_SITE !== '1') {
      site = await benchSitePublishing(progress);
      searchCycle = await benchSearchCycle(progress);
    }
    if (process.env.BENCH_SKIP_PLATFORM !== '1') platform = await benchPlatformPublishing(progress);
    if (process.env.BENCH_SKIP_TASKS !== '1') tasks = await benchTaskClaims(progress);
    if (process.env.BENCH_SKIP_APPLICATIONS !== '1') applications = await benchApplicationDeadlines(progress);
    if (process.env.BENCH_SKIP_SEARCH !== '1') search = await benchSearchShards(progress);
    if (process.env.BENCH_SKIP_SEARCH !== '1') searchBrowser = await benchBrowserShards(progress);
    if (process.env.BENCH_SKIP_COLD !== '1') {
      progress('cold-start bench: bundling and importing every function');
      coldStart = await benchColdStart();
    }
    if (process.env.BENCH_SKIP_OCR !== '1') {
      progress('OCR bench: ours against tesseract (chi_sim), one process per page and engine');
      ocr = await benchOcr(CONFIG.corpusDir);
    }
  } catch (err) {
    error = err instanceof BenchFailure ? err.message : err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
  }
  const totalSeconds = (Date.now() - started) / 1000;
  machine.loadAverage.end = round(os.loadavg()[0] ?? 0, 2);
  const md =
    markdown(machine, extraction, e2e, totalSeconds, error) +
    (site ? `\n${siteMarkdown(site, searchCycle)}` : '') +
    (platform ? `\n${platformMarkdown(platform)}` : '') +
    (tasks ? `\n${tasksMarkdown(tasks)}` : '') +
    (applications ? `\n${applicationsMarkdown(applications)}` : '') +
    (search ? `\n${searchMarkdown(search)}` : '') +
    (searchBrowser ? `\n${browserSearchMarkdown(searchBrowser)}` : '') +
    (coldStart ? `\n## Cold start (bundle import time)\n\n${coldStartMarkdown(coldStart)}\n` : '') +
    (ocr ? `\n## OCR: ours against tesseract (chi_sim)\n\n${ocrMarkdown(ocr)}\n` : '');
  const result = {
    ok: error === undefined,
    ...(error ? { error } : {}),
    machine,
    config: { ...CONFIG, corpusDir: CONFIG.corpusDir },
    totalSeconds: round(totalSeconds),
    extractionSeconds,
    maxRssMB: round(process.resourceUsage().maxRSS / 1024),
    extraction,
    e2e,
    site,
    searchCycle,
    platform,
    tasks,
    applications,
    search,
    searchBrowser,
    coldStart,
    ocr,
  };
  await mkdir(CONFIG.outDir, { recursive: true });
  await writeFile(path.join(CONFIG.outDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(path.join(CONFIG.outDir, 'latest.md'), `${md}\nProcess max RSS (whole run, OS high-water mark): ${result.maxRssMB} MB.\n`);
  console.log(md);
  console.log(`Process max RSS (whole run, OS high-water mark): ${result.maxRssMB} MB.`);
  progress(`results: ${path.join(CONFIG.outDir, 'latest.json')}, latest.md`);
  if (error) {
    console.error(`\nbench FAILED: ${error}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('bench crashed:', err);
    process.exit(1);
  },
);

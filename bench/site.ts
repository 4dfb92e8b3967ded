/**
 * Incremental publishing (issue 17.2): does publishing one document cost the same in a site of
 * 100 documents as in one of 30,000? For each size, a fresh local stack is seeded directly (list
 * entries and counters, one in ten a 行政规范性文件, a year of annual-report events — one per
 * document —, the search shards' states and pointer, the validity cursor) in the shapes the site
 * consumer leaves, with the target body-year's open search part built for real at the same fill
 * at both sizes (BENCH_SITE_FILL, default 50: a part's cost follows its fill, 0–200 over its
 * cycle, never the platform). Then K more documents are published one at a time through the real
 * stages: publish-document's `publishDraft` (own pages, original file, search entries) and
 * render-site on its queue (lists, index pages, search shard, status). Reported per publication,
 * side by side: wall time, S3 requests (GET/HEAD, PUT, LIST, DELETE), objects and bytes written,
 * DynamoDB requests (counted by SDK middleware); and the five-minute refresh after them. A
 * separate run fills one search part from 0 to SHARD_LIMIT documents, one publication at a time,
 * for the search's S3 writes averaged over a cycle.
 *
 * Every object written is logged by key and size; the results list, kind by kind (ids, page
 * numbers, domains, categories and content hashes generalised), what a publication writes at the first and the last
 * size side by side, and from the middle size to the last (BENCH_SITE_OBJECTS=1 also prints each
 * object as it is written).
 *
 * `npm run bench:site` alone, or as part of `npm run bench`. Environment:
 * BENCH_SITE_SIZES (default "100,3000,30000": 3,000 is past the first page of every list a
 * publication touches, 100 is not), BENCH_SITE_PUBLISH (K, default 5), BENCH_SITE_FILL,
 * BENCH_SITE_CYCLE (documents of the cycle run, default SHARD_LIMIT; 0 skips it). Run alone,
 * BENCH_SKIP_SIZES=1 / BENCH_SKIP_PLATFORM=1 skip a part and keep its results of the last run
 * that measured it in site.{json,md} (with that run's date).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { publishDraft } from '#functions/publish-document';
import { processSiteBatch } from '#functions/render-site';
import { ITEM } from '#shared/aws/table';
import { today } from '#shared/clock';
import { entryOf, listsOf, pageOf } from '#shared/domain/lists';
import { dynamo, s3 } from '#shared/aws/clients';
import { writeObject } from '#shared/blobs';
import type { Draft } from '#shared/domain/draft';
import { PILOT_DOMAINS, type DeclarationForm } from '#shared/domain/form';
import { env } from '#shared/env';
import { allocateIndexNumber, enterDocument, summarise } from '#shared/site/catalogue';
import { siteConfig } from '#shared/site/config';
import { SEARCH_POINTER_KEY, SHARD_LIMIT, saveSearchEntries, updateSearchIndex, type PointerShard } from '#shared/site/search';
import { createDraft } from '#shared/store';
import { createBody } from '#shared/bodies';
import { startLocalStack, type LocalStack } from '#infra/local/stack';

export interface SiteBenchRow {
  readonly size: number;
  readonly seedSeconds: number;
  readonly publications: number;
  /** Normative documents and report events in the seeded site. */
  readonly normative: number;
  readonly events: number;
  /** Documents in the open search part the publications go to, before them. */
  readonly fill: number;
  /** Medians per publication. */
  readonly ms: number;
  readonly s3Writes: number;
  readonly s3Requests: number;
  readonly bytesWritten: number;
  readonly dynamoRequests: number;
  readonly s3Gets: number;
  readonly s3Lists: number;
  readonly s3Deletes: number;
  /** S3 objects written under search/ (both buckets): the part of s3Writes the cycle run averages. */
  readonly searchWrites: number;
  /** A refresh after the publications (the five-minute schedule's run): the median of 3 by time. */
  readonly refresh: Sample;
  /** Every object the publications wrote, by key with ids and page numbers generalised: mean bytes and count per publication. */
  readonly objects?: readonly WrittenObject[];
  readonly load: string;
}

/** One kind of object a publication writes: its key generalised (generalKey). */
export interface WrittenObject {
  readonly key: string;
  /** Objects of this kind written per publication, and their bytes (means over the publications). */
  readonly count: number;
  readonly bytes: number;
  /** The first key written of this kind, as written (to see which page number it was). */
  readonly example: string;
}

/** The search's S3 traffic per publication while one part fills from empty to SHARD_LIMIT. */
export interface SearchCycleRow {
  readonly documents: number;
  /** Means per publication over the cycle. */
  readonly writes: number;
  readonly deletes: number;
  readonly bytesWritten: number;
  readonly ms: number;
  /** The most written by one publication. */
  readonly maxWrites: number;
  readonly load: string;
}

const SENTENCES = [
  '为深入贯彻落实《中华人民共和国政府信息公开条例》，推进基层政务公开标准化规范化建设，结合本县实际，制定本方案。',
  '各乡镇人民政府、县政府各部门要高度重视，明确责任分工，细化工作措施，确保各项任务落到实处。',
  '围绕群众关切，及时准确发布权威信息，做好政策解读和回应关切，提升政务公开质量和实效。',
  '建立健全工作台账，实行清单化管理，每季度末将工作进展情况报送县政务公开办公室。',
  '本方案自印发之日起施行，由县人民政府办公室负责解释。',
];

const text = (i: number) => Array.from({ length: 12 }, (_, k) => SENTENCES[(i + k) % SENTENCES.length]).join('\n') + `\n编号 ${i}。`;

function form(i: number, fixedYear?: number): DeclarationForm {
  const year = fixedYear ?? 2019 + (i % 8);
  return {
    title: `示例县人民政府关于第 ${i} 项重点工作的通知`,
    draftingUnit: '示例县人民政府办公室',
    documentNumber: `示政办发〔${year}〕${(i % 300) + 1}号`,
    documentType: i % 10 === 0 ? '行政规范性文件' : '通知',
    documentDate: `${year}-0${(i % 9) + 1}-1${i % 10}`,
    isPolicy: false,
    attribute: '主动公开',
    domain: PILOT_DOMAINS[i % PILOT_DOMAINS.length]!,
    interpretation: { mode: 'not-needed', reason: '工作安排，无需解读' },
    contact: { name: '王敏', phone: '0571-00000000' },
    ...(i % 10 === 0 ? { validity: { years: 5 } } : {}),
  } as DeclarationForm;
}

function draftOf(id: string, i: number, status: Draft['status'], textKey: string, body?: BenchBody, year?: number): Draft {
  const at = new Date().toISOString();
  const actor = { sub: 'bench', name: '基准测试', role: 'approver' };
  return {
    id,
    version: 1,
    revision: 1,
    status,
    form: body ? { ...form(i, year), draftingUnit: body.unit } : form(i, year),
    ...(body && body.id !== siteConfig.bodyId ? { body: body.id } : {}),
    submitter: { sub: 'bench-drafter', name: '起草人', role: 'drafter' },
    files: { document: { key: `uploads/${id}/r1/document`, fileName: 'doc.txt', contentType: 'text/plain', maxBytes: 1 << 20, kind: 'text', textKey, size: 2048 } },
    findings: [],
    decision: { outcome: 'approve', by: actor, at },
    history: [],
    createdAt: at,
    updatedAt: at,
    stageEnteredAt: at,
  };
}

type Counts = {
  s3Writes: number;
  s3Requests: number;
  bytesWritten: number;
  dynamoRequests: number;
  s3Gets: number;
  s3Lists: number;
  s3Deletes: number;
  searchWrites: number;
};
const zero = (): Counts => ({ s3Writes: 0, s3Requests: 0, bytesWritten: 0, dynamoRequests: 0, s3Gets: 0, s3Lists: 0, s3Deletes: 0, searchWrites: 0 });
let counting: Counts = zero();
/** The objects PUT since the last reset: bucket-less key and bytes. */
let putLog: { key: string; bytes: number }[] = [];
const counted = new WeakSet<object>();

/** Counts every request the SDK clients send, by kind (installed once per client: a new stack makes new clients). */
function countRequests(): { reset(): void; snapshot(): Counts } {
  if (!counted.has(s3())) {
    counted.add(s3());
    s3().middlewareStack.add(
      (next, context) => async (args) => {
        const c = counting;
        c.s3Requests++;
        const input = args.input as { Body?: unknown; Key?: string; Delete?: { Objects?: unknown[] } };
        switch (context.commandName) {
          case 'PutObjectCommand': {
            c.s3Writes++;
            if (input.Key?.startsWith('search/')) c.searchWrites++;
            const body = input.Body;
            const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.byteLength : 0;
            c.bytesWritten += bytes;
            if (c === counting) putLog.push({ key: input.Key ?? '', bytes });
            break;
          }
          case 'GetObjectCommand':
          case 'HeadObjectCommand':
            c.s3Gets++;
            break;
          case 'ListObjectsV2Command':
            c.s3Lists++;
            break;
          case 'DeleteObjectCommand':
            c.s3Deletes++;
            break;
          case 'DeleteObjectsCommand':
            c.s3Deletes += input.Delete?.Objects?.length ?? 0;
            break;
        }
        return next(args);
      },
      { step: 'initialize', name: 'benchCounter' },
    );
    dynamo().middlewareStack.add(
      (next) => async (args) => {
        counting.dynamoRequests++;
        return next(args);
      },
      // One count per HTTP request (the document client wraps the low-level client).
      { step: 'finalizeRequest', name: 'benchCounter' },
    );
  }
  return {
    reset() {
      counting = zero();
      putLog = [];
    },
    snapshot: () => ({ ...counting }),
  };
}

/** A key with what varies between publications and sizes generalised: ids, page numbers, domain and category, search part and folder numbers, pagefind's content hashes. */
export const generalKey = (key: string): string =>
  key
    .replace(/[0-9A-HJKMNP-TV-Z]{26}/g, '<id>')
    .replace(/page-\d+/g, 'page-<k>')
    // The domain and category a publication lands in depend on its number, not on the site's size.
    .replace(/\/(domain|category)-\d+\//g, '/$1-<n>/')
    .replace(/\/g\d+\//g, '/g<n>/')
    .replace(/(\/\d{4}\/)\d+(\.json|\/)/g, '$1<part>$2')
    .replace(/([_.-])[0-9a-f]{7,}(?=[._])/g, '$1<hash>');

/** The mean per publication of each kind of object written. */
function objectKinds(logs: readonly (readonly { key: string; bytes: number }[])[]): WrittenObject[] {
  const kinds = new Map<string, { count: number; bytes: number; example: string }>();
  for (const log of logs)
    for (const { key, bytes } of log) {
      const k = generalKey(key);
      const kind = kinds.get(k) ?? { count: 0, bytes: 0, example: key };
      kind.count++;
      kind.bytes += bytes;
      kinds.set(k, kind);
    }
  const n = Math.max(1, logs.length);
  return [...kinds]
    .map(([key, v]) => ({ key, count: Math.round((v.count / n) * 10) / 10, bytes: Math.round(v.bytes / n), example: v.example }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** A body of the bench platform: its id, 索引号 code, name and one drafting unit. */
interface BenchBody {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly unit: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Sample = { ms: number } & Counts;
type Medians = Sample;
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/**
 * Seeds `seeds` published documents — entered in their lists and in the search index as the
 * site consumer does, the index compacted into its base so every shape starts from the same
 * state (an empty delta). Answers the seconds it took.
 */
async function seedPublished(seeds: readonly { id: string; i: number; body?: BenchBody }[], progress: (m: string) => void): Promise<number> {
  const t0 = Date.now();
  const textKey = 'bench/text.txt';
  await writeObject('drafts', textKey, text(0), 'text/plain; charset=utf-8');
  let done = 0;
  await pool(seeds, 16, async ({ id, i, body }) => {
    const d = draftOf(id, i, 'PUBLISHED', textKey, body);
    const content = text(i);
    const issuer = body ?? { id: siteConfig.bodyId, code: siteConfig.organizationCode, name: siteConfig.siteName };
    await enterDocument({
      ...d,
      publication: {
        path: `documents/${id}.html`,
        url: '',
        publishedAt: d.createdAt,
        indexNumber: await allocateIndexNumber(d.form.documentDate, issuer),
        ...(body ? { body: { id: body.id, name: body.name } } : {}),
        summary: summarise(content),
      },
    });
    await s3().send(new PutObjectCommand({ Bucket: env.bucket('site'), Key: `documents/${id}.html`, Body: `<p>${i}</p>`, ContentType: 'text/html' }));
    await saveSearchEntries(id, [{ url: `documents/${id}.html`, title: d.form.title, content, meta: {} }]);
    if (++done % 2000 === 0) progress(`  seeded ${done}/${seeds.length}`);
  });
  await updateSearchIndex({ added: seeds.map((x) => x.id), removed: [] });
  return Math.round((Date.now() - t0) / 100) / 10;
}

/**
 * K publications, one at a time, through the real stages: publish-document's `publishDraft`
 * (own pages, original file, search entries), then render-site on its queue's poller, as in
 * AWS (calling it directly would run two consumers at once, which the FIFO queue prevents),
 * until PUBLISHED. Medians per publication of time and of the requests counted by SDK middleware.
 */
async function measurePublications(stack: LocalStack, publications: number, from: number, body?: BenchBody, year?: number): Promise<Medians & { objects: WrittenObject[] }> {
  // A client of its own for watching statuses, so the watching is not counted.
  const watcher = new DynamoDBClient({ region: 'us-east-1', endpoint: stack.endpoints.dynamodb, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const untilPublished = async (id: string) => {
    for (const started = Date.now(); Date.now() - started < 60_000; await new Promise((r) => setTimeout(r, 10))) {
      const res = await watcher.send(
        new GetItemCommand({
          TableName: env.tableName(),
          Key: { pk: { S: `DRAFT#${id}` }, sk: { S: 'DRAFT' } },
          ProjectionExpression: '#s',
          ExpressionAttributeNames: { '#s': 'status' },
        }),
      );
      if (res.Item?.status?.S === 'PUBLISHED') return;
    }
    throw new Error(`draft ${id} was not PUBLISHED within 60 s`);
  };
  try {
    const counter = countRequests();
    const samples: Sample[] = [];
    const logs: { key: string; bytes: number }[][] = [];
    for (let k = 0; k < publications; k++) {
      const id = ulid();
      const key = `bench/${id}.txt`;
      const d = draftOf(id, from + k, 'PUBLISHING', key, body, year);
      await writeObject('drafts', key, text(from + k), 'text/plain; charset=utf-8');
      await writeObject('drafts', d.files.document.key, text(from + k), 'text/plain');
      await createDraft(d);
      counter.reset();
      const started = performance.now();
      await publishDraft(id);
      await untilPublished(id);
      samples.push({ ms: performance.now() - started, ...counter.snapshot() });
      logs.push([...putLog]);
      if (process.env.BENCH_SITE_OBJECTS === '1') for (const o of putLog) console.error(`    [${from}+${k}] ${String(o.bytes).padStart(7)} ${o.key}`);
    }
    const pick = (f: (s: Sample) => number) => median(samples.map(f));
    return {
      ms: Math.round(pick((s) => s.ms)),
      s3Writes: pick((s) => s.s3Writes),
      s3Requests: pick((s) => s.s3Requests),
      bytesWritten: pick((s) => s.bytesWritten),
      dynamoRequests: pick((s) => s.dynamoRequests),
      s3Gets: pick((s) => s.s3Gets),
      s3Lists: pick((s) => s.s3Lists),
      s3Deletes: pick((s) => s.s3Deletes),
      searchWrites: pick((s) => s.searchWrites),
      objects: objectKinds(logs),
    };
  } finally {
    watcher.destroy();
  }
}

/** A fresh local stack in a temporary folder for `work`, stopped and removed after. */
async function withStack<T>(prefix: string, work: (stack: LocalStack) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const stack = await startLocalStack({ dataDir, schedules: false });
  try {
    return await work(stack);
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Writes `items` to the table, 25 a request, 8 requests at a time (what was not processed, again). */
async function batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let at = 0; at < items.length; at += 25) chunks.push(items.slice(at, at + 25));
  await pool(chunks, 8, async (chunk) => {
    let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = { [env.tableName()]: chunk.map((Item) => ({ PutRequest: { Item } })) };
    while (request && Object.keys(request).length) {
      const res = await dynamo().send(new BatchWriteCommand({ RequestItems: request }));
      request = res.UnprocessedItems as typeof request;
    }
  });
}

/** The publications go to the top body's documents of this year (成文日期). */
const TARGET_YEAR = 2026;

/**
 * Seeds a site of `size` published documents of the top body directly, in the shapes the site
 * consumer leaves: every list's entries and counter (one document in ten a 行政规范性文件 with a
 * five-year 有效期), the body's years and 索引号 counters, one annual-report event per document in
 * this year (the 主动公开 count of the report column), the validity cursor (today: the refresh has
 * run), and the search index — every shard's state, the body-years' part counts and the pointer,
 * seeded as objects (a build reads only its own shard), except the open part of the target
 * body-year, whose `fill` documents are built for real through updateSearchIndex.
 */
async function seedDirect(size: number, fill: number, progress: (m: string) => void): Promise<{ seconds: number; normative: number; events: number }> {
  const t0 = Date.now();
  const top = siteConfig.bodyId;
  // The target year holds whole parts and `fill` more; the rest is spread over the earlier years.
  const inTarget = Math.min(size, Math.max(0, Math.floor((size / 8 - fill) / SHARD_LIMIT)) * SHARD_LIMIT + fill);
  const docs = Array.from({ length: size }, (_, i) => ({ id: ulid(), i, year: i < inTarget ? TARGET_YEAR : 2019 + (i % 7) }));
  const items: Record<string, unknown>[] = [];
  const positions = new Map<string, number>();
  const serials = new Map<number, number>();
  let normative = 0;
  const reportYear = today().slice(0, 4);
  for (const { id, i, year } of docs) {
    const d = draftOf(id, i, 'PUBLISHED', 'bench/text.txt', undefined, year);
    if (d.form.documentType === '行政规范性文件') normative++;
    const serial = (serials.get(year) ?? 0) + 1;
    serials.set(year, serial);
    const content = text(i);
    const publication = {
      path: `documents/${id}.html`,
      url: '',
      publishedAt: d.createdAt,
      indexNumber: `${siteConfig.organizationCode}/${year}-${String(serial).padStart(5, '0')}`,
      body: { id: top, name: siteConfig.siteName },
      summary: summarise(content),
    };
    const entry = entryOf({ ...d, publication }, publication.indexNumber, publication.summary);
    for (const list of listsOf(d.form, false, top, top)) {
      const pos = (positions.get(list) ?? 0) + 1;
      positions.set(list, pos);
      items.push({ pk: ITEM.site.list(list), sk: ITEM.site.entry(pageOf(pos), pos), ...entry });
    }
    // A year of the annual report's events: each document's publication, counted once.
    items.push({ ...ITEM.report.fact(reportYear, 'published', id), at: `${reportYear}-01-01T00:00:00.000Z`, v: 2 });
  }
  for (const [list, pos] of positions) items.push({ pk: ITEM.site.list(list), sk: ITEM.site.COUNTER, next: pos, live: pos });
  for (const [year, serial] of serials) items.push({ ...ITEM.site.indexNumberCounter(String(year)), next: serial });
  items.push({ ...ITEM.site.years(), years: new Set([...serials.keys()].map(String)) });
  items.push({ ...ITEM.report.years(), years: new Set([reportYear]) });
  // Their counter, as recordFact leaves it (shared/site/report.ts).
  items.push({ ...ITEM.report.counts(reportYear), published: size, migrated: true });
  items.push({ ...ITEM.validity.cursor, day: today() });
  await batchPut(items);
  progress(`  ${items.length} table items seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // The search: full parts as state objects and pointer entries, the open part of the target year built.
  const byYear = new Map<number, string[]>();
  for (const { id, year } of docs) byYear.set(year, [...(byYear.get(year) ?? []), id]);
  const shards: PointerShard[] = [];
  const open: string[] = [];
  const objects: [string, string][] = [];
  for (const [year, ids] of byYear) {
    const full = year === TARGET_YEAR ? Math.floor((ids.length - fill) / SHARD_LIMIT) : Math.ceil(ids.length / SHARD_LIMIT);
    for (let p = 1; p <= full; p++) {
      const shard = `${top}/${year}/${p}`;
      const folder = `search/s/${shard}/g1/`;
      const part = ids.slice((p - 1) * SHARD_LIMIT, p * SHARD_LIMIT);
      objects.push([`search/shards/${shard}.json`, JSON.stringify({ version: 2, shard, body: top, seq: 1, ids: part, folder, folders: [folder] })]);
      shards.push({ shard, body: top, folder });
    }
    const parts = year === TARGET_YEAR ? full + 1 : full;
    objects.push([`search/shards/${top}/${year}/head.json`, JSON.stringify({ parts })]);
    if (year === TARGET_YEAR) open.push(...ids.slice(full * SHARD_LIMIT));
  }
  await pool(objects, 16, async ([key, body]) => {
    await writeObject('drafts', key, body, 'application/json');
  });
  shards.sort((a, b) => (a.shard < b.shard ? -1 : a.shard > b.shard ? 1 : 0));
  await writeObject('site', SEARCH_POINTER_KEY, JSON.stringify({ version: 2, shards }), 'application/json', { cacheControl: 'no-cache' });
  const docOf = new Map(docs.map((x) => [x.id, x]));
  await pool(open, 16, async (id) => {
    const { i, year } = docOf.get(id)!;
    const d = draftOf(id, i, 'PUBLISHED', 'bench/text.txt', undefined, year);
    await saveSearchEntries(id, [
      {
        url: `documents/${id}.html`,
        title: d.form.title,
        content: text(i),
        meta: { unit: d.form.draftingUnit, date: d.form.documentDate, body: top, bodyName: siteConfig.siteName },
      },
    ]);
  });
  await updateSearchIndex({ added: open, removed: [] });
  return { seconds: Math.round((Date.now() - t0) / 100) / 10, normative, events: size };
}

/** One site of `size` documents of the top body, then K publications into it and one refresh. */
async function benchSize(size: number, publications: number, progress: (m: string) => void): Promise<SiteBenchRow> {
  const fill = Math.min(Number(process.env.BENCH_SITE_FILL ?? 50), SHARD_LIMIT - publications);
  return withStack('gongkai-site-bench-', async (stack) => {
    const seed = await seedDirect(size, fill, progress);
    progress(`  site of ${size} seeded in ${seed.seconds.toFixed(1)} s`);
    // From a multiple of ten: the first publication is a 行政规范性文件.
    const measured = await measurePublications(stack, publications, Math.ceil(size / 10) * 10, undefined, TARGET_YEAR);
    // The five-minute refresh, once the queue is idle (no consumer runs beside it): median of 3.
    const counter = countRequests();
    const runs: Sample[] = [];
    for (let r = 0; r < 3; r++) {
      counter.reset();
      const started = performance.now();
      await processSiteBatch([{ op: 'refresh', cause: 'bench' }]);
      runs.push({ ms: Math.round(performance.now() - started), ...counter.snapshot() });
    }
    const refresh = [...runs].sort((a, b) => a.ms - b.ms)[1]!;
    return { size, seedSeconds: seed.seconds, publications, normative: seed.normative, events: seed.events, fill, ...measured, refresh, load: loadAverage() };
  });
}

/**
 * The search's share over a cycle: one part of the top body filled from empty to `documents`
 * (SHARD_LIMIT: a whole cycle of the open part), one publication at a time — its entries saved
 * as publish-document does, then updateSearchIndex as render-site calls it — counting the S3
 * writes, deletes and bytes of each.
 */
export async function benchSearchCycle(progress: (m: string) => void = console.error): Promise<SearchCycleRow | null> {
  const documents = Number(process.env.BENCH_SITE_CYCLE ?? SHARD_LIMIT);
  if (!documents) return null;
  progress(`search over a cycle: one part filled to ${documents} documents`);
  return withStack('gongkai-site-cycle-', async () => {
    const counter = countRequests();
    const samples: Sample[] = [];
    for (let n = 0; n < documents; n++) {
      const id = ulid();
      const d = draftOf(id, n, 'PUBLISHED', 'bench/text.txt', undefined, TARGET_YEAR);
      counter.reset();
      const started = performance.now();
      await saveSearchEntries(id, [
        { url: `documents/${id}.html`, title: d.form.title, content: text(n), meta: { unit: d.form.draftingUnit, date: d.form.documentDate, body: siteConfig.bodyId } },
      ]);
      // A failed run is retried, as the site queue redelivers its batch (s3rver now and then
      // answers a read of an object being overwritten with an empty body); the retry is counted.
      await updateSearchIndex({ added: [id], removed: [] }).catch((err: unknown) => {
        progress(`  update failed (${(err as Error).message}), retried`);
        return updateSearchIndex({ added: [id], removed: [] });
      });
      samples.push({ ms: performance.now() - started, ...counter.snapshot() });
      if ((n + 1) % 50 === 0) progress(`  ${n + 1}/${documents}`);
    }
    const mean = (f: (s: Sample) => number) => Math.round((samples.reduce((a, s) => a + f(s), 0) / samples.length) * 10) / 10;
    return {
      documents,
      writes: mean((s) => s.s3Writes),
      deletes: mean((s) => s.s3Deletes),
      bytesWritten: mean((s) => s.bytesWritten),
      ms: Math.round(mean((s) => s.ms)),
      maxWrites: Math.max(...samples.map((s) => s.s3Writes)),
      load: loadAverage(),
    };
  });
}

export async function benchSitePublishing(progress: (m: string) => void = console.error): Promise<SiteBenchRow[]> {
  const sizes = (process.env.BENCH_SITE_SIZES ?? '100,3000,30000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  const publications = Number(process.env.BENCH_SITE_PUBLISH ?? 5);
  const rows: SiteBenchRow[] = [];
  for (const size of sizes) {
    progress(`incremental publishing: site of ${size} documents`);
    rows.push(await benchSize(size, publications, progress));
  }
  return rows;
}

/** One shape of the platform bench: bodies × documents each, and which body the new documents go to. */
export interface PlatformBenchRow {
  readonly bodies: number;
  readonly perBody: number;
  /** "top": the platform's top body (its home lists every body); "department": a body below it. */
  readonly target: 'top' | 'department';
  readonly seedSeconds: number;
  readonly publications: number;
  readonly ms: number;
  readonly s3Writes: number;
  readonly s3Requests: number;
  readonly bytesWritten: number;
  readonly dynamoRequests: number;
  readonly objects?: readonly WrittenObject[];
}

const benchGuide = '# 政府信息公开指南\n\n{{name}}的政府信息公开指南。依申请公开请向{{office}}提出，电话 {{phone}}。\n';
const benchSystem = '# 政府信息公开制度\n\n{{name}}建立发文公开属性源头认定、公开审查和年度报告制度。\n';

/**
 * Issue 16.4: publishing into one body of a platform of many bodies costs what publishing into a
 * platform of one body does. A fresh stack per shape: `bodies` bodies (the top body and the
 * others below it, created through the store as the API does), `perBody` published documents in
 * each (entered in their body's lists and in the search index as the site consumer does), then
 * K publications into one body through the real stages, measured as in benchSize.
 */
async function benchPlatform(
  shape: { bodies: number; perBody: number; target: 'top' | 'department' },
  publications: number,
  progress: (m: string) => void,
): Promise<PlatformBenchRow> {
  return withStack('gongkai-platform-bench-', async (stack) => {
    const system = { sub: 'system', name: '系统', role: 'system' };
    const top: BenchBody = { id: siteConfig.bodyId, code: siteConfig.organizationCode, name: siteConfig.siteName, unit: '示例县人民政府办公室' };
    const bodies: BenchBody[] = [top];
    for (let b = 1; b < shape.bodies; b++) {
      const body: BenchBody = { id: `dept-${b}`, code: `BENCH${String(b).padStart(6, '0')}`, name: `示例县第${b}部门`, unit: `示例县第${b}部门办公室` };
      const contact = { office: `${body.name}办公室`, address: '示例县人民路 1 号', phone: '0571-00000000' };
      await createBody(
        { id: body.id, name: body.name, code: body.code, kind: 'department', parent: top.id, units: [body.unit], guide: benchGuide, system: benchSystem, contact },
        system,
        new Date(),
      );
      bodies.push(body);
    }
    const seedSeconds = await seedPublished(
      bodies.flatMap((body) => Array.from({ length: shape.perBody }, (_, i) => ({ id: ulid(), i, body }))),
      progress,
    );
    progress(`  platform of ${shape.bodies} × ${shape.perBody} seeded in ${seedSeconds.toFixed(1)} s`);
    const target = shape.target === 'top' ? top : bodies[bodies.length - 1]!;
    return { ...shape, seedSeconds, publications, ...(await measurePublications(stack, publications, shape.perBody, target)) };
  });
}

/**
 * The shapes side by side in one run: 1 body × N (the reference), B bodies × N into a department,
 * B bodies × N into the top body. BENCH_PLATFORM_BODIES (default 100), BENCH_PLATFORM_DOCS (N,
 * default 100), BENCH_SITE_PUBLISH (K).
 */
export async function benchPlatformPublishing(progress: (m: string) => void = console.error): Promise<PlatformBenchRow[]> {
  const bodies = Number(process.env.BENCH_PLATFORM_BODIES ?? 100);
  const perBody = Number(process.env.BENCH_PLATFORM_DOCS ?? 100);
  const publications = Number(process.env.BENCH_SITE_PUBLISH ?? 5);
  const shapes = [
    { bodies: 1, perBody, target: 'top' as const },
    { bodies, perBody, target: 'department' as const },
    { bodies, perBody, target: 'top' as const },
  ];
  const rows: PlatformBenchRow[] = [];
  for (const shape of shapes) {
    progress(`publishing on a platform of ${shape.bodies} bodies × ${shape.perBody} documents, into the ${shape.target}`);
    rows.push(await benchPlatform(shape, publications, progress));
  }
  return rows;
}

export function platformMarkdown(rows: readonly PlatformBenchRow[]): string {
  const ref = rows[0];
  const ratio = (v: number, r: number | undefined) => (r ? `${(v / r).toFixed(2)}×` : '—');
  return [
    '## Many bodies on one platform (one document into one body of B bodies × N documents)',
    '',
    'Median per publication, measured as above; ratios against the platform of one body (the first row). Issue 16.4 asks ≤ 1.2× on every column.',
    '',
    '| bodies × documents | into | ms | ratio | S3 objects written | ratio | KB written | ratio | S3 requests | DynamoDB requests | ratio | seed s |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.bodies} × ${r.perBody} | ${r.target} | ${r.ms} | ${ratio(r.ms, ref?.ms)} | ${r.s3Writes} | ${ratio(r.s3Writes, ref?.s3Writes)} | ${(r.bytesWritten / 1024).toFixed(1)} | ${ratio(r.bytesWritten, ref?.bytesWritten)} | ${r.s3Requests} | ${r.dynamoRequests} | ${ratio(r.dynamoRequests, ref?.dynamoRequests)} | ${r.seedSeconds} |`,
    ),
    '',
  ].join('\n');
}

/**
 * What each kind of object costs per publication at the first and the last size side by side,
 * the kinds that differ first (by bytes), then the rest summed: where a larger site's
 * publication writes more, object by object.
 */
export function objectsMarkdown(a: SiteBenchRow, b: SiteBenchRow, minBytes = 100): string {
  const A = new Map((a.objects ?? []).map((o) => [o.key, o]));
  const B = new Map((b.objects ?? []).map((o) => [o.key, o]));
  const none = { count: 0, bytes: 0, example: '' };
  const kinds = [...new Set([...A.keys(), ...B.keys()])]
    // Objects the bench itself writes before a publication (its draft's text) are not the publication's.
    .filter((k) => !k.startsWith('bench/') && !k.startsWith('uploads/'))
    .map((key) => ({ key, x: A.get(key) ?? none, y: B.get(key) ?? none }));
  const differ = kinds.filter(({ x, y }) => x.count !== y.count || Math.abs(y.bytes - x.bytes) >= minBytes).sort((p, q) => q.y.bytes - q.x.bytes - (p.y.bytes - p.x.bytes));
  const same = kinds.filter((k) => !differ.includes(k));
  const sum = (ks: typeof kinds, f: (k: (typeof kinds)[number]) => number) => ks.reduce((t, k) => t + f(k), 0);
  const kb = (n: number) => (n / 1024).toFixed(1);
  const row = (label: string, x: number, xb: number, y: number, yb: number, note = '') =>
    `| ${label} | ${Math.round(x * 10) / 10} | ${kb(xb)} | ${Math.round(y * 10) / 10} | ${kb(yb)} | ${yb - xb >= 0 ? '+' : ''}${kb(yb - xb)} | ${note} |`;
  return [
    `### Objects written per publication, by kind: ${a.size} → ${b.size} documents`,
    '',
    `Means over the ${a.publications} publications (ids, page numbers, domains, categories and content hashes generalised; a key as written at ${b.size} beside). Kinds that differ by an object or ≥ ${minBytes} bytes first, by the difference.`,
    '',
    `| object | objects at ${a.size} | KB | objects at ${b.size} | KB | Δ KB | at ${b.size} |`,
    '|---|---:|---:|---:|---:|---:|---|',
    ...differ.map(({ key, x, y }) => row(`\`${key}\``, x.count, x.bytes, y.count, y.bytes, y.example && y.example !== key ? `\`${y.example}\`` : '')),
    row(
      `the ${same.length} other kinds (same at both sizes)`,
      sum(same, (k) => k.x.count),
      sum(same, (k) => k.x.bytes),
      sum(same, (k) => k.y.count),
      sum(same, (k) => k.y.bytes),
    ),
    row(
      '**all**',
      sum(kinds, (k) => k.x.count),
      sum(kinds, (k) => k.x.bytes),
      sum(kinds, (k) => k.y.count),
      sum(kinds, (k) => k.y.bytes),
    ),
    '',
  ].join('\n');
}

export function siteMarkdown(rows: readonly SiteBenchRow[], cycle?: SearchCycleRow | null): string {
  const first = rows[0];
  const ratio = (v: number, r: number | undefined) => (r ? `${(v / r).toFixed(2)}×` : v ? '—' : '1.00×');
  const lines = [
    '## Incremental publishing (one document into a site of N)',
    '',
    'Median per publication, from the start of publish-document (own pages, file, search entries) until render-site (on its queue) has entered the document in its lists, rendered the index pages and its search part and marked it PUBLISHED. Sites seeded with one 行政规范性文件 in ten and one annual-report event per document; the open search part holds the same number of documents at each size. Ratios against the first row.',
    '',
    '| site size | normative / events | ms | ratio | S3 objects written | ratio | KB written | ratio | S3 GET / PUT / LIST / DELETE | S3 requests | ratio | DynamoDB requests | ratio | of which search writes | seed s | load |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.size} | ${r.normative} / ${r.events} | ${r.ms} | ${ratio(r.ms, first?.ms)} | ${r.s3Writes} | ${ratio(r.s3Writes, first?.s3Writes)} | ${(r.bytesWritten / 1024).toFixed(1)} | ${ratio(r.bytesWritten, first?.bytesWritten)} | ${r.s3Gets} / ${r.s3Writes} / ${r.s3Lists} / ${r.s3Deletes} | ${r.s3Requests} | ${ratio(r.s3Requests, first?.s3Requests)} | ${r.dynamoRequests} | ${ratio(r.dynamoRequests, first?.dynamoRequests)} | ${r.searchWrites} (fill ${r.fill}) | ${r.seedSeconds} | ${r.load} |`,
    ),
    '',
    '| refresh after them (site size) | ms | ratio | S3 objects written | ratio | KB written | S3 requests | DynamoDB requests | ratio |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.size} | ${r.refresh.ms} | ${ratio(r.refresh.ms, first?.refresh.ms)} | ${r.refresh.s3Writes} | ${ratio(r.refresh.s3Writes, first?.refresh.s3Writes)} | ${(r.refresh.bytesWritten / 1024).toFixed(1)} | ${r.refresh.s3Requests} | ${r.refresh.dynamoRequests} | ${ratio(r.refresh.dynamoRequests, first?.refresh.dynamoRequests)} |`,
    ),
    '',
  ];
  if (cycle) {
    const pages = first ? first.s3Writes - first.searchWrites : 0;
    lines.push(
      `Search over a cycle (one part filled from 0 to ${cycle.documents} documents, one publication at a time): ${cycle.writes} S3 objects written per publication on average (at most ${cycle.maxWrites}), ${cycle.deletes} deleted, ${(cycle.bytesWritten / 1024).toFixed(1)} KB, ${cycle.ms} ms; load ${cycle.load}. With the ${pages} other objects a publication writes (first row): **${Math.round((pages + cycle.writes) * 10) / 10} S3 writes per publication averaged over a cycle**.`,
      '',
    );
  }
  const [a, b] = [rows[0], rows[rows.length - 1]];
  if (a && b && a !== b && a.objects && b.objects) lines.push(objectsMarkdown(a, b));
  // With a middle size: from it to the largest, where every list a publication touches is past its first page.
  const mid = rows.length > 2 ? rows[rows.length - 2] : undefined;
  if (mid && b && mid.objects && b.objects) lines.push(objectsMarkdown(mid, b));
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { mkdir, readFile, writeFile } = await import('node:fs/promises');
  const skipSizes = process.env.BENCH_SKIP_SIZES === '1';
  const skipPlatform = process.env.BENCH_SKIP_PLATFORM === '1';
  const out = path.resolve(process.env.BENCH_OUT ?? path.join(path.dirname(new URL(import.meta.url).pathname), 'results'));
  // A part skipped keeps its results of the last run that measured it (with that run's date).
  type Part<T> = { date: string; load?: string; value: T };
  type Saved = {
    date?: string;
    load?: string;
    rows?: SiteBenchRow[];
    cycle?: SearchCycleRow | null;
    platform?: PlatformBenchRow[];
    sizesDate?: string;
    sizesLoad?: string;
    platformDate?: string;
    platformLoad?: string;
  };
  const saved: Saved = await readFile(path.join(out, 'site.json'), 'utf8').then(
    (t) => JSON.parse(t) as Saved,
    () => ({}),
  );
  const now = new Date().toISOString();
  const measuredSizes: Part<{ rows: SiteBenchRow[]; cycle: SearchCycleRow | null }> = skipSizes
    ? { date: saved.sizesDate ?? saved.date ?? now, load: saved.sizesLoad ?? saved.load, value: { rows: saved.rows ?? [], cycle: saved.cycle ?? null } }
    : { date: now, value: { rows: await benchSitePublishing(), cycle: await benchSearchCycle() }, load: loadAverage() };
  const measuredPlatform: Part<PlatformBenchRow[]> = skipPlatform
    ? { date: saved.platformDate ?? saved.date ?? now, load: saved.platformLoad, value: saved.platform ?? [] }
    : { date: new Date().toISOString(), value: await benchPlatformPublishing(), load: loadAverage() };
  const { rows, cycle } = measuredSizes.value;
  const platform = measuredPlatform.value;
  await mkdir(out, { recursive: true });
  await writeFile(
    path.join(out, 'site.json'),
    `${JSON.stringify(
      {
        date: now,
        node: process.version,
        load: loadAverage(),
        sizesDate: measuredSizes.date,
        sizesLoad: measuredSizes.load,
        rows,
        cycle,
        platformDate: measuredPlatform.date,
        platformLoad: measuredPlatform.load,
        platform,
      },
      null,
      2,
    )}\n`,
  );
  const when = (p: Part<unknown>) => `_Measured ${p.date.slice(0, 16).replace('T', ' ')} UTC${p.load ? `, load average ${p.load} at the end` : ''}._\n\n`;
  const md = `${rows.length ? when(measuredSizes) + siteMarkdown(rows, cycle) : ''}\n${platform.length ? when(measuredPlatform) + platformMarkdown(platform) : ''}`;
  await writeFile(path.join(out, 'site.md'), md);
  console.log(md);
  process.exit(0);
}

/**
 * Incremental publishing: does publishing one document cost the same in a site of 100
 * documents as in one of 10,000? For each size, a fresh local stack is seeded with that
 * many published documents — entered in the catalogue's lists and in the search index
 * (a compacted base bundle) exactly as the site consumer would — and then K more documents
 * are published one at a time through the real stages: publish-document's `publishDraft`
 * (own pages, original file, search entries) and render-site's `processSiteBatch` (lists,
 * index pages, search delta, status). Reported per publication, side by side: wall time,
 * S3 objects written and bytes, S3 and DynamoDB requests (counted by SDK middleware).
 *
 * `npm run bench:site` alone, or as part of `npm run bench`. Environment:
 * BENCH_SITE_SIZES (default "100,10000"), BENCH_SITE_PUBLISH (K, default 5).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { publishDraft } from '#functions/publish-document';
import { dynamo, s3 } from '#shared/aws/clients';
import { writeObject } from '#shared/blobs';
import type { Draft } from '#shared/domain/draft';
import { PILOT_DOMAINS, type DeclarationForm } from '#shared/domain/form';
import { env } from '#shared/env';
import { allocateIndexNumber, enterDocument, summarise } from '#shared/site/catalogue';
import { siteConfig } from '#shared/site/config';
import { saveSearchEntries, updateSearchIndex } from '#shared/site/search';
import { createDraft } from '#shared/store';
import { createBody } from '#shared/bodies';
import { startLocalStack, type LocalStack } from '#infra/local/stack';

export interface SiteBenchRow {
  readonly size: number;
  readonly seedSeconds: number;
  readonly publications: number;
  /** Medians per publication. */
  readonly ms: number;
  readonly s3Writes: number;
  readonly s3Requests: number;
  readonly bytesWritten: number;
  readonly dynamoRequests: number;
}

const SENTENCES = [
  '为深入贯彻落实《中华人民共和国政府信息公开条例》，推进基层政务公开标准化规范化建设，结合本县实际，制定本方案。',
  '各乡镇人民政府、县政府各部门要高度重视，明确责任分工，细化工作措施，确保各项任务落到实处。',
  '围绕群众关切，及时准确发布权威信息，做好政策解读和回应关切，提升政务公开质量和实效。',
  '建立健全工作台账，实行清单化管理，每季度末将工作进展情况报送县政务公开办公室。',
  '本方案自印发之日起施行，由县人民政府办公室负责解释。',
];

const text = (i: number) => Array.from({ length: 12 }, (_, k) => SENTENCES[(i + k) % SENTENCES.length]).join('\n') + `\n编号 ${i}。`;

function form(i: number): DeclarationForm {
  const year = 2019 + (i % 8);
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

function draftOf(id: string, i: number, status: Draft['status'], textKey: string, body?: BenchBody): Draft {
  const at = new Date().toISOString();
  const actor = { sub: 'bench', name: '基准测试', role: 'approver' };
  return {
    id,
    version: 1,
    revision: 1,
    status,
    form: body ? { ...form(i), draftingUnit: body.unit } : form(i),
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

/** Counts every request an SDK client sends, by command. */
function countRequests(): { reset(): void; snapshot(): { s3Writes: number; s3Requests: number; bytesWritten: number; dynamoRequests: number } } {
  let s3Writes = 0;
  let s3Requests = 0;
  let bytesWritten = 0;
  let dynamoRequests = 0;
  s3().middlewareStack.add(
    (next, context) => async (args) => {
      s3Requests++;
      if (context.commandName === 'PutObjectCommand') {
        s3Writes++;
        const body = (args.input as { Body?: unknown }).Body;
        bytesWritten += typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.byteLength : 0;
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchCounter' },
  );
  dynamo().middlewareStack.add(
    (next) => async (args) => {
      dynamoRequests++;
      return next(args);
    },
    // One count per HTTP request (the document client wraps the low-level client).
    { step: 'finalizeRequest', name: 'benchCounter' },
  );
  return {
    reset() {
      s3Writes = s3Requests = bytesWritten = dynamoRequests = 0;
    },
    snapshot: () => ({ s3Writes, s3Requests, bytesWritten, dynamoRequests }),
  };
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

type Sample = { ms: number; s3Writes: number; s3Requests: number; bytesWritten: number; dynamoRequests: number };
type Medians = Omit<Sample, 'ms'> & { ms: number };

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
async function measurePublications(stack: LocalStack, publications: number, from: number, body?: BenchBody): Promise<Medians> {
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
    for (let k = 0; k < publications; k++) {
      const id = ulid();
      const key = `bench/${id}.txt`;
      const d = draftOf(id, from + k, 'PUBLISHING', key, body);
      await writeObject('drafts', key, text(from + k), 'text/plain; charset=utf-8');
      await writeObject('drafts', d.files.document.key, text(from + k), 'text/plain');
      await createDraft(d);
      counter.reset();
      const started = performance.now();
      await publishDraft(id);
      await untilPublished(id);
      samples.push({ ms: performance.now() - started, ...counter.snapshot() });
    }
    const pick = (f: (s: Sample) => number) => median(samples.map(f));
    return {
      ms: Math.round(pick((s) => s.ms)),
      s3Writes: pick((s) => s.s3Writes),
      s3Requests: pick((s) => s.s3Requests),
      bytesWritten: pick((s) => s.bytesWritten),
      dynamoRequests: pick((s) => s.dynamoRequests),
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

/** One site of `size` documents of the top body, then K publications into it. */
async function benchSize(size: number, publications: number, progress: (m: string) => void): Promise<SiteBenchRow> {
  return withStack('gongkai-site-bench-', async (stack) => {
    const seedSeconds = await seedPublished(
      Array.from({ length: size }, (_, i) => ({ id: ulid(), i })),
      progress,
    );
    progress(`  site of ${size} seeded in ${seedSeconds.toFixed(1)} s`);
    return { size, seedSeconds, publications, ...(await measurePublications(stack, publications, size)) };
  });
}

export async function benchSitePublishing(progress: (m: string) => void = console.error): Promise<SiteBenchRow[]> {
  const sizes = (process.env.BENCH_SITE_SIZES ?? '100,10000')
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

export function siteMarkdown(rows: readonly SiteBenchRow[]): string {
  const first = rows[0];
  const lines = [
    '## Incremental publishing (one document into a site of N)',
    '',
    'Median per publication, from the start of publish-document (own pages, file, search entries) until render-site (on its queue) has entered the document in its lists, rendered the index pages and the search delta and marked it PUBLISHED.',
    '',
    '| site size | ms | ratio | S3 objects written | KB written | S3 requests | DynamoDB requests | seed s |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.size} | ${r.ms} | ${first ? (r.ms / first.ms).toFixed(2) : '—'}× | ${r.s3Writes} | ${(r.bytesWritten / 1024).toFixed(1)} | ${r.s3Requests} | ${r.dynamoRequests} | ${r.seedSeconds} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const rows = process.env.BENCH_SKIP_SIZES === '1' ? [] : await benchSitePublishing();
  const platform = await benchPlatformPublishing();
  const out = path.resolve(process.env.BENCH_OUT ?? path.join(path.dirname(new URL(import.meta.url).pathname), 'results'));
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'site.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows, platform }, null, 2)}\n`);
  const md = `${rows.length ? siteMarkdown(rows) : ''}\n${platformMarkdown(platform)}`;
  await writeFile(path.join(out, 'site.md'), md);
  console.log(md);
  process.exit(0);
}

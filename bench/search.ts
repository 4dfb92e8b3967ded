/**
 * Search that scales (issue 17): does one shard's rebuild cost the same on a platform of 1,000
 * documents as on one of 30,000? For each size a fresh local stack holds the platform's search
 * state as the site consumer leaves it: every other shard's state object (its ids), the
 * body-years' part counts and the pointer listing every shard — seeded cheaply, since a build
 * reads only its own shard — and one real shard (the top body's open part of 2026), built with
 * real-length text (the corpus notices, 10–21 KB each, varied per document). Then, through
 * updateSearchIndex as render-site calls it: one publication into that shard (rebuilds it,
 * SHARD_LIMIT documents) and one withdrawal from it (rebuilds it without the document, deletes
 * its superseded bundles), each repeated. Reported side by side: wall time, the pagefind child
 * process's peak RSS (VmHWM, sampled from /proc), the Node process's RSS growth during the
 * build, entries read, site objects written and deleted, and the load average.
 *
 * `npx tsx bench/search.ts` alone, or as part of `npm run bench` (BENCH_SKIP_SEARCH=1 skips it).
 * Environment: BENCH_SEARCH_SIZES (default "1000,30000"), BENCH_SEARCH_REPS (default 3).
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeObject } from '#shared/blobs';
import { SEARCH_POINTER_KEY, SHARD_LIMIT, saveSearchEntries, updateSearchIndex, type PointerShard, type SearchEntry } from '#shared/site/search';
import { startLocalStack } from '#infra/local/stack';

export interface SearchBenchRow {
  readonly size: number;
  readonly shards: number;
  readonly seedSeconds: number;
  readonly reps: number;
  /** Medians over the repetitions. */
  readonly publish: BuildSample;
  readonly withdraw: BuildSample;
  readonly load: string;
}
interface BuildSample {
  readonly ms: number;
  /** CPU time of the build: the pagefind child's (user + system) and the Node process's, ms — steadier than wall time on a loaded machine. */
  readonly pagefindCpuMs: number;
  readonly nodeCpuMs: number;
  /** Peak resident set of the pagefind child process, MB. */
  readonly pagefindMb: number;
  /** Growth of the Node process's RSS over its level before the build, MB. */
  readonly nodeGrowthMb: number;
  readonly documents: number;
  readonly entriesRead: number;
  readonly written: number;
  readonly deleted: number;
}

const CORPUS = process.env.GONGKAI_CORPUS ?? new URL('../../shared/corpus/', import.meta.url).pathname;
const BODIES = ['county', 'fgw', 'jyj', 'mzj', 'rsj', 'zjj', 'beicheng', 'nanguan', 'xiguan', 'dongcheng'];
const YEARS = ['2019', '2020', '2021', '2022', '2023', '2024', '2025', '2026'];
const TARGET = { body: 'county', year: '2026' };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (kb: number) => Math.round(kb / 102.4) / 10;

/** Real-length texts: the corpus notices, each document a different rotation of its paragraphs. */
async function corpusTexts(): Promise<string[]> {
  const dir = path.join(CORPUS, 'txt');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.txt')).sort();
  return Promise.all(names.map(async (n) => (await readFile(path.join(dir, n), 'utf8')).replace(/\s*\n\s*/g, '\n').trim()));
}
function realEntry(id: string, i: number, texts: readonly string[]): SearchEntry {
  const paras = texts[i % texts.length]!.split('\n');
  const k = (i * 7) % paras.length;
  const content = [...paras.slice(k), ...paras.slice(0, k), `（第 ${i} 号文件，编号 ${id}）`].join('\n');
  return {
    url: `documents/${id}.html`,
    title: `某县人民政府办公室关于第 ${i} 项政务公开重点工作的通知`,
    content,
    meta: { unit: '某县人民政府办公室', date: `${TARGET.year}-03-01`, body: TARGET.body, bodyName: '某县人民政府' },
  };
}
const idOf = (prefix: string, i: number) => `${prefix}${String(i).padStart(24, '0')}`;

/**
 * The pagefind child's peak RSS while `work` runs: its /proc status (VmHWM) sampled every 20 ms,
 * with the Node process's RSS growth over its level at the start.
 */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; pagefindMb: number; nodeGrowthMb: number; pagefindCpuMs: number; nodeCpuMs: number }> {
  let pagefindKb = 0;
  const pagefindTicks = new Map<string, number>();
  const cpu0 = process.cpuUsage();
  const base = process.memoryUsage().rss;
  let nodePeak = base;
  const sample = () => {
    nodePeak = Math.max(nodePeak, process.memoryUsage().rss);
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        if (!/^Name:\s*pagefind/m.test(status) || !new RegExp(`^PPid:\\s*${process.pid}$`, 'm').test(status)) continue;
        pagefindKb = Math.max(pagefindKb, Number(/^VmHWM:\s*(\d+)/m.exec(status)?.[1] ?? 0));
        // utime + stime (fields 14 and 15 of /proc/<pid>/stat, after the command in parentheses), in clock ticks.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        pagefindTicks.set(pid, Number(fields[11]) + Number(fields[12]));
      } catch {
        // the process ended between the listing and the read
      }
    }
  };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  try {
    const value = await work();
    const ms = Math.round(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    sample();
    const ticks = [...pagefindTicks.values()].reduce((a, b) => a + b, 0);
    return {
      value,
      ms,
      pagefindMb: mb(pagefindKb),
      nodeGrowthMb: Math.round((nodePeak - base) / 104857.6) / 10,
      pagefindCpuMs: Math.round((ticks * 1000) / 100),
      nodeCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    };
  } finally {
    clearInterval(timer);
  }
}

/** The state a platform of `size` documents leaves: every other shard's state, the part counts, the pointer. */
async function seedPlatform(size: number, targetDocs: number): Promise<{ shards: number; targetPart: number }> {
  const others = size - targetDocs;
  const bodyYears = BODIES.flatMap((body) => YEARS.map((year) => ({ body, year })));
  const per = Math.ceil(others / bodyYears.length);
  const pointer: PointerShard[] = [];
  const heads: Promise<unknown>[] = [];
  let n = 0;
  let targetPart = 1;
  for (const { body, year } of bodyYears) {
    const docs = Math.min(per, others - n);
    const parts = Math.max(1, Math.ceil(docs / SHARD_LIMIT));
    const target = body === TARGET.body && year === TARGET.year;
    if (target) targetPart = docs > 0 ? parts + 1 : 1;
    for (let p = 1; p <= parts && docs > 0; p++) {
      const count = Math.min(SHARD_LIMIT, docs - (p - 1) * SHARD_LIMIT);
      const shard = `${body}/${year}/${p}`;
      const folder = `search/s/${shard}/g1/`;
      const ids = Array.from({ length: count }, (_, k) => idOf('SEED', n + (p - 1) * SHARD_LIMIT + k));
      heads.push(writeObject('drafts', `search/shards/${shard}.json`, JSON.stringify({ version: 2, shard, body, seq: 1, ids, folder, folders: [folder] }), 'application/json'));
      pointer.push({ shard, body, folder });
    }
    const headParts = target ? targetPart : parts;
    if (headParts > 1) heads.push(writeObject('drafts', `search/shards/${body}/${year}/head.json`, JSON.stringify({ parts: headParts }), 'application/json'));
    n += Math.max(0, docs);
  }
  await Promise.all(heads);
  await writeObject('site', SEARCH_POINTER_KEY, JSON.stringify({ version: 2, shards: pointer }), 'application/json', { cacheControl: 'no-cache' });
  return { shards: pointer.length, targetPart };
}

async function benchSize(size: number, reps: number, texts: readonly string[], progress: (m: string) => void): Promise<SearchBenchRow> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-search-bench-'));
  const stack = await startLocalStack({ dataDir, schedules: false });
  try {
    const t0 = Date.now();
    // The open part holds SHARD_LIMIT − 1 documents: each publication fills it, each withdrawal frees a place.
    const targetDocs = SHARD_LIMIT - 1;
    const { shards, targetPart } = await seedPlatform(size, targetDocs);
    const target = Array.from({ length: targetDocs }, (_, i) => idOf('REAL', i));
    for (const [i, id] of target.entries()) await saveSearchEntries(id, [realEntry(id, i, texts)]);
    const fill = await updateSearchIndex({ added: target, removed: [] });
    const expected = `${TARGET.body}/${TARGET.year}/${targetPart}`;
    if (fill.rebuilt.length !== 1 || fill.rebuilt[0]!.shard !== expected) throw new Error(`bench: the real shard is ${JSON.stringify(fill.rebuilt)}, expected ${expected}`);
    const seedSeconds = Math.round((Date.now() - t0) / 100) / 10;
    progress(`  platform of ${size} (${fill.shards} shards) seeded in ${seedSeconds} s`);

    const publish: BuildSample[] = [];
    const withdraw: BuildSample[] = [];
    for (let r = 0; r < reps; r++) {
      const id = idOf('PUBL', r);
      await saveSearchEntries(id, [realEntry(id, targetDocs + r, texts)]);
      const p = await measured(() => updateSearchIndex({ added: [id], removed: [] }));
      const w = await measured(() => updateSearchIndex({ added: [], removed: [id] }));
      for (const [out, m] of [
        [publish, p],
        [withdraw, w],
      ] as const) {
        if (m.value.rebuilt.length !== 1 || m.value.rebuilt[0]!.shard !== expected) throw new Error(`bench: rebuilt ${JSON.stringify(m.value.rebuilt)}`);
        out.push({
          ms: m.ms,
          pagefindCpuMs: m.pagefindCpuMs,
          nodeCpuMs: m.nodeCpuMs,
          pagefindMb: m.pagefindMb,
          nodeGrowthMb: m.nodeGrowthMb,
          documents: m.value.rebuilt[0]!.documents,
          entriesRead: m.value.entriesRead,
          written: m.value.written.length,
          deleted: m.value.deleted.length,
        });
      }
      progress(
        `  rep ${r + 1}: publish ${p.ms} ms (CPU pagefind ${p.pagefindCpuMs} + node ${p.nodeCpuMs} ms; pagefind ${p.pagefindMb} MB), withdraw ${w.ms} ms (CPU ${w.pagefindCpuMs} + ${w.nodeCpuMs} ms; pagefind ${w.pagefindMb} MB)`,
      );
    }
    const med = (xs: BuildSample[]): BuildSample => ({
      ms: median(xs.map((x) => x.ms)),
      pagefindCpuMs: median(xs.map((x) => x.pagefindCpuMs)),
      nodeCpuMs: median(xs.map((x) => x.nodeCpuMs)),
      pagefindMb: median(xs.map((x) => x.pagefindMb)),
      nodeGrowthMb: median(xs.map((x) => x.nodeGrowthMb)),
      documents: median(xs.map((x) => x.documents)),
      entriesRead: median(xs.map((x) => x.entriesRead)),
      written: median(xs.map((x) => x.written)),
      deleted: median(xs.map((x) => x.deleted)),
    });
    return {
      size,
      shards: Math.max(shards, fill.shards),
      seedSeconds,
      reps,
      publish: med(publish),
      withdraw: med(withdraw),
      load: os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    };
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function benchSearchShards(progress: (m: string) => void = console.error): Promise<SearchBenchRow[]> {
  const sizes = (process.env.BENCH_SEARCH_SIZES ?? '1000,30000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n >= SHARD_LIMIT);
  const reps = Number(process.env.BENCH_SEARCH_REPS ?? 3);
  const texts = await corpusTexts();
  const rows: SearchBenchRow[] = [];
  for (const size of sizes) {
    progress(`search shards: platform of ${size} documents`);
    rows.push(await benchSize(size, reps, texts, progress));
  }
  return rows;
}

export function searchMarkdown(rows: readonly SearchBenchRow[]): string {
  if (!rows.length) return '';
  const first = rows[0]!;
  const ratio = (a: number, b: number) => (b ? `${(a / b).toFixed(2)}×` : '—');
  const head = `| search, one shard rebuild (\`bench/search.ts\`), median of ${first.reps}, real-length text | ${rows.map((r) => `N = ${r.size.toLocaleString('en')} (${r.shards} shards)`).join(' | ')} |`;
  const line = (label: string, f: (r: SearchBenchRow) => number, unit: string) =>
    `| ${label} | ${rows.map((r, i) => `${f(r)} ${unit}${i ? ` (${ratio(f(r), f(first))})` : ''}`).join(' | ')} |`;
  return [
    head,
    `|---|${rows.map(() => '---|').join('')}`,
    line('publication: wall time', (r) => r.publish.ms, 'ms'),
    line('publication: CPU, pagefind child', (r) => r.publish.pagefindCpuMs, 'ms'),
    line('publication: CPU, Node process (with the in-process emulators)', (r) => r.publish.nodeCpuMs, 'ms'),
    line('publication: pagefind peak RSS', (r) => r.publish.pagefindMb, 'MB'),
    line('publication: Node RSS growth', (r) => r.publish.nodeGrowthMb, 'MB'),
    `| publication: documents built / entries read / objects written | ${rows.map((r) => `${r.publish.documents} / ${r.publish.entriesRead} / ${r.publish.written}`).join(' | ')} |`,
    line('withdrawal: wall time', (r) => r.withdraw.ms, 'ms'),
    line('withdrawal: CPU, pagefind child', (r) => r.withdraw.pagefindCpuMs, 'ms'),
    line('withdrawal: CPU, Node process (with the in-process emulators)', (r) => r.withdraw.nodeCpuMs, 'ms'),
    line('withdrawal: pagefind peak RSS', (r) => r.withdraw.pagefindMb, 'MB'),
    line('withdrawal: Node RSS growth', (r) => r.withdraw.nodeGrowthMb, 'MB'),
    `| withdrawal: documents built / entries read / objects written / deleted | ${rows.map((r) => `${r.withdraw.documents} / ${r.withdraw.entriesRead} / ${r.withdraw.written} / ${r.withdraw.deleted}`).join(' | ')} |`,
    `| seeding / load average (1, 5, 15 min) | ${rows.map((r) => `${r.seedSeconds} s / ${r.load}`).join(' | ')} |`,
    '',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const rows = await benchSearchShards();
  const out = path.resolve(process.env.BENCH_OUT ?? path.join(path.dirname(new URL(import.meta.url).pathname), 'results'));
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'search.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
  const md = searchMarkdown(rows);
  await writeFile(path.join(out, 'search.md'), md);
  console.log(md);
  process.exit(0);
}

/**
 * The browser's side of sharding (issue 17): what does search.html cost in Chromium when the
 * pointer lists 1, 10, 40 or 160 shards? One real shard (SHARD_LIMIT real-length documents, the
 * corpus notices varied per document) is built once with pagefind and served, from memory, under
 * every shard folder the pointer names (the bytes a reader loads per shard are those of a full
 * shard; results repeat across the copies and the page shows each address once). Reported per
 * shard count: time from navigation to the result line, requests and bytes the page fetched, and
 * the page's JS heap (CDP Performance.getMetrics) — for a search of the whole platform and for
 * one body's search (the pointer's body field limits the shards loaded to that body's).
 *
 * `npx tsx bench/search-browser.ts` (BENCH_SEARCH_BROWSER_SHARDS, default "1,10,40,160").
 */
import { createServer, type Server } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { SHARD_LIMIT, buildBundle, searchPage, type SearchEntry } from '#shared/site/search';
import { SEARCH_SCRIPT, SEARCH_SCRIPT_KEY, SEARCH_STYLE, SEARCH_STYLE_KEY } from '#shared/render/search-page';

export interface BrowserSearchRow {
  readonly shards: number;
  readonly scope: 'platform' | 'one body';
  readonly shardsLoaded: number;
  readonly ms: number;
  readonly requests: number;
  readonly kb: number;
  readonly heapMb: number;
  readonly status: string;
}

const CORPUS = process.env.GONGKAI_CORPUS ?? new URL('../../shared/corpus/', import.meta.url).pathname;
const BODIES = 10;

async function shardEntries(): Promise<SearchEntry[]> {
  const dir = path.join(CORPUS, 'txt');
  const texts = await Promise.all(
    (await readdir(dir))
      .filter((n) => n.endsWith('.txt'))
      .sort()
      .map(async (n) => (await readFile(path.join(dir, n), 'utf8')).replace(/\s*\n\s*/g, '\n').trim()),
  );
  return Array.from({ length: SHARD_LIMIT }, (_, i) => {
    const paras = texts[i % texts.length]!.split('\n');
    const k = (i * 7) % paras.length;
    return {
      url: `documents/DOC${String(i).padStart(23, '0')}.html`,
      title: `某县人民政府办公室关于第 ${i} 项政务公开重点工作的通知`,
      content: [...paras.slice(k), ...paras.slice(0, k)].join('\n'),
      meta: { unit: '某县人民政府办公室', date: '2026-03-01', body: 'b0' },
    };
  });
}

function serve(files: Map<string, Uint8Array>, pointer: () => string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const key = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    const type = key.endsWith('.js')
      ? 'text/javascript'
      : key.endsWith('.json')
        ? 'application/json'
        : key.endsWith('.html')
          ? 'text/html; charset=utf-8'
          : key.endsWith('.css')
            ? 'text/css'
            : 'application/octet-stream';
    let body: string | Uint8Array | undefined;
    if (key === 'search/current.json') body = pointer();
    else if (key === 'search.html') body = searchPage();
    else if (key === SEARCH_SCRIPT_KEY) body = SEARCH_SCRIPT;
    else if (key === SEARCH_STYLE_KEY) body = SEARCH_STYLE;
    else {
      // Every shard folder serves the one real shard.
      const m = /^search\/s\/[^/]+\/\d{4}\/\d+\/g\d+\/(.+)$/.exec(key);
      body = m ? files.get(m[1]!) : undefined;
    }
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': key === 'search/current.json' ? 'no-cache' : 'max-age=3600' }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

export async function benchBrowserShards(progress: (m: string) => void = console.error): Promise<BrowserSearchRow[]> {
  const counts = (process.env.BENCH_SEARCH_BROWSER_SHARDS ?? '1,10,40,160')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  progress(`browser search: building one shard of ${SHARD_LIMIT} real-length documents`);
  const files = new Map((await buildBundle(await shardEntries())).map((f) => [f.path, f.content]));
  let shards = 1;
  const { server, url } = await serve(files, () =>
    JSON.stringify({
      version: 2,
      shards: Array.from({ length: shards }, (_, i) => ({
        shard: `b${i % BODIES}/${2019 + (Math.floor(i / BODIES) % 8)}/${Math.floor(i / (BODIES * 8)) + 1}`,
        body: `b${i % BODIES}`,
      })).map((s) => ({
        ...s,
        folder: `search/s/${s.shard}/g1/`,
      })),
    }),
  );
  const browser = await chromium.launch({
    executablePath: process.env.GONGKAI_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const rows: BrowserSearchRow[] = [];
  try {
    for (const n of counts) {
      shards = n;
      for (const scope of ['platform', 'one body'] as const) {
        const context = await browser.newContext();
        const page = await context.newPage();
        let requests = 0;
        let bytes = 0;
        const folders = new Set<string>();
        page.on('requestfinished', (req) => {
          requests++;
          const m = /\/search\/s\/([^/]+\/\d{4}\/\d+)\//.exec(req.url());
          if (m) folders.add(m[1]!);
          void req.sizes().then((s) => (bytes += s.responseBodySize + s.responseHeadersSize));
        });
        const cdp = await context.newCDPSession(page);
        await cdp.send('Performance.enable');
        const t0 = performance.now();
        await page.goto(`${url}/search.html?q=${encodeURIComponent('政务公开')}${scope === 'one body' ? '&body=b0' : ''}`);
        const status = page.locator('#search-status');
        await status.filter({ hasText: /共找到|未找到|不可用/ }).waitFor({ timeout: 300_000 });
        const ms = Math.round(performance.now() - t0);
        const metrics = (await cdp.send('Performance.getMetrics')).metrics;
        const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
        const row: BrowserSearchRow = {
          shards: n,
          scope,
          shardsLoaded: folders.size,
          ms,
          requests,
          kb: Math.round(bytes / 1024),
          heapMb: Math.round(heap / 104857.6) / 10,
          status: (await status.textContent()) ?? '',
        };
        progress(`  ${n} shards, ${scope}: ${ms} ms, ${requests} requests, ${row.kb} KB, heap ${row.heapMb} MB (${row.shardsLoaded} shards loaded)`);
        rows.push(row);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}

export function browserSearchMarkdown(rows: readonly BrowserSearchRow[]): string {
  if (!rows.length) return '';
  return [
    `| search.html in Chromium (\`bench/search-browser.ts\`), query 政务公开, shards of ${SHARD_LIMIT} real-length documents | shards loaded | time to results | requests | transferred | JS heap |`,
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.shards} shards in the pointer, ${r.scope} | ${r.shardsLoaded} | ${r.ms} ms | ${r.requests} | ${r.kb} KB | ${r.heapMb} MB |`),
    `| load average (1, 5, 15 min) | ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} | | | | |`,
    '',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const rows = await benchBrowserShards();
  const out = path.resolve(process.env.BENCH_OUT ?? path.join(path.dirname(new URL(import.meta.url).pathname), 'results'));
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'search-browser.json'), `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
  const md = browserSearchMarkdown(rows);
  await writeFile(path.join(out, 'search-browser.md'), md);
  console.log(md);
  process.exit(0);
}

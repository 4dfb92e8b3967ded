/**
 * Cold start (issue 17.5): how long each function's bundle takes to load — the part of a
 * Lambda cold start the code decides. Every function of the topology is bundled as the CDK
 * app bundles it (infra/cdk/function-defaults.ts: ESM, minified, names kept, the require
 * banner, pdf.js' Node shim where pdf.js runs, a source map beside it), then imported in a
 * fresh Node process, several times, with and without `--enable-source-maps` (which makes Node
 * parse the whole source map at load), side by side in one run. The import is timed inside
 * the child (performance.now around `import()`), so process start-up is not counted.
 *
 * Goals (issue 17.5): every function ≤ 150 ms and extract-document ≤ 250 ms, as deployed.
 *
 * Environment: BENCH_COLD_RUNS (imports per function and mode, default 5), BENCH_OUT.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { BUNDLING } from '#infra/cdk/function-defaults';
import { functionEntry, topology, type FunctionName } from '#shared/topology';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

export interface ColdStartRow {
  readonly fn: FunctionName;
  readonly bundleKB: number;
  readonly mapKB: number;
  /** Median import time (ms) as deployed (no source-map flag). */
  readonly importMs: number;
  /** Median import time (ms) with --enable-source-maps, as the stack set it before. */
  readonly withSourceMapsMs: number;
  readonly goalMs: number;
  readonly withinGoal: boolean;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** One import of `file` in a fresh process; answers the milliseconds the import took. */
async function importOnce(file: string, sourceMaps: boolean): Promise<number> {
  const code = `const t = performance.now(); await import(${JSON.stringify(new URL(`file://${file}`).href)}); process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(process.execPath, [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', code], {
    // What a function's environment holds at load (no endpoint: nothing is called at import).
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'cn-north-1', AWS_LAMBDA_FUNCTION_NAME: path.basename(path.dirname(file)), NODE_ENV: 'production' },
    maxBuffer: 1 << 20,
  });
  const ms = Number(stdout.trim().split('\n').pop());
  if (!Number.isFinite(ms)) throw new Error(`import of ${file} printed no time: ${stdout}`);
  return ms;
}

export async function benchColdStart(runs = Number(process.env.BENCH_COLD_RUNS ?? 5)): Promise<ColdStartRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-cold-'));
  const rows: ColdStartRow[] = [];
  try {
    for (const fn of Object.keys(topology.functions) as FunctionName[]) {
      const spec = topology.functions[fn] as { assets?: readonly { from: string }[] };
      const usesPdfjs = (spec.assets ?? []).some((a) => a.from.startsWith('pdfjs-dist/'));
      const out = path.join(dir, fn);
      await mkdir(out, { recursive: true });
      const outfile = path.join(out, 'index.mjs');
      await build({
        ...BUNDLING.esbuild,
        mainFields: [...BUNDLING.esbuild.mainFields],
        entryPoints: [path.join(root, functionEntry(fn))],
        outfile,
        // This machine's Node runs the measurement (Lambda's is 24: the same bundle, newer syntax allowed).
        target: `node${process.versions.node.split('.')[0]}`,
        ...(usesPdfjs ? { inject: [BUNDLING.pdfjsShim] } : {}),
        logLevel: 'error',
      });
      await writeFile(path.join(out, 'package.json'), '{"type":"module"}');
      const plain: number[] = [];
      const mapped: number[] = [];
      // Interleaved, so a drift of the machine falls on both.
      for (let i = 0; i < runs; i++) {
        plain.push(await importOnce(outfile, false));
        mapped.push(await importOnce(outfile, true));
      }
      const goalMs = fn === 'extract-document' ? 250 : 150;
      const importMs = median(plain);
      rows.push({
        fn,
        bundleKB: Math.round((await stat(outfile)).size / 1024),
        mapKB: Math.round((await stat(`${outfile}.map`)).size / 1024),
        importMs: Math.round(importMs),
        withSourceMapsMs: Math.round(median(mapped)),
        goalMs,
        withinGoal: importMs <= goalMs,
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

export function coldStartMarkdown(rows: readonly ColdStartRow[]): string {
  const lines = [
    '| function | bundle | map | import as deployed | with --enable-source-maps | ratio | goal |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...[...rows]
      .sort((a, b) => b.importMs - a.importMs)
      .map(
        (r) =>
          `| ${r.fn} | ${r.bundleKB} KB | ${r.mapKB} KB | ${r.importMs} ms | ${r.withSourceMapsMs} ms | ${(r.withSourceMapsMs / Math.max(r.importMs, 1)).toFixed(2)}× | ${r.withinGoal ? '✓' : '✗'} ≤ ${r.goalMs} ms |`,
      ),
  ];
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.env.BENCH_OUT ?? path.join(here, 'results');
  const load = os.loadavg();
  const rows = await benchColdStart();
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'cold-start.json'), `${JSON.stringify({ at: new Date().toISOString(), node: process.version, loadavg: load, rows }, null, 2)}\n`);
  const md = `# Cold start: bundle import time\n\nNode ${process.version}, load average ${load.map((l) => l.toFixed(2)).join(' / ')}, median of ${process.env.BENCH_COLD_RUNS ?? 5} imports each.\n\n${coldStartMarkdown(rows)}\n`;
  await writeFile(path.join(outDir, 'cold-start.md'), md);
  console.log(md);
}

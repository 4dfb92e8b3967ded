/**
 * Cold start (issue 17.5): how long each function's bundle takes to load — the part of a
 * Lambda cold start the code decides. Every function of the topology is bundled as the CDK
 * app bundles it (infra/cdk/function-defaults.ts: ESM, minified, names kept, the require
 * banner, pdf.js' Node shim where pdf.js runs, a source map beside it), then imported in a
 * fresh Node process, several times, with and without `--enable-source-maps` (which makes Node
 * parse the whole source map at load), side by side in one run. The import is timed inside
 * the child (performance.now around `import()`), so process start-up is not counted; the
 * child's CPU time over the import is recorded beside it (on a loaded machine the wall time
 * moves with the load, the CPU time much less).
 *
 * "Before" is the same source bundled as it was written before issue 17.5's import changes,
 * rebuilt in the same run by a plugin that puts the three old forms back: `import { z } from
 * 'zod'` (zod's namespace object: esbuild cannot tree-shake it, so all of zod classic with every
 * locale went into every bundle), each handler importing the whole route table
 * (`#shared/routes`, every route's schemas built at import) instead of its area's module
 * (shared/routes/<area>.ts), and the AWS SDK clients of shared/aws/clients.ts without their
 * `@__PURE__` mark (every bundle carried S3, DynamoDB and SQS, used or not); and pdf.js' Node
 * shim injected into every handler of a function that ships pdf.js' CMaps, whether its handler
 * loads pdf.js or not (the shim imports pdf.js' worker: 1 MB), and extract-document's handler
 * naming its CMap variable from shared/extract/pdf.ts (which imports pdf.js) rather than
 * shared/extract/cmap-env.ts; and shared/calendar.ts importing chinese-days' code (which builds
 * all its holiday and lunar tables at load) rather than reading the package's JSON tables on
 * first use; and shared/render/pdf.ts importing pdfkit and fontkit at load (about 1 MB with
 * brotli's dictionary) rather than on the first PDF; and the zod schemas of shared/domain/*.ts
 * built by plain top-level calls, so every bundle built all of a module's schemas at load, used
 * or not, rather than in pure IIFEs that esbuild leaves out when unused; and brotli.js' decoder
 * (its 464 KB dictionary as JavaScript) bundled for fontkit, where the bundling now aliases
 * `brotli/decompress.js` to Node's own Brotli (infra/cdk/bundling/brotli-decompress.ts).
 *
 * Goals (issue 17.5): every function ≤ 150 ms and extract-document ≤ 250 ms, as deployed.
 *
 * Environment: BENCH_COLD_RUNS (imports per function and mode, default 5), BENCH_COLD_ONLY
 * (comma-separated function names: only those), BENCH_OUT.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { build, type Plugin } from 'esbuild';
import { BUNDLING } from '#infra/cdk/function-defaults';
import { bundlesPdfjs } from '#infra/cdk/bundling/pdfjs-needed';
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
  /** Median CPU time (ms, user + system) of the child over the import, as deployed. */
  readonly importCpuMs: number;
  /** Median import time (ms) with --enable-source-maps, as the stack set it before. */
  readonly withSourceMapsMs: number;
  /** The same source bundled with the imports of before issue 17.5 (see above), in the same run. */
  readonly before: { readonly bundleKB: number; readonly importMs: number; readonly importCpuMs: number };
  /** The 1-minute load average when this function's imports began. */
  readonly loadAverage: number;
  readonly goalMs: number;
  /** Median wall time within the goal (moves with the machine's load). */
  readonly withinGoal: boolean;
  /** Median CPU time within the goal: the load-insensitive reading of the same goal. */
  readonly withinGoalCpu: boolean;
}

/**
 * Puts back the imports of before issue 17.5 (see the header), so that "before" and "after"
 * are the same source, bundled the same way, measured in one run.
 */
export const asBefore17_5: Plugin = {
  name: 'gongkai-before-17.5',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const contents = source
        .replace(/^import \* as z from 'zod';$/gm, "import { z } from 'zod';")
        .replace(/^import \{ ROUTES \} from '#shared\/routes\/[a-z-]+';$/gm, "import { ROUTES } from '#shared/routes';")
        .replace(/^(export const \w+ = )\/\* @__PURE__ \*\/ (once\()/gm, '$1$2')
        .replace(/^import \{ PDF_CMAP_DIR_ENV \} from '#shared\/extract\/cmap-env';$/gm, "import { PDF_CMAP_DIR_ENV } from '#shared/extract/pdf';")
        // shared/calendar.ts: the package's code again (its module body builds its tables at load).
        .replace(/^(import data from 'chinese-days\/dist\/chinese-days\.json'.*)$/gm, "import 'chinese-days';\n$1")
        // shared/domain/*.ts: each schema built at load again, used or not (no pure IIFE around it).
        .replace(/\/\* @__PURE__ \*\/ (\(\(\) =>)/g, '$1')
        // shared/render/pdf.ts: pdfkit and fontkit imported (and so evaluated) at load again.
        .replace(
          /^(import type \{ Font \} from 'fontkit';)$/gm,
          "$1\nimport { create as gkEagerFontkit } from 'fontkit';\nimport gkEagerPdfkit from 'pdfkit';\n(globalThis as Record<string, unknown>).gkEagerPdf = [gkEagerFontkit, gkEagerPdfkit];",
        );
      return contents === source ? undefined : { contents, loader: 'ts' };
    });
  },
};

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** One import of `file` in a fresh process; answers the milliseconds the import took, wall and CPU. */
async function importOnce(file: string, sourceMaps: boolean): Promise<{ wall: number; cpu: number }> {
  const code = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(new URL(`file://${file}`).href)}); const w = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(w + ' ' + (u.user + u.system) / 1000);`;
  const { stdout } = await run(process.execPath, [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', code], {
    // What a function's environment holds at load (no endpoint: nothing is called at import).
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'cn-north-1', AWS_LAMBDA_FUNCTION_NAME: path.basename(path.dirname(file)), NODE_ENV: 'production' },
    maxBuffer: 1 << 20,
  });
  const [wall, cpu] = (stdout.trim().split('\n').pop() ?? '').split(' ').map(Number);
  if (!Number.isFinite(wall) || !Number.isFinite(cpu)) throw new Error(`import of ${file} printed no time: ${stdout}`);
  return { wall: wall!, cpu: cpu! };
}

/** Bundles one function's entry as infra/cdk/function-defaults.ts does, into `outfile`. */
async function bundle(fn: FunctionName, outfile: string, { before = false } = {}): Promise<void> {
  const spec = topology.functions[fn] as { assets?: readonly { from: string }[]; nativeModules?: readonly string[] };
  const usesPdfjs = (spec.assets ?? []).some((a) => a.from.startsWith('pdfjs-dist/'));
  const entry = path.join(root, functionEntry(fn));
  const external = [...(spec.nativeModules ?? [])];
  // Before issue 17.5 every function shipping pdf.js' CMaps had the shim (and with it pdf.js) in its handler bundle.
  const shim = usesPdfjs && (before || bundlesPdfjs(entry, { mainFields: BUNDLING.esbuild.mainFields, external }));
  await mkdir(path.dirname(outfile), { recursive: true });
  await build({
    ...BUNDLING.esbuild,
    mainFields: [...BUNDLING.esbuild.mainFields],
    entryPoints: [entry],
    outfile,
    external,
    // This machine's Node runs the measurement (Lambda's is 24: the same bundle, newer syntax allowed).
    target: `node${process.versions.node.split('.')[0]}`,
    ...(shim ? { inject: [BUNDLING.pdfjsShim] } : {}),
    // Before issue 17.5 brotli.js' own decoder, with its dictionary in JavaScript, was bundled (no alias).
    ...(before ? { alias: {} } : {}),
    plugins: before ? [asBefore17_5] : [],
    logLevel: 'error',
  });
  await writeFile(path.join(path.dirname(outfile), 'package.json'), '{"type":"module"}');
}

export async function benchColdStart(runs = Number(process.env.BENCH_COLD_RUNS ?? 5)): Promise<ColdStartRow[]> {
  // Inside the project, so that a native module left external (topology `nativeModules`)
  // resolves from node_modules/ as it does beside the deployed bundle.
  await mkdir(path.join(root, 'node_modules', '.cache'), { recursive: true });
  const dir = await mkdtemp(path.join(root, 'node_modules', '.cache', 'gongkai-cold-'));
  const rows: ColdStartRow[] = [];
  const only = process.env.BENCH_COLD_ONLY?.split(',').filter(Boolean);
  try {
    for (const fn of Object.keys(topology.functions) as FunctionName[]) {
      if (only && !only.includes(fn)) continue;
      const outfile = path.join(dir, fn, 'index.mjs');
      const beforeFile = path.join(dir, `${fn}.before`, 'index.mjs');
      await bundle(fn, outfile);
      await bundle(fn, beforeFile, { before: true });
      const loadAverage = os.loadavg()[0] ?? 0;
      const plain: { wall: number; cpu: number }[] = [];
      const mapped: number[] = [];
      const before: { wall: number; cpu: number }[] = [];
      // Interleaved, so a drift of the machine falls on every mode.
      for (let i = 0; i < runs; i++) {
        before.push(await importOnce(beforeFile, false));
        plain.push(await importOnce(outfile, false));
        mapped.push((await importOnce(outfile, true)).wall);
      }
      const goalMs = fn === 'extract-document' ? 250 : 150;
      const importMs = median(plain.map((p) => p.wall));
      const importCpuMs = median(plain.map((p) => p.cpu));
      const kb = async (file: string) => Math.round((await stat(file)).size / 1024);
      rows.push({
        fn,
        bundleKB: await kb(outfile),
        mapKB: await kb(`${outfile}.map`),
        importMs: Math.round(importMs),
        importCpuMs: Math.round(importCpuMs),
        withSourceMapsMs: Math.round(median(mapped)),
        before: { bundleKB: await kb(beforeFile), importMs: Math.round(median(before.map((p) => p.wall))), importCpuMs: Math.round(median(before.map((p) => p.cpu))) },
        loadAverage: Math.round(loadAverage * 100) / 100,
        goalMs,
        withinGoal: importMs <= goalMs,
        withinGoalCpu: importCpuMs <= goalMs,
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

export function coldStartMarkdown(rows: readonly ColdStartRow[]): string {
  const ratio = (a: number, b: number) => `${(a / Math.max(b, 1)).toFixed(2)}×`;
  const lines = [
    '| function | bundle before → after | map | import before → after (wall) | ratio | CPU before → after | ratio | with --enable-source-maps | load | goal | wall | CPU |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|:-:|',
    ...[...rows]
      .sort((a, b) => b.importMs - a.importMs)
      .map(
        (r) =>
          `| ${r.fn} | ${r.before.bundleKB} → ${r.bundleKB} KB | ${r.mapKB} KB | ${r.before.importMs} → ${r.importMs} ms | ${ratio(r.importMs, r.before.importMs)} | ${r.before.importCpuMs} → ${r.importCpuMs} ms | ${ratio(r.importCpuMs, r.before.importCpuMs)} | ${r.withSourceMapsMs} ms (${ratio(r.withSourceMapsMs, r.importMs)}) | ${r.loadAverage.toFixed(1)} | ≤ ${r.goalMs} ms | ${r.withinGoal ? '✓' : '✗'} | ${r.withinGoalCpu ? '✓' : '✗'} |`,
      ),
  ];
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.env.BENCH_OUT ?? path.join(here, 'results');
  const load = os.loadavg();
  const rows = await benchColdStart();
  const loadEnd = os.loadavg();
  await mkdir(outDir, { recursive: true });
  await writeFile(
    path.join(outDir, 'cold-start.json'),
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, cores: os.cpus().length, loadavg: { start: load, end: loadEnd }, runs: Number(process.env.BENCH_COLD_RUNS ?? 5), rows }, null, 2)}\n`,
  );
  const within = rows.filter((r) => r.withinGoal).length;
  const withinCpu = rows.filter((r) => r.withinGoalCpu).length;
  const md = [
    '# Cold start: bundle import time',
    '',
    `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores, load average ${load.map((l) => l.toFixed(2)).join(' / ')} at the start, ${loadEnd.map((l) => l.toFixed(2)).join(' / ')} at the end; median of ${process.env.BENCH_COLD_RUNS ?? 5} fresh-process imports per function and mode, the modes interleaved. "Before": the same source with the imports of before issue 17.5 (bench/cold-start.ts), bundled and measured in this run. Within their goal: ${withinCpu} of ${rows.length} functions on CPU time (user + system of the importing process: the load-insensitive figure), ${within} of ${rows.length} on wall time.`,
    '',
    coldStartMarkdown(rows),
    '',
  ].join('\n');
  await writeFile(path.join(outDir, 'cold-start.md'), md);
  console.log(md);
}

/**
 * Issue 17.5 (cold start): pdfkit and fontkit (with brotli's dictionary, about 1 MB of bundle)
 * are loaded when a PDF is first rendered, never when a function's bundle is imported — the
 * import is the part of every cold start the operator pays for, and most requests of the
 * functions that can write a PDF (the printable page, the site's pages) never write one.
 *
 * Each bundle is built as the CDK app builds it (infra/cdk/function-defaults.ts), with pdfkit
 * and fontkit left external so that loading them is visible: the bundle is imported in a fresh
 * Node process whose module resolution is watched (a `module.register` resolve hook), and the
 * test reads which packages were resolved. The control: the same process then opens the fonts
 * (`pdfFonts`), and fontkit and pdfkit must then be resolved — the watch sees a lazy load.
 *
 * Also: a bundle carries (and so builds at load) only the zod schemas of shared/domain/*.ts it
 * uses, read from esbuild's metafile; and brotli.js' decoder, whose dictionary is 464 KB of
 * JavaScript, is replaced in the bundles by Node's own Brotli, which decodes the same bytes —
 * the bundled PDF renderer writes the same PDF as the source.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { brotliCompressSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import decompress from '#infra/cdk/bundling/brotli-decompress';
import { BUNDLING } from '#infra/cdk/function-defaults';
import { renderPdf } from '#shared/render/pdf';
import type { PrintDocument } from '#shared/render/pdf-model';
import { functionEntry, type FunctionName } from '#shared/topology';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LAZY = ['pdfkit', 'fontkit'];
let dir: string;

beforeAll(async () => {
  // Inside the project, so that the external packages resolve from node_modules/ as beside a deployed bundle.
  await mkdir(path.join(root, 'node_modules', '.cache'), { recursive: true });
  dir = await mkdtemp(path.join(root, 'node_modules', '.cache', 'gongkai-cold-imports-'));
  await writeFile(path.join(dir, 'package.json'), '{"type":"module"}');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Bundles `entry` as a function is bundled, pdfkit and fontkit external (unless told otherwise); answers the bundle's path. */
async function bundle(name: string, entry: string, { external = LAZY }: { external?: string[] } = {}): Promise<string> {
  const outfile = path.join(dir, name, 'index.mjs');
  await build({
    ...BUNDLING.esbuild,
    mainFields: [...BUNDLING.esbuild.mainFields],
    sourcemap: false,
    entryPoints: [path.join(root, entry)],
    outfile,
    external,
    target: `node${process.versions.node.split('.')[0]}`,
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Imports `file` in a fresh process; answers the packages of node_modules resolved by the
 * import (as ES modules, or required: Node's CommonJS cache), and (with `thenOpenFonts`) those
 * resolved once the module's `pdfFonts()` has run — or, with `then`, once that code has run
 * with the module as `mod` (its value is answered as `result`).
 */
async function packagesLoaded(
  file: string,
  { thenOpenFonts = false, then = thenOpenFonts ? 'void (await mod.pdfFonts())' : '' }: { thenOpenFonts?: boolean; then?: string } = {},
): Promise<{ atImport: string[]; after: string[]; result?: unknown }> {
  const hooks = `let port; export function initialize(d) { port = d.port; }
export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }`;
  const code = `
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const seen = [];
let marked;
port1.on('message', (u) => { if (u.includes('gongkai-sentinel')) marked(); else seen.push(u); });
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)}, import.meta.url, { data: { port: port2 }, transferList: [port2] });
// Every resolution before the sentinel's has been posted once the sentinel's arrives (one port, in order).
const flush = async () => { const done = new Promise((r) => (marked = r)); await import('data:text/javascript,export default "gongkai-sentinel-' + Math.random() + '"'); await done; };
const packages = () => [...new Set([...seen, ...Object.keys(createRequire(import.meta.url).cache)].filter((u) => u.includes('/node_modules/')).map((u) => { const p = u.split('/node_modules/').pop().split('/'); return p.slice(0, p[0].startsWith('@') ? 2 : 1).join('/'); }))];
const mod = await import(${JSON.stringify(pathToFileURL(file).href)});
await flush();
const atImport = packages();
let after = [];
let result;
if (${JSON.stringify(then)}) { result = await (async () => ${then || 'undefined'})(); await flush(); after = packages(); }
port1.close();
process.stdout.write(JSON.stringify({ atImport, after, result }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'cn-north-1', NODE_ENV: 'production' },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as { atImport: string[]; after: string[]; result?: unknown };
}

describe('pdfkit and fontkit load on the first PDF, not at import (issue 17.5)', () => {
  it('importing shared/render/pdf.ts loads neither; opening the fonts loads both', async () => {
    const file = await bundle('render-pdf', 'shared/render/pdf.ts');
    const { atImport, after } = await packagesLoaded(file, { thenOpenFonts: true });
    for (const p of LAZY) expect(atImport).not.toContain(p);
    for (const p of LAZY) expect(after).toContain(p);
  }, 60_000);

  it.each<FunctionName>(['application-document', 'publish-document', 'render-site'])(
    '%s: the bundle imports without pdfkit or fontkit',
    async (fn) => {
      const { atImport } = await packagesLoaded(await bundle(fn, functionEntry(fn)));
      for (const p of LAZY) expect(atImport).not.toContain(p);
    },
    60_000,
  );
});

/** The packages and project files whose code is in a bundle of `contents` (an entry module in shared/), as the functions are bundled. */
async function bundledInputs(contents: string, options: { external?: string[] } = {}): Promise<string[]> {
  const { metafile } = await build({
    ...BUNDLING.esbuild,
    mainFields: [...BUNDLING.esbuild.mainFields],
    sourcemap: false,
    stdin: { contents, resolveDir: path.join(root, 'shared'), loader: 'ts', sourcefile: 'entry.ts' },
    outfile: path.join(dir, 'inputs', 'index.mjs'),
    write: false,
    metafile: true,
    external: options.external ?? [],
    target: `node${process.versions.node.split('.')[0]}`,
    logLevel: 'error',
  });
  // Only what is left in the output: esbuild lists every module it read, tree-shaken or not.
  return Object.values(metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([p]) => p),
  );
}

describe('a bundle builds only the zod schemas it uses (issue 17.5)', () => {
  // One plain constant of each module: a bundle that takes only it must not build (nor carry) any of the module's schemas.
  it.each([
    ['form', 'PILOT_DOMAINS'],
    ['application', 'WITHHOLD_GROUNDS'],
    ['draft', 'STATUSES'],
    ['annual-report', 'REPORT_STATUSES'],
    ['body', 'BODY_KINDS'],
    ['validity', 'VALIDITY_KIND_LABELS'],
    ['oversight', 'DAY_INDEXES'],
  ])(
    'shared/domain/%s.ts: a bundle taking only %s has no zod in it',
    async (module, name) => {
      const inputs = await bundledInputs(`export { ${name} } from '#shared/domain/${module}';`);
      expect(inputs.some((p) => p.includes(`shared/domain/${module}.ts`))).toBe(true);
      expect(inputs.filter((p) => p.includes('node_modules/zod/'))).toEqual([]);
    },
    60_000,
  );

  it('a schema used is still built, with the schemas it is made of', async () => {
    const inputs = await bundledInputs(`export { Draft } from '#shared/domain/draft';`);
    expect(inputs.some((p) => p.includes('node_modules/zod/'))).toBe(true);
    expect(inputs.some((p) => p.includes('shared/domain/form.ts'))).toBe(true);
  }, 60_000);
});

describe("brotli.js' decoder is replaced by Node's own Brotli in the bundles (issue 17.5)", () => {
  const brotliJs = createRequire(import.meta.url)('brotli/decompress.js') as (b: Uint8Array, size?: number) => Uint8Array;

  it('decodes what brotli.js decodes, to the same bytes, and refuses what is not Brotli', () => {
    // Text (the dictionary's words) and bytes of every value, as a WOFF2 font's tables hold.
    const sample = Buffer.concat([
      Buffer.from('政府信息公开 the government information public '.repeat(300)),
      Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 2654435761) >>> 24)),
    ]);
    const packed = brotliCompressSync(sample);
    const ours = decompress(packed, sample.length);
    expect(ours).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(ours).equals(sample)).toBe(true);
    expect(Buffer.from(ours).equals(Buffer.from(brotliJs(packed, sample.length)))).toBe(true);
    expect(Buffer.from(decompress(packed)).equals(sample)).toBe(true);
    expect(() => decompress(sample.subarray(0, 1000), 1000)).toThrow();
  });

  it('the bundled PDF renderer carries no brotli.js and writes the same bytes as the source', async () => {
    const inputs = await bundledInputs(`export * from '#shared/render/pdf';`);
    expect(inputs.some((p) => p.includes('node_modules/fontkit/'))).toBe(true);
    expect(inputs.filter((p) => p.includes('node_modules/brotli/'))).toEqual([]);
    expect(inputs.some((p) => p.endsWith('infra/cdk/bundling/brotli-decompress.ts'))).toBe(true);

    const model: PrintDocument = {
      title: '关于公开2025年度政府信息的通知',
      reference: '盐政公开〔2026〕第12号',
      author: '运城市盐湖区人民政府',
      date: '2026-03-01',
      blocks: [
        { kind: 'paragraph', text: [{ text: '各乡镇人民政府，区直各部门：' }], variant: 'to' },
        { kind: 'paragraph', text: [{ text: '根据《中华人民共和国政府信息公开条例》第二十条，现将有关事项通知如下（Article 20, PDF 1.7）。' }] },
      ],
    };
    const file = await bundle('render-pdf-full', 'shared/render/pdf.ts', { external: [] });
    const code = `const { renderPdf } = await import(${JSON.stringify(pathToFileURL(file).href)});
const pdf = await renderPdf(${JSON.stringify(model)});
process.stdout.write(Buffer.from(pdf.bytes).toString('base64'));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
      maxBuffer: 64 << 20,
    });
    const bundled = Buffer.from(stdout, 'base64');
    const source = Buffer.from((await renderPdf(model)).bytes);
    expect(bundled.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bundled.equals(source)).toBe(true);
  }, 120_000);
});

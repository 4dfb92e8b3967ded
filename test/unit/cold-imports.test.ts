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
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLING } from '#infra/cdk/function-defaults';
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

/** Bundles `entry` as a function is bundled, pdfkit and fontkit external; answers the bundle's path. */
async function bundle(name: string, entry: string): Promise<string> {
  const outfile = path.join(dir, name, 'index.mjs');
  await build({
    ...BUNDLING.esbuild,
    mainFields: [...BUNDLING.esbuild.mainFields],
    sourcemap: false,
    entryPoints: [path.join(root, entry)],
    outfile,
    external: LAZY,
    target: `node${process.versions.node.split('.')[0]}`,
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Imports `file` in a fresh process; answers the packages of node_modules resolved by the
 * import, and (with `thenOpenFonts`) those resolved once the module's `pdfFonts()` has run.
 */
async function packagesLoaded(file: string, { thenOpenFonts = false } = {}): Promise<{ atImport: string[]; afterFonts: string[] }> {
  const hooks = `let port; export function initialize(d) { port = d.port; }
export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }`;
  const code = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const seen = [];
let marked;
port1.on('message', (u) => { if (u.includes('gongkai-sentinel')) marked(); else seen.push(u); });
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)}, import.meta.url, { data: { port: port2 }, transferList: [port2] });
// Every resolution before the sentinel's has been posted once the sentinel's arrives (one port, in order).
const flush = async () => { const done = new Promise((r) => (marked = r)); await import('data:text/javascript,export default "gongkai-sentinel-' + Math.random() + '"'); await done; };
const packages = () => [...new Set(seen.filter((u) => u.includes('/node_modules/')).map((u) => { const p = u.split('/node_modules/').pop().split('/'); return p.slice(0, p[0].startsWith('@') ? 2 : 1).join('/'); }))];
const mod = await import(${JSON.stringify(pathToFileURL(file).href)});
await flush();
const atImport = packages();
let afterFonts = [];
if (${thenOpenFonts}) { await mod.pdfFonts(); await flush(); afterFonts = packages(); }
port1.close();
process.stdout.write(JSON.stringify({ atImport, afterFonts }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'cn-north-1', NODE_ENV: 'production' },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as { atImport: string[]; afterFonts: string[] };
}

describe('pdfkit and fontkit load on the first PDF, not at import (issue 17.5)', () => {
  it('importing shared/render/pdf.ts loads neither; opening the fonts loads both', async () => {
    const file = await bundle('render-pdf', 'shared/render/pdf.ts');
    const { atImport, afterFonts } = await packagesLoaded(file, { thenOpenFonts: true });
    for (const p of LAZY) expect(atImport).not.toContain(p);
    for (const p of LAZY) expect(afterFonts).toContain(p);
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

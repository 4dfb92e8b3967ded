import path from 'node:path';
import { buildSync } from 'esbuild';

const cache = new Map<string, boolean>();

/**
 * Whether the bundle of `entry` holds pdf.js — and so needs the Node shim injected before it
 * (pdfjs-node-shim.ts). The shim itself imports pdf.js' worker (1 MB of pdf.js and core-js),
 * so injecting it where pdf.js is not otherwise bundled would only add that to the bundle and
 * to every cold start (issue 17.5): extract-document's handler hands files to a worker thread
 * (its own bundle, which gets the shim) and never loads pdf.js itself. Answered from esbuild's
 * own resolution of the entry's imports (a metafile, nothing written), once per entry.
 */
export function bundlesPdfjs(entry: string, options: { readonly mainFields: readonly string[]; readonly external?: readonly string[] }): boolean {
  const key = `${entry}\0${options.mainFields.join(',')}\0${(options.external ?? []).join(',')}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const { metafile } = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    mainFields: [...options.mainFields],
    external: [...(options.external ?? [])],
    write: false,
    metafile: true,
    outdir: path.dirname(entry),
    logLevel: 'silent',
  });
  const needed = Object.keys(metafile.inputs).some((p) => /(^|\/)node_modules\/pdfjs-dist\//.test(p));
  cache.set(key, needed);
  return needed;
}

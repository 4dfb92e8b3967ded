import { PDFParse } from 'pdf-parse';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(import.meta.url);
const cmap = path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'cmaps') + '/';
for (const f of process.argv.slice(2)) {
  const buf = await readFile(f);
  const p = new PDFParse({ data: new Uint8Array(buf), cMapUrl: process.env.NOCMAP ? undefined : cmap, cMapPacked: true });
  const t0 = Date.now();
  try {
    const r = await p.getText({ pageJoiner: '' });
    console.log(path.basename(f), 'pages', r.total, 'chars', r.text.replace(/\s/g,'').length, 'perpage', r.pages.map(x=>x.text.replace(/\s/g,'').length).join(','), 'ms', Date.now()-t0);
  } catch (e) { console.log(path.basename(f), 'ERR', e.name, e.message, e.constructor.name, e.cause?.name); }
  finally { await p.destroy(); }
}

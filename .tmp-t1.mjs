import { PDFParse } from 'pdf-parse';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import mammoth from 'mammoth';
const require = createRequire(import.meta.url);
const cmap = path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'cmaps') + '/';
const f = process.argv[2];
const buf = await readFile(f);
if (f.endsWith('.docx')) {
  const r = await mammoth.extractRawText({ buffer: buf });
  console.log(JSON.stringify(r.messages)); process.stdout.write(r.value);
} else {
const p = new PDFParse({ data: new Uint8Array(buf), cMapUrl: cmap, cMapPacked: true });
try {
  const t0 = Date.now();
  const r = await p.getText({ pageJoiner: '' });
  console.error('pages', r.total, 'ms', Date.now()-t0);
  process.stdout.write(r.text);
} catch (e) { console.error('ERR', e.name, e.message, e.constructor.name); }
finally { await p.destroy(); }
}

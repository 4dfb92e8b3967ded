import { PDFParse } from 'pdf-parse';
import { readFileSync } from 'node:fs';
const full = readFileSync('/work/shared/corpus/pdf/004_a31f9dc5403041b8.pdf');
const m = Buffer.from(full); m.fill(0x41, 50000, 120000);
const p = new PDFParse({ data: new Uint8Array(m), verbosity: 1 });
const r = await p.getText({ pageJoiner: '' });
console.log(r.pages.map(x => x.text.replace(/\s/g,'').length));
await p.destroy();

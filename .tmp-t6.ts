import { readFileSync } from 'node:fs';
import { extractDocument, ExtractionError, compactText } from '#shared/extract/index';
const C = '/work/shared/corpus/';
for (const f of ['bad/truncated_004.pdf', 'bad/truncated_1k_004.pdf', 'bad/truncated_noxref_004.pdf']) {
  const b = Buffer.concat([readFileSync(C + f), Buffer.from('\n%%EOF\n')]);
  try { const r = await extractDocument(b); console.log(f, 'OK?!', r.pages, r.chars, r.warnings); }
  catch (e) { console.log(f, (e as ExtractionError).code, (e as Error).cause && ((e as Error).cause as Error).name); }
}
// a corrupted middle
const full = readFileSync(C + 'pdf/004_a31f9dc5403041b8.pdf');
const m = Buffer.from(full); m.fill(0x41, 50000, 120000);
try { const r = await extractDocument(m); console.log('zapped', r.pages, r.chars, r.warnings, compactText(r.text).length); } catch (e) { console.log('zapped', (e as ExtractionError).code, ((e as Error).cause as Error)?.message); }

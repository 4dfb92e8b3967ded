import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os'; import path from 'node:path';
import { extractDocument, ExtractionError } from '#shared/extract/index';
const f = readFileSync('/work/shared/corpus/pdf-variants/gbk_nonembedded.pdf');
for (const d of [mkdtempSync(path.join(tmpdir(), 'nocmap-')), '/nonexistent/dir', '/work/main/node_modules/pdfjs-dist/cmaps']) {
  process.env.PDF_CMAP_DIR = d;
  try { const r = await extractDocument(f); console.log(d, 'OK', r.chars, r.warnings); } catch (e) { console.log(d, (e as ExtractionError).code, ((e as Error).cause as Error)?.message); }
}

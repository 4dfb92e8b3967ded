import { readFileSync } from 'node:fs';
import { extractDocument, compactText, normaliseText, ExtractionError } from '#shared/extract/index';
const C = '/work/shared/corpus/';
const t001 = readFileSync(C + 'txt/001_635c498a68e213e6.txt', 'utf8');
const t004 = readFileSync(C + 'txt/004_a31f9dc5403041b8.txt', 'utf8');
const t003 = readFileSync(C + 'txt/003_947bd769dad19b2f.txt', 'utf8');
const gbk = readFileSync(C + 'pdf-variants/gbk_nonembedded.txt', 'utf8');
const large = readFileSync(C + 'pdf-variants/large_199p.txt', 'utf8');
const cases: [string, string | null, string?][] = [
  ['pdf-variants/alt_cairo_cid_001.pdf', t001], ['pdf-variants/alt_wqy_001.pdf', t001], ['pdf-variants/encrypted_ownerpw_only_004.pdf', t004],
  ['pdf-variants/gbk_nonembedded.pdf', gbk], ['pdf-variants/large_cid.pdf', large], ['pdf-variants/large_199p.pdf', large], ['pdf-variants/large_199p.docx', large],
  ['bad/fake_docx_renamed.pdf', t003, 'fake_docx_renamed.pdf'], ['bad/fake_pdf_renamed.docx', t003, 'fake_pdf_renamed.docx'],
  ['bad/scanned_002.pdf', null], ['bad/encrypted_userpw_004.pdf', null], ['bad/truncated_004.pdf', null], ['bad/truncated_1k_004.pdf', null], ['bad/truncated_noxref_004.pdf', null], ['bad/truncated_003.docx', null], ['bad/fake_zip.pdf', null], ['bad/fake_exe.pdf', null],
];
for (const [f, exp, name] of cases) {
  const t0 = Date.now();
  try {
    const r = await extractDocument(readFileSync(C + f), { declaredName: name });
    console.log(f, r.kind, r.pages, Date.now() - t0, 'ms', 'compactEq', exp !== null && compactText(r.rawText) === compactText(exp), 'normEq', exp !== null && r.text === normaliseText(exp), r.warnings);
  } catch (e) {
    if (e instanceof ExtractionError) console.log(f, e.code, e.zh, '|', e.en, '| cause:', (e.cause as Error | undefined)?.message);
    else console.log(f, 'RAW', e);
  }
}

import { readFileSync, readdirSync } from 'node:fs';
import { extractDocument, compactText, normaliseText } from '#shared/extract/index';
const C = '/work/shared/corpus/';
const cjk = (s: string) => s.replace(/[^\p{Script=Han}]/gu, '');
function firstDiff(a: string, b: string) { let k = 0; while (k < a.length && a[k] === b[k]) k++; return k; }
for (const f of readdirSync(C + 'txt')) {
  const id = f.replace('.txt', '');
  const txt = readFileSync(C + 'txt/' + f, 'utf8');
  const pdf = await extractDocument(readFileSync(C + `pdf/${id}.pdf`));
  const docx = await extractDocument(readFileSync(C + `docx/${id}.docx`));
  const a = compactText(pdf.rawText), b = compactText(txt);
  console.log(id, 'pdf pages', pdf.pages, 'warn', pdf.warnings.length, 'compactEq', a === b, a.length, b.length, 'cjkEq', cjk(a) === cjk(b), 'docxNormEq', docx.text === normaliseText(txt), docx.warnings);
  if (a !== b) { const k = firstDiff(a, b); console.log('  pdf:', JSON.stringify(a.slice(k - 15, k + 30)), '\n  txt:', JSON.stringify(b.slice(k - 15, k + 30))); }
  const nums = txt.match(/\p{Script=Han}+〔\d+〕\d+ ?号/gu) ?? [];
  for (const n of nums) { const nn = normaliseText(n); if (!pdf.text.includes(nn)) console.log('  not in pdf.text:', nn, 'in compact:', compactText(pdf.rawText).includes(nn)); }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { compactText, containsPhrase, DEFAULT_MAX_BYTES, extractDocument, ExtractionError, type ExtractionErrorCode, normaliseText, sniffKind } from '#shared/extract/index';

import { bytes, IDS, utf8, type Id } from '../support/corpus.ts';
const txt = (id: Id) => utf8(`txt/${id}.txt`);

/**
 * Every document number (文号) in the txt sources, written out by hand (checked against
 * `grep 〔 txt/*`) so the test cannot pass vacuously. Note 000's source itself has
 * "晋政办发〔2020〕38 号" with a space, which normalisation removes.
 */
const DOC_NUMBERS: Record<Id, readonly string[]> = {
  '000_70017f665202e428': ['运盐政办发〔2020〕60号', '晋政办发〔2020〕38号', '运政办发〔2020〕2号', '国办发〔2017〕47号', '国办发〔2018〕123号'],
  '001_635c498a68e213e6': ['国办发〔2019〕54号', '国办公开办函〔2019〕61号'],
  '002_6bc38a5105b87f60': ['古政办发〔2022〕30号', '国卫办发〔2021〕43号', '建城规〔2021〕4号'],
  '003_947bd769dad19b2f': ['尤政办〔2020〕31号', '明政办〔2020〕47号', '闽政办〔2020〕26号'],
  '004_a31f9dc5403041b8': ['国办发〔2019〕54号', '赣府厅发〔2020〕17号'],
};

const count = (hay: string, needle: string): number => hay.split(needle).length - 1;

/**
 * What mammoth's extractRawText gives for a text whose lines are the Word paragraphs:
 * every paragraph followed by "\n\n". (The txt files have no final newline, except 002
 * which ends with one — a file-end newline, not an extra paragraph.)
 */
const asMammothRaw = (t: string): string =>
  t
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `${line}\n\n`)
    .join('');

async function extractionError(input: Uint8Array, options?: Parameters<typeof extractDocument>[1]): Promise<ExtractionError> {
  try {
    await extractDocument(input, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ExtractionError);
    return err as ExtractionError;
  }
  throw new Error('expected an ExtractionError');
}

/** Every error is bilingual and tells the drafter what to do. */
function expectActionable(err: ExtractionError, code: ExtractionErrorCode): void {
  expect(err.code).toBe(code);
  expect(err.name).toBe('ExtractionError');
  expect(err.zh).toMatch(/\p{Script=Han}/u);
  expect(err.zh).toContain('请'); // an instruction
  expect(err.en).toMatch(/\b(upload|convert|remove|re-open|save|reduce|check)\b/i);
  expect(err.message).toContain(err.zh);
  expect(err.message).toContain(err.en);
}

// ---------------------------------------------------------------------------------------
// Small builders for synthetic inputs
// ---------------------------------------------------------------------------------------

const enc = (s: string) => new TextEncoder().encode(s);

/** A valid PDF with Helvetica text pages ('' = a page with no text at all). */
function minimalPdf(pageTexts: readonly string[]): Uint8Array {
  const objs: string[] = [];
  const pageIds = pageTexts.map((_, i) => 4 + i * 2);
  objs[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objs[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageTexts.length} >>`;
  objs[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  pageTexts.forEach((t, i) => {
    const content = t ? `BT /F1 12 Tf 72 720 Td (${t}) Tj ET` : '';
    objs[4 + i * 2] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + i * 2} 0 R >>`;
    objs[5 + i * 2] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  });
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objs.length; id++) {
    offsets[id] = out.length;
    out += `${id} 0 obj\n${objs[id]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objs.length}\n0000000000 65535 f \n${offsets
    .slice(1)
    .map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)
    .join('')}`;
  out += `trailer\n<< /Size ${objs.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return enc(out);
}

/** A ZIP with stored (uncompressed) entries. */
const storedZip = (files: Record<string, string>): Uint8Array => zipSync(Object.fromEntries(Object.entries(files).map(([n, c]) => [n, strToU8(c)])), { level: 0 });

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
function minimalDocx(paragraphs: readonly string[], documentXml?: string): Uint8Array {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${p}</w:t></w:r></w:p>`).join('');
  return storedZip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/document.xml': documentXml ?? `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`,
  });
}

// ---------------------------------------------------------------------------------------
// Corpus: docx, pdf
// ---------------------------------------------------------------------------------------

describe('corpus docx/ (mammoth)', () => {
  it.each(IDS)('%s.docx gives the txt exactly', async (id) => {
    const ex = await extractDocument(bytes(`docx/${id}.docx`), { declaredName: `${id}.docx` });
    const source = txt(id);
    expect(ex.kind).toBe('docx');
    expect(ex.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(ex.pages).toBeUndefined();
    // Byte-exact: mammoth's raw text is the txt with each line (= paragraph) followed by "\n\n".
    expect(ex.rawText).toBe(asMammothRaw(source));
    // And the normalised text is exactly the normalised txt.
    expect(ex.text).toBe(normaliseText(source));
    expect(ex.chars).toBe([...ex.text].length);
    expect(ex.warnings).toEqual([]);
  });
});

describe('corpus pdf/ (pdf-parse)', () => {
  it.each(IDS)('%s.pdf: every character intact and in order, all document numbers found', async (id) => {
    const ex = await extractDocument(bytes(`pdf/${id}.pdf`), { declaredName: `${id}.pdf` });
    const source = txt(id);
    expect(ex.kind).toBe('pdf');
    expect(ex.mediaType).toBe('application/pdf');
    expect(ex.pages).toBeGreaterThanOrEqual(5);
    expect(ex.pages).toBeLessThanOrEqual(10);
    expect(ex.warnings).toEqual([]);
    expect(ex.text).toBe(normaliseText(ex.rawText));
    // No "-- N of M --" page markers (pageJoiner: '').
    expect(ex.rawText).not.toMatch(/--\s*\d+\s+of\s+\d+\s*--/);
    // Exact equality once whitespace is gone: not only the Chinese characters but every
    // character (punctuation, digits, Latin) is there and in order.
    expect(compactText(ex.rawText)).toBe(compactText(source));
    // Document numbers: present in the normalised PDF text (compacted, so that a number the
    // PDF wrapped across two visual lines still matches — 000 wraps "国\n办发〔2017〕47号"),
    // exactly as often as in the source.
    const pdfCompact = compactText(ex.text);
    const srcCompact = compactText(source);
    for (const n of DOC_NUMBERS[id]) {
      expect(count(srcCompact, n), n).toBeGreaterThan(0);
      expect(count(pdfCompact, n), n).toBe(count(srcCompact, n));
      expect(containsPhrase(ex.text, n)).toBe(true);
    }
    // …and every "〔year〕N号" in the source (found by pattern, not by the list above).
    for (const tail of new Set(normaliseText(source).match(/〔\d{4}〕\d+号/g) ?? [])) {
      expect(count(pdfCompact, tail), tail).toBe(count(srcCompact, tail));
    }
  });

  it('the PDF puts a space at Chinese–digit gaps; normalisation removes it', async () => {
    const ex = await extractDocument(bytes('pdf/000_70017f665202e428.pdf'));
    expect(ex.rawText).toContain('运盐政办发〔2020〕60 号');
    expect(ex.rawText).toContain('2020 年 12 月 10 日');
    expect(ex.text).toContain('运盐政办发〔2020〕60号');
    expect(ex.text).toContain('2020年12月10日');
    expect(ex.text).toContain('（晋政办发〔2020〕38号）');
    // Line structure is kept in `text`: this number is wrapped across two PDF lines.
    expect(ex.text).toContain('(国\n办发〔2017〕47号)');
    expect(ex.text).not.toContain('国办发〔2017〕47号');
  });
});

// ---------------------------------------------------------------------------------------
// Corpus: pdf-variants
// ---------------------------------------------------------------------------------------

describe('corpus pdf-variants/', () => {
  it.each([
    ['alt_cairo_cid_001.pdf', '001_635c498a68e213e6'],
    ['alt_wqy_001.pdf', '001_635c498a68e213e6'],
    ['encrypted_ownerpw_only_004.pdf', '004_a31f9dc5403041b8'],
  ] as const)('%s gives the text of txt/%s', async (file, id) => {
    const ex = await extractDocument(bytes(`pdf-variants/${file}`));
    expect(ex.kind).toBe('pdf');
    expect(compactText(ex.rawText)).toBe(compactText(txt(id)));
    expect(ex.warnings).toEqual([]);
  });

  it('gbk_nonembedded.pdf (GBK-EUC-H, no Unicode map) gives its .txt — needs the CMaps', async () => {
    const ex = await extractDocument(bytes('pdf-variants/gbk_nonembedded.pdf'));
    const expected = utf8('pdf-variants/gbk_nonembedded.txt');
    expect(ex.pages).toBe(1);
    expect(ex.text).toBe(normaliseText(expected));
    expect(ex.text).toContain('运盐政办发〔2020〕60号');
    expect(ex.warnings).toEqual([]);
  });

  it('the CMap directory is honoured (a directory without CMaps loses gbk_nonembedded.pdf, and says why)', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'gongkai-nocmap-'));
    try {
      // pdf.js returns empty text and no error without CMaps: the page looks text-less (sent to OCR), and the warning tells the operator why.
      const lost = await extractDocument(bytes('pdf-variants/gbk_nonembedded.pdf'), { cmapDir: empty });
      expect(lost.ocrPages).toEqual([1]);
      expect(lost.warnings.map((w) => w.en).join(' ')).toContain('PDF_CMAP_DIR');
      const cmapDir = path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'cmaps'); // no trailing slash
      const ex = await extractDocument(bytes('pdf-variants/gbk_nonembedded.pdf'), { cmapDir });
      expect(ex.text).toContain('运盐政办发〔2020〕60号');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('large_cid.pdf (187 pages, CID TrueType) and large_199p.{pdf,docx} give the text of large_199p.txt', async () => {
    const expected = utf8('pdf-variants/large_199p.txt');
    const cid = await extractDocument(bytes('pdf-variants/large_cid.pdf'));
    expect(cid.pages).toBe(187);
    expect(compactText(cid.rawText)).toBe(compactText(expected));
    const pdf = await extractDocument(bytes('pdf-variants/large_199p.pdf'));
    expect(pdf.pages).toBe(199);
    expect(compactText(pdf.rawText)).toBe(compactText(expected));
    const docx = await extractDocument(bytes('pdf-variants/large_199p.docx'));
    expect(docx.text).toBe(normaliseText(expected));
  });
});

// ---------------------------------------------------------------------------------------
// Corpus: bad/
// ---------------------------------------------------------------------------------------

describe('corpus bad/', () => {
  it('scanned_002.pdf → not refused: both pages named for OCR, no text layer text (issue 14)', async () => {
    const ex = await extractDocument(bytes('bad/scanned_002.pdf'));
    expect(ex.kind).toBe('pdf');
    expect(ex.pages).toBe(2);
    expect(ex.ocrPages).toEqual([1, 2]);
    expect(ex.pageTexts).toEqual(['', '']);
    expect(ex.text).toBe('');
  });

  it('encrypted_userpw_004.pdf → ENCRYPTED, with the pdf-parse PasswordException as cause', async () => {
    const err = await extractionError(bytes('bad/encrypted_userpw_004.pdf'));
    expectActionable(err, 'ENCRYPTED');
    expect(err.zh).toContain('加密');
    expect((err.cause as Error).name).toBe('PasswordException');
  });

  it.each(['truncated_004.pdf', 'truncated_1k_004.pdf', 'truncated_noxref_004.pdf', 'truncated_003.docx'])('%s → DAMAGED', async (file) => {
    const err = await extractionError(bytes(`bad/${file}`), { declaredName: file });
    expectActionable(err, 'DAMAGED');
    expect(err.zh).toMatch(/损坏|不完整/);
  });

  it("truncated_003.docx keeps mammoth's error as cause", async () => {
    const err = await extractionError(bytes('bad/truncated_003.docx'));
    expect((err.cause as Error).message).toMatch(/end of central directory/);
  });

  it('truncated PDFs that still end in %%EOF: pdf.js rejects them (InvalidPDFException) → DAMAGED', async () => {
    for (const file of ['truncated_004.pdf', 'truncated_1k_004.pdf', 'truncated_noxref_004.pdf']) {
      const err = await extractionError(new Uint8Array([...bytes(`bad/${file}`), ...enc('\n%%EOF\n')]));
      expectActionable(err, 'DAMAGED');
      expect((err.cause as Error).name, file).toBe('InvalidPDFException');
    }
  });

  it.each(['fake_zip.pdf', 'fake_exe.pdf'])('%s → UNSUPPORTED_TYPE naming the accepted types', async (file) => {
    const err = await extractionError(bytes(`bad/${file}`), { declaredName: file });
    expectActionable(err, 'UNSUPPORTED_TYPE');
    expect(err.zh).toContain('PDF');
    expect(err.zh).toContain('.docx');
    expect(err.zh).toContain('纯文本');
    expect(err.en).toMatch(/PDF.*\.docx.*plain text/);
  });

  it('fake_docx_renamed.pdf is a real DOCX (= docx/003): extracted as docx, with a warning', async () => {
    const ex = await extractDocument(bytes('bad/fake_docx_renamed.pdf'), { declaredName: 'fake_docx_renamed.pdf' });
    expect(ex.kind).toBe('docx');
    expect(ex.rawText).toBe(asMammothRaw(txt('003_947bd769dad19b2f')));
    expect(ex.warnings).toHaveLength(1);
    expect(ex.warnings[0]?.zh).toMatch(/扩展名 \.pdf 与文件内容不符.*Word/);
    expect(ex.warnings[0]?.en).toMatch(/says \.pdf but the content is Word/);
    const { zh, en } = ex.warnings[0]!;
    expect(zh).toMatch(/^文件名“fake_docx_renamed\.pdf”的扩展名 \.pdf 与文件内容不符.*请核对/);
    expect(en).toMatch(/^The name "fake_docx_renamed\.pdf" says \.pdf but the content is Word \(\.docx\).*Check/);
  });

  it('fake_pdf_renamed.docx is a real PDF (= pdf/003): extracted as pdf, with a warning', async () => {
    const ex = await extractDocument(bytes('bad/fake_pdf_renamed.docx'), { declaredName: 'fake_pdf_renamed.docx' });
    expect(ex.kind).toBe('pdf');
    expect(compactText(ex.rawText)).toBe(compactText(txt('003_947bd769dad19b2f')));
    expect(ex.warnings).toHaveLength(1);
    expect(ex.warnings[0]?.zh).toMatch(/扩展名 \.docx 与文件内容不符.*PDF/);
    expect(ex.warnings[0]?.en).toMatch(/says \.docx but the content is PDF/);
  });

  it('the same bytes with no name, or a matching name, get no warning', async () => {
    expect((await extractDocument(bytes('bad/fake_docx_renamed.pdf'))).warnings).toEqual([]);
    expect((await extractDocument(bytes('bad/fake_docx_renamed.pdf'), { declaredName: 'x/草稿.DOCX' })).warnings).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Synthetic inputs
// ---------------------------------------------------------------------------------------

describe('extractDocument on synthetic inputs', () => {
  it('empty file → EMPTY; whitespace-only text → EMPTY', async () => {
    expectActionable(await extractionError(new Uint8Array(0)), 'EMPTY');
    expectActionable(await extractionError(enc(' \n\t\u3000\r\n')), 'EMPTY');
  });

  it('over maxBytes → TOO_LARGE, before any parsing', async () => {
    const err = await extractionError(bytes('bad/fake_exe.pdf'), { maxBytes: 1000 });
    expectActionable(err, 'TOO_LARGE');
    expect(DEFAULT_MAX_BYTES).toBe(20 * 1024 * 1024);
    await expect(extractDocument(enc('政务公开'), { maxBytes: 12 })).resolves.toMatchObject({ kind: 'text' });
    expect((await extractionError(enc('政务公开'), { maxBytes: 11 })).code).toBe('TOO_LARGE');
  });

  it('UTF-8 plain text (BOM dropped) → text/plain', async () => {
    const ex = await extractDocument(enc('\uFEFF运盐政办发〔２０２０〕６０ 号\r\n\r\n（此件公开发布）'), { declaredName: 'a.txt' });
    expect(ex).toMatchObject({ kind: 'text', mediaType: 'text/plain', warnings: [] });
    expect(ex.rawText).toBe('运盐政办发〔２０２０〕６０ 号\r\n\r\n（此件公开发布）');
    expect(ex.text).toBe('运盐政办发〔2020〕60号\n（此件公开发布）');
    expect(ex.chars).toBe(ex.text.length);
  });

  it('GBK text, GIF/BMP images, legacy .doc → UNSUPPORTED_TYPE with a specific hint; encrypted Word → ENCRYPTED', async () => {
    const gbk = new Uint8Array([0xd5, 0xfe, 0xce, 0xf1, 0xb9, 0xab, 0xbf, 0xaa]); // 政务公开 in GBK
    expect((await extractionError(gbk)).zh).toContain('UTF-8');
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0]);
    expect((await extractionError(gif)).zh).toContain('PNG、JPEG 或 TIFF');
    // PNG, JPEG and TIFF are scans: named for OCR (page 1), not refused (issue 14).
    const png = await extractDocument(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    expect(png).toMatchObject({ kind: 'png', mediaType: 'image/png', pages: 1, ocrPages: [1], text: '' });
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const doc = await extractionError(ole);
    expectActionable(doc, 'UNSUPPORTED_TYPE');
    expect(doc.zh).toContain('.doc');
    ole.set(Uint8Array.from([...'EncryptedPackage'].flatMap((c) => [c.charCodeAt(0), 0])), 512);
    expectActionable(await extractionError(ole), 'ENCRYPTED');
  });

  it('a PDF with text-less pages → those pages named for OCR, the text layer of the others kept per page; all text-less → all named', async () => {
    const ex = await extractDocument(minimalPdf(['Hello disclosure world', '']));
    expect(ex.pages).toBe(2);
    expect(ex.text).toBe('Hello disclosure world');
    expect(ex.ocrPages).toEqual([2]);
    expect(ex.pageTexts).toEqual(['Hello disclosure world', '']);
    expect(ex.warnings).toEqual([]);
    const mostly = await extractDocument(minimalPdf(['Hello disclosure world', '', '', '', '']));
    expect(mostly.ocrPages).toEqual([2, 3, 4, 5]);
    expect((await extractDocument(minimalPdf(['']))).ocrPages).toEqual([1]);
    // A PDF with a text layer on every page is as before: nothing for OCR.
    expect((await extractDocument(minimalPdf(['Hello disclosure world']))).ocrPages).toBeUndefined();
  });

  it('PDF header after some leading junk is still a PDF', async () => {
    const pdf = minimalPdf(['Leading junk is tolerated']);
    const junk = new Uint8Array(300).fill(0);
    const ex = await extractDocument(new Uint8Array([...junk, ...pdf]));
    expect(ex.text).toBe('Leading junk is tolerated');
  });

  it("does not detach or modify the caller's bytes", async () => {
    const input = bytes('pdf/004_a31f9dc5403041b8.pdf');
    const copy = input.slice();
    await extractDocument(input);
    expect(input.byteLength).toBe(copy.byteLength);
    expect(Buffer.compare(input, copy)).toBe(0);
  });

  it('a minimal DOCX extracts; an empty DOCX → EMPTY; broken XML inside → DAMAGED with the cause kept', async () => {
    const ex = await extractDocument(minimalDocx(['古县人民政府办公室', '（此件主动公开）']));
    expect(ex.kind).toBe('docx');
    expect(ex.rawText).toBe('古县人民政府办公室\n\n（此件主动公开）\n\n');
    expect(ex.text).toBe('古县人民政府办公室\n（此件主动公开）');
    expectActionable(await extractionError(minimalDocx([])), 'EMPTY');
    const broken = await extractionError(minimalDocx([], '<w:document><w:body><w:p>'));
    expectActionable(broken, 'DAMAGED');
    expect(broken.cause).toBeInstanceOf(Error);
  });
});

// ---------------------------------------------------------------------------------------
// sniffKind
// ---------------------------------------------------------------------------------------

describe('sniffKind (by bytes, never by name)', () => {
  it('recognises the corpus', () => {
    for (const id of IDS) {
      expect(sniffKind(bytes(`pdf/${id}.pdf`))).toBe('pdf');
      expect(sniffKind(bytes(`docx/${id}.docx`))).toBe('docx');
      expect(sniffKind(bytes(`txt/${id}.txt`))).toBe('text');
    }
    expect(sniffKind(bytes('bad/fake_docx_renamed.pdf'))).toBe('docx');
    expect(sniffKind(bytes('bad/fake_pdf_renamed.docx'))).toBe('pdf');
    expect(sniffKind(bytes('bad/truncated_003.docx'))).toBe('docx'); // still a DOCX, damaged
    expect(sniffKind(bytes('bad/truncated_1k_004.pdf'))).toBe('pdf');
    expect(sniffKind(bytes('bad/fake_zip.pdf'))).toBeUndefined();
    expect(sniffKind(bytes('bad/fake_exe.pdf'))).toBeUndefined();
  });

  it('PDF header: at 0, or after junk within the first 1024 bytes, not later', () => {
    const pdf = enc('%PDF-1.7\n');
    const withJunk = (n: number) => new Uint8Array([...new Uint8Array(n).fill(0xff), ...pdf]);
    expect(sniffKind(pdf)).toBe('pdf');
    expect(sniffKind(withJunk(1024))).toBe('pdf');
    expect(sniffKind(withJunk(1025))).toBeUndefined();
  });

  it('ZIPs: only with word/document.xml', () => {
    expect(sniffKind(minimalDocx(['x']))).toBe('docx');
    expect(sniffKind(storedZip({ 'xl/workbook.xml': '<x/>' }))).toBeUndefined();
    expect(sniffKind(storedZip({ 'a.txt': 'word/document' }))).toBeUndefined();
  });

  it('text: UTF-8 without NUL/control bytes', () => {
    expect(sniffKind(enc('政务公开\r\n\tline\f'))).toBe('text');
    expect(sniffKind(enc('plain ascii'))).toBe('text');
    expect(sniffKind(enc('a\u0000b'))).toBeUndefined();
    expect(sniffKind(enc('a\u001bb'))).toBeUndefined();
    expect(sniffKind(new Uint8Array([0x61, 0xc3]))).toBeUndefined(); // truncated UTF-8
    expect(sniffKind(new Uint8Array(0))).toBeUndefined();
    expect(sniffKind(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg'); // a scan: read by OCR (issue 14)
    expect(sniffKind(enc('II*\u0000'))).toBe('tiff');
    expect(sniffKind(enc('GIF89a'))).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------
// normaliseText / compactText
// ---------------------------------------------------------------------------------------

describe('normaliseText', () => {
  it.each([
    ['运盐政办发〔２０２０〕６０ 号', '运盐政办发〔2020〕60号'],
    ['2022 年 12 月 10 日', '2022年12月10日'],
    ['晋政办发〔2020〕38 号', '晋政办发〔2020〕38号'],
    ['ＩＰｖ６ 改造', 'IPv6改造'],
    ['梁 阳（县政府办）', '梁阳（县政府办）'],
    ['古县人民政府办公室 关于印发 通 知', '古县人民政府办公室关于印发通知'],
    ['\u3000\u3000一、总体目标\u3000', '一、总体目标'],
    ['Open  Government\tData 平台', 'Open Government Data平台'],
    ['a\r\nb\rc\fd', 'a\nb\nc\nd'],
    ['\n\n  第一行  \n\n\n第二行\n \n', '第一行\n第二行'],
    ['x\u200By\uFEFF\u0000', 'xy'],
    ['정부 정보 공개', '정부 정보 공개'], // Hangul keeps its word spaces
  ])('%j → %j', (raw, expected) => {
    expect(normaliseText(raw)).toBe(expected);
  });

  it('folds full-width digits and letters only — not NFKC (keeps （）〔〕：，“”)', () => {
    const s = '（此件公开发布）〔２０２０〕：，“公开”！';
    expect(normaliseText(s)).toBe('（此件公开发布）〔2020〕：，“公开”！');
    expect(normaliseText(s)).not.toBe(s.normalize('NFKC'));
  });

  it('compactText removes all whitespace, so a PDF line wrap cannot split a match', () => {
    expect(compactText('（运\n政办发〔2020〕2 号）')).toBe('（运政办发〔2020〕2号）');
    expect(containsPhrase('根据国办发〔2017〕\n47 号文件', '国办发〔２０１７〕４７号')).toBe(true);
    expect(containsPhrase('abc', '')).toBe(false);
  });

  const alphabet = fc.constantFrom(
    ...'政务公开运盐办发号年月日〔〕（）：，。、“”！ABCxyz0189０９ＡＺａｚ',
    ' ',
    '  ',
    '\t',
    '\n',
    '\r\n',
    '\r',
    '\u3000',
    '\u00a0',
    '\f',
    '\u200b',
    '\ufeff',
    '정부',
  );
  const mixedText = fc.array(alphabet, { maxLength: 60 }).map((a) => a.join(''));

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.oneof(mixedText, fc.string({ unit: 'binary', maxLength: 80 })), (s) => {
        const once = normaliseText(s);
        expect(normaliseText(once)).toBe(once);
        expect(compactText(once)).toBe(compactText(s));
        expect(compactText(compactText(s))).toBe(compactText(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('a document number survives full-width digits and PDF-style spaces (property)', () => {
    const han = fc.constantFrom(...'运盐政办发国卫赣府厅晋古尤闽明建城规函公开');
    const fullWidth = (d: string) => String.fromCharCode(d.charCodeAt(0) + 0xfee0);
    const blank = fc.constantFrom(' ', '  ', '\t', '\u3000', '\u00a0', ' \t ');
    const docNumber = fc.record({
      prefix: fc.array(han, { minLength: 2, maxLength: 6 }).map((a) => a.join('')),
      year: fc.integer({ min: 1980, max: 2099 }),
      serial: fc.integer({ min: 1, max: 999 }),
    });
    fc.assert(
      fc.property(
        docNumber,
        fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), // which digits are full-width
        fc.array(fc.option(blank, { nil: undefined }), { minLength: 20, maxLength: 20 }), // blanks at gaps
        fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), // line breaks (compactText only)
        ({ prefix, year, serial }, wide, blanks, breaks) => {
          const canonical = `${prefix}〔${year}〕${serial}号`;
          const chars = [...canonical];
          const isDigit = (c: string | undefined) => c !== undefined && /[0-9]/.test(c);
          let pdfLike = '';
          let wrapped = '';
          chars.forEach((c, i) => {
            const shown = isDigit(c) && wide[i % 20] ? fullWidth(c) : c;
            pdfLike += shown;
            wrapped += shown;
            const next = chars[i + 1];
            if (next === undefined) return;
            // PDF tools put spaces at CJK–digit gaps, never inside a run of digits.
            const gap = blanks[i % 20];
            if (gap !== undefined && !(isDigit(c) && isDigit(next))) pdfLike += gap;
            if (breaks[i % 20]) wrapped += '\n';
          });
          expect(normaliseText(pdfLike)).toBe(canonical);
          expect(normaliseText(`根据 ${pdfLike} 文件`)).toBe(`根据${canonical}文件`);
          expect(compactText(wrapped)).toBe(canonical);
          expect(containsPhrase(`（${wrapped}）`, canonical)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

import { deflateRawSync, crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTRACT_ATTEMPTS_MAX, type Draft } from '#shared/domain/draft';
import { readFile } from 'node:fs/promises';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { uploadFile } from '#client/gongkai';
import { EXTRACT_LIMITS, extractDocument, ExtractionError } from '#shared/extract/index';
import { extractIsolated } from '#shared/extract/isolated';
import { ZIP_LIMITS } from '#shared/extract/zip';
import { createDraft } from '#shared/store';
import { validForm } from '../support/forms.ts';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 10, items 2 (part) and 8: a DOCX is checked before any reader inflates it — declared
 * sizes, total, entry count and compression ratio from the central directory, then each XML
 * part inflated with a cap (a header that lies is caught) — and XML declaring a DTD or
 * entities (XXE, billion laughs) is refused as unsafe, not reported as damaged. UTF-16 text
 * gets a specific message, as GBK text does. The hostile files are made here.
 */

interface Part {
  readonly name: string;
  readonly data: Buffer;
  /** Declare this inflated size instead of the real one (a lying header). */
  readonly declaredSize?: number;
}

/** A ZIP with deflated entries, written byte by byte (local headers, central directory, end record). */
function zip(parts: readonly Part[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const comp = deflateRawSync(p.data);
    const size = p.declaredSize ?? p.data.length;
    const crc = crc32(p.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, comp);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}

const CONTENT_TYPES = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
);
const documentXml = (body: string, prolog = '') =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>${prolog}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${body}</w:t></w:r></w:p></w:body></w:document>`,
  );
const docx = (doc: Buffer, extra: Part[] = []) => zip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: 'word/document.xml', data: doc }, ...extra]);

async function refusal(bytes: Uint8Array): Promise<ExtractionError> {
  const err = await extractDocument(bytes, { maxBytes: 50 * 1024 * 1024, declaredName: 'a.docx' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExtractionError);
  return err as ExtractionError;
}

describe('DOCX files that would exhaust memory', () => {
  it('a part declared 1 GiB is refused from the directory, before inflating', async () => {
    const err = await refusal(docx(documentXml('正文'), [{ name: 'word/media/big.bin', data: Buffer.from('x'), declaredSize: 1024 * 1024 * 1024 }]));
    expect(err.code).toBe('TOO_LARGE');
    expect(err.zh).toMatch(/解压后过大.*word\/media\/big\.bin/);
  });

  it('a 20 MB run of one character compressed to a few KB (ratio ≈ 1000:1) is refused by its ratio', async () => {
    const err = await refusal(docx(documentXml('一'.repeat(7 * 1024 * 1024))));
    expect(err.code).toBe('TOO_LARGE');
    expect(err.zh).toMatch(/压缩比 \d+:1/);
    expect(err.en).toMatch(/compression ratio/);
  });

  it('a header that lies (declares 2 KB, inflates to 8 MB) is caught while inflating, with a cap', async () => {
    const err = await refusal(docx(documentXml('正文'), [{ name: 'word/styles.xml', data: Buffer.alloc(8 * 1024 * 1024, 0x20), declaredSize: 2048 }]));
    expect(err.code).toBe('TOO_LARGE');
    expect(err.zh).toMatch(/实际解压后大于其声明的 2048 字节/);
  });

  it(`more than ${ZIP_LIMITS.entries} parts are refused`, async () => {
    const many = Array.from({ length: ZIP_LIMITS.entries + 1 }, (_, i) => ({ name: `word/media/p${i}.bin`, data: Buffer.from('x') }));
    const err = await refusal(docx(documentXml('正文'), many));
    expect(err.code).toBe('TOO_LARGE');
    expect(err.zh).toMatch(/部件，超过上限/);
  });
});

describe('DOCX files with unsafe XML', () => {
  it('XXE (an external entity reading /etc/passwd) is refused as unsafe, not as damaged', async () => {
    const err = await refusal(docx(documentXml('&xxe;', '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')));
    expect(err.code).toBe('UNSAFE');
    expect(err.zh).toMatch(/不安全的内容.*DTD 或实体/);
    expect(err.en).toMatch(/unsafe content/);
  });

  it('billion laughs (nested entities) is refused as unsafe', async () => {
    const lol =
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>';
    const err = await refusal(docx(documentXml('&lol3;', lol)));
    expect(err.code).toBe('UNSAFE');
  });

  it('a DTD in a part not named .xml, or in a UTF-16 part, is refused the same', async () => {
    const xxe = documentXml('&xxe;', '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>');
    const renamed = await refusal(docx(documentXml('正文'), [{ name: 'word/media/image1.png', data: xxe }]));
    expect(renamed.code).toBe('UNSAFE');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xxe.toString('utf8').replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]);
    const wide = await refusal(docx(documentXml('正文'), [{ name: 'word/settings.xml', data: utf16 }]));
    expect(wide.code).toBe('UNSAFE');
    // The text of an ordinary body may mention <!DOCTYPE> as words: only a declaration before the root counts.
    const ex = await extractDocument(docx(documentXml('示例：&lt;!DOCTYPE html&gt; 是网页的声明')), { maxBytes: 50 * 1024 * 1024, declaredName: 'a.docx' });
    expect(ex.text).toContain('<!DOCTYPE html>');
  });

  it('an ordinary generated DOCX still extracts', async () => {
    const ex = await extractDocument(docx(documentXml('关于做好政务公开工作的通知')), { maxBytes: 50 * 1024 * 1024, declaredName: 'a.docx' });
    expect(ex.text).toContain('关于做好政务公开工作的通知');
  });
});

/** A PDF of `pages` empty A4 pages, written object by object with a correct cross-reference table. */
function emptyPdf(pages: number): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Count ${pages} /Kids [${Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ')}] >>`,
    ...Array.from({ length: pages }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'),
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

describe('text length and page count', () => {
  it(`a 5,000-page empty PDF is refused by its page count (limit ${EXTRACT_LIMITS.pdfPages}), before any page is parsed`, async () => {
    const err = await extractDocument(emptyPdf(5000), { declaredName: 'a.pdf' }).then(
      () => undefined,
      (e: unknown) => e as ExtractionError,
    );
    expect(err?.code).toBe('TOO_LARGE');
    expect(err?.zh).toMatch(/共 5,000 页，超过上限 1,000 页/);
    expect(err?.en).toMatch(/5,000 pages, over the 1,000-page limit/);
  });

  it(`a text longer than ${EXTRACT_LIMITS.textChars.toLocaleString('en-US')} characters is refused with its length`, async () => {
    const line = '各乡镇人民政府、县直各部门：现将有关事项通知如下。\n';
    const text = line.repeat(Math.ceil((EXTRACT_LIMITS.textChars + 1000) / line.length));
    const err = await extractDocument(new Uint8Array(Buffer.from(text)), { maxBytes: 20 * 1024 * 1024, declaredName: 'a.txt' }).then(
      () => undefined,
      (e: unknown) => e as ExtractionError,
    );
    expect(err?.code).toBe('TOO_LARGE');
    expect(err?.zh).toMatch(/正文过长（约 [\d,]+ 字符），超过上限 2,000,000 字符/);
    expect(err?.en).toMatch(/too long/);
  });
});

describe('extraction isolated in a worker with its own limits', () => {
  it('a file that needs more heap than the worker has ends that worker as TOO_COMPLEX; this process carries on and the next file extracts', async () => {
    const bytes = await readFile(corpus('pdf-variants/large_199p.docx'));
    // 96 MB: less than this 199-page DOCX needs (measured); the production limit is EXTRACT_LIMITS.heapMb.
    const err = await extractIsolated(bytes, {}, { heapMb: 96, timeMs: EXTRACT_LIMITS.timeMs }).then(
      () => undefined,
      (e: unknown) => e as ExtractionError,
    );
    expect(err).toBeInstanceOf(ExtractionError);
    expect(err?.code).toBe('TOO_COMPLEX');
    expect(err?.zh).toMatch(/所需内存超过上限（96 MB）/);
    expect(err?.en).toMatch(/needed more than 96 MB of memory/);
    const ex = await extractIsolated(bytes);
    expect(ex.chars).toBeGreaterThan(100_000);
  });

  it('a file that takes longer than the time limit is stopped as TOO_COMPLEX; the next file extracts', async () => {
    const bytes = await readFile(corpus('pdf-variants/large_199p.pdf'));
    const err = await extractIsolated(bytes, {}, { heapMb: EXTRACT_LIMITS.heapMb, timeMs: 200 }).then(
      () => undefined,
      (e: unknown) => e as ExtractionError,
    );
    expect(err?.code).toBe('TOO_COMPLEX');
    expect(err?.zh).toMatch(/提取文字超过时限/);
    expect(err?.en).toMatch(/took longer than/);
    const ex = await extractIsolated(bytes);
    expect(ex.pages).toBe(199);
  });

  it('ExtractionErrors raised in the worker arrive whole (code, Chinese, English)', async () => {
    const err = await extractIsolated(emptyPdf(1500), { declaredName: 'a.pdf' }).then(
      () => undefined,
      (e: unknown) => e as ExtractionError,
    );
    expect(err).toBeInstanceOf(ExtractionError);
    expect(err?.code).toBe('TOO_LARGE');
    expect(err?.zh).toMatch(/共 1,500 页/);
  });
});

describe('UTF-16 text', () => {
  const text = '关于做好政务公开工作的通知\n各乡镇人民政府：\n';
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le).swap16();
  for (const [name, bytes] of [
    ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
    ['UTF-16 LE without a BOM (ASCII among it)', Buffer.from(`Notice 2024\n${text}`, 'utf16le')],
  ] as const) {
    it(`${name} gets a specific message naming UTF-16 and what to do`, async () => {
      const err = await extractDocument(new Uint8Array(bytes), { maxBytes: 1024 * 1024, declaredName: 'a.txt' }).then(
        () => undefined,
        (e: unknown) => e as ExtractionError,
      );
      expect(err?.code).toBe('UNSUPPORTED_TYPE');
      expect(err?.zh).toMatch(/UTF-16.*须为 UTF-8/);
      expect(err?.en).toMatch(/UTF-16/);
    });
  }
});

describe('a draft whose extraction never finishes (a crash on every attempt)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.cleanup());

  it(`is re-sent ${EXTRACT_ATTEMPTS_MAX} times by the reconciler, then rejected with FILE-1 and its reason — not re-sent for ever`, async () => {
    // The stalled draft: EXTRACTING, its pinned copy gone, so every extraction attempt throws.
    const id = `STALL${String(Date.now()).padStart(21, '0')}`;
    const at = new Date(Date.now() - 3600_000).toISOString();
    await createDraft({
      id,
      version: 1,
      revision: 1,
      status: 'EXTRACTING',
      form: validForm({ title: `提取中断 ${id}` }) as Draft['form'],
      submitter: { sub: 'u-drafter-fgw', name: '王明（区发展和改革局）', role: 'drafter' },
      files: {
        document: {
          key: `uploads/${id}/r1/document`,
          fileName: 'a.docx',
          contentType: 'text/plain',
          maxBytes: 1000,
          pinned: { key: `extracted/${id}/r1/document.x.original`, sha256: 'x', size: 10 },
        },
      },
      findings: [],
      history: [],
      createdAt: at,
      updatedAt: at,
      stageEnteredAt: at,
    });
    const requeues: number[] = [];
    for (let run = 0; run < EXTRACT_ATTEMPTS_MAX + 3; run++) {
      const report = await stack.invoke<{ requeued: { id: string }[] }>('reconcile', { stageSeconds: 0 });
      requeues.push(report.requeued.filter((r) => r.id === id).length);
      await stack.settle();
    }
    expect(requeues.reduce((a, b) => a + b, 0)).toBe(EXTRACT_ATTEMPTS_MAX);
    const d = await stack.drafter.getDraft(id);
    expect(d.status).toBe('REJECTED');
    expect(d.history.filter((h) => h.event === 'EXTRACT_RETRIED')).toHaveLength(EXTRACT_ATTEMPTS_MAX);
    const finding = d.findings.find((f) => f.ruleId === 'FILE-1');
    expect(finding?.zh).toMatch(/提取 \d+ 次均未完成.*停止重试/);
    expect(finding?.en).toMatch(/did not finish after \d+ attempts/);
  });

  it('a 5,000-page PDF submitted through the API is rejected with FILE-1 and its page count; the original is kept; a draft beside it reaches the approver', async () => {
    const big = emptyPdf(5000);
    const form = validForm({ title: `五千页空白文件 ${Date.now()}` });
    const created = await stack.drafter.createDraft({ form, files: { document: { fileName: 'blank.pdf', contentType: 'application/pdf', size: big.length } } });
    const good = new TextEncoder().encode('关于做好2024年政务公开工作的通知\n各乡镇人民政府：\n现将有关事项通知如下，请认真贯彻落实。\n');
    const other = await stack.drafter.createDraft({
      form: validForm({ title: `同时提交的文件 ${Date.now()}` }),
      files: { document: { fileName: 'n.txt', contentType: 'text/plain', size: good.length } },
    });
    await Promise.all([uploadFile(created.uploads[0]!, big, 'blank.pdf'), uploadFile(other.uploads[0]!, good, 'n.txt')]);
    const d = await stack.drafter.waitForStatus(created.id, ['REJECTED']);
    const finding = d.findings.find((f) => f.ruleId === 'FILE-1');
    expect(finding?.zh).toMatch(/共 5,000 页，超过上限 1,000 页/);
    expect(finding?.en).toMatch(/5,000 pages/);
    // The drafter's upload is kept (it is not classified): what was refused can be looked at.
    const kept = await stack.s3.send(new HeadObjectCommand({ Bucket: stack.names.buckets.drafts, Key: `uploads/${created.id}/r1/document` }));
    expect(kept.ContentLength).toBe(big.length);
    const o = await stack.drafter.waitForStatus(other.id, ['PENDING_APPROVAL', 'REJECTED']);
    expect(o.findings.filter((f) => f.ruleId === 'FILE-1')).toEqual([]);
  });
});

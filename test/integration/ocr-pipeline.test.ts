import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { fileSpec, uploadFile, type GongkaiClient } from '#client/gongkai';
import { ocrNote, run as submitCli, type Report } from '#cli/submit';
import type { CreateDraftRequest } from '#shared/api';
import { ownDocumentNumber } from '#shared/rules/index';
import { validForm } from '../support/forms.ts';
import { claimFor } from '../support/api.ts';
import { pdfOf, scanPng } from '../support/scans.ts';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 14 through the local stack: scans are read (OCR), not refused. The OCR stage runs in
 * its own child process (shared/extract/ocr-isolated.ts) on the ocr queue; the draft gets its
 * text marked as OCR, page by page with the engine's confidence, and runs through the rulebook
 * like any text — a 秘密★ mark or （此件不予公开） on a scan is caught as in a text layer.
 */
let stack: TestStack;
const dirs: string[] = [];
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => {
  await stack?.cleanup();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** The form of corpus document 002 (its scan is bad/scanned_002.pdf). */
const form002 = validForm({
  title: '古县人民政府办公室关于印发古县2022年政务公开工作要点的通知',
  documentNumber: '古政办发〔2022〕30号',
  documentDate: '2022-06-09',
});

type FileSpec = CreateDraftRequest['files']['document'];

async function submitBytes(client: GongkaiClient, bytes: Uint8Array, spec: Omit<FileSpec, 'size'>, form = validForm()) {
  const created = await client.createDraft({ form, files: { document: { ...spec, size: bytes.length } } });
  await uploadFile(created.uploads[0]!, bytes, spec.fileName);
  return created;
}

async function extracted(id: string): Promise<string> {
  const list = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.drafts, Prefix: `extracted/${id}/r1/document.normalised` }));
  const key = list.Contents?.[0]?.Key;
  if (!key) return '';
  return (await (await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.drafts, Key: key }))).Body!.transformToString()).trim();
}

const han = (s: string) => [...s].filter((c) => /\p{Script=Han}/u.test(c));
/** 1 − edit distance over Han characters, in order (issue 14.3). */
function hanAccuracy(got: string, want: string): number {
  const a = han(got);
  const b = han(want);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return 1 - prev[b.length]! / Math.max(1, b.length);
}

describe('bad/scanned_002.pdf (two scanned pages, no text layer)', () => {
  it('is read by OCR, marked page by page, checked by the rulebook, and waits for the approver', async () => {
    const { spec, bytes } = await fileSpec(corpus('bad/scanned_002.pdf'));
    const created = await submitBytes(stack.drafter, bytes, spec, form002);
    const d = await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED'], 600_000);
    const blocking = d.findings.filter((f) => f.severity === 'block');
    expect(blocking, JSON.stringify(blocking)).toEqual([]);
    expect(d.status).toBe('PENDING_APPROVAL');

    // Marked as OCR: both pages, the engine, a confidence per page.
    const doc = d.files.document!;
    expect(doc.kind).toBe('pdf');
    expect(doc.pages).toBe(2);
    expect(doc.ocr?.engine).toBeTruthy();
    expect(doc.ocr?.pending).toBeUndefined();
    expect(doc.ocr?.pages.map((p) => p.page)).toEqual([1, 2]);
    for (const p of doc.ocr!.pages) {
      expect(p.confidence).toBeGreaterThan(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
      expect(p.chars).toBeGreaterThan(50);
    }
    const notice = d.findings.find((f) => f.ruleId === 'FILE-2' && f.severity === 'info');
    expect(notice?.zh).toMatch(/文字由 OCR 识别/);
    expect(notice?.en).toMatch(/recognised by OCR/);
    // The history says where the text came from.
    expect(d.history.map((h) => h.event)).toEqual(expect.arrayContaining(['OCR_QUEUED', 'EXTRACTED', 'CHECKED']));

    // The text is the document's: its number, its marker, its words in order.
    const text = await extracted(created.id);
    // The number as the scan was read (its brackets are not rewritten), found as the document's own number.
    expect(ownDocumentNumber(text)?.canonical).toBe('古政办发〔2022〕30号');
    expect(text).toContain('此件公开发布');
    const want = await readFile(corpus('txt/002_6bc38a5105b87f60.txt'), 'utf8');
    // The scan holds the first two pages of the document: compare with as many Han characters of the text.
    const wantPrefix = han(want).slice(0, han(text).length).join('');
    expect(hanAccuracy(text, wantPrefix)).toBeGreaterThanOrEqual(0.97);
    // The rulebook ran on the recognised text: the declared number was found in it (no ATTR-4 number finding).
    expect(d.findings.filter((f) => f.ruleId === 'ATTR-4')).toEqual([]);
  }, 600_000);
});

describe('a published scan', () => {
  it('shows its recognised text as the page’s text, says it was read by OCR, and offers the original beside it', async () => {
    const { spec, bytes } = await fileSpec(corpus('bad/scanned_002.pdf'));
    const created = await submitBytes(stack.drafter, bytes, spec, form002);
    const pending = await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED'], 600_000);
    expect(pending.status).toBe('PENDING_APPROVAL');
    const claim = await claimFor(stack.approver, created.id);
    await stack.approver.decide(created.id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' });
    const published = await stack.drafter.waitForStatus(created.id, ['PUBLISHED'], 120_000);
    const page = await (await fetch(published.publication!.url)).text();
    const body = page.slice(page.indexOf('<div class="body">'));
    // The page's text is the recognised text (words of the scan's body), not a link in its place.
    expect(body.replace(/<[^>]+>|\s/g, '')).toContain('此件公开发布');
    expect(han(body).length).toBeGreaterThan(500);
    // Read by OCR, said so where the text is shown; the original prevails and is offered beside it.
    expect(page).toContain('正文由扫描件经文字识别（OCR）得出，如与原件不一致，以原件为准。');
    expect(page.indexOf('ocr-note')).toBeLessThan(page.indexOf('<div class="body">'));
    expect(page).toMatch(/<a href="\.\.\/[^"]+\.pdf" download>下载原文件（PDF/);
  }, 600_000);
});

describe('a scan carrying a mark', () => {
  it('秘密★ on a scanned image (PNG): blocked by ATTR-5 and every byte removed, as a text layer’s mark is', async () => {
    const png = scanPng(['秘密★1年', '运城市盐湖区人民政府办公室', '关于做好有关工作的通知', '各乡镇人民政府：', '现将有关事项通知如下。']);
    const created = await submitBytes(stack.drafter, png, { fileName: 'scan.png', contentType: 'image/png' });
    const d = await stack.drafter.waitForStatus(created.id, ['REJECTED', 'PENDING_APPROVAL'], 300_000);
    expect(d.status).toBe('REJECTED');
    const attr5 = d.findings.find((f) => f.ruleId === 'ATTR-5' && f.severity === 'block');
    expect(attr5?.evidence?.some((e) => e.text?.includes('秘密'))).toBe(true);
    expect(d.files.document!.kind).toBe('png');
    expect(d.files.document!.ocr?.pages.map((p) => p.page)).toEqual([1]);
    await stack.settle();
    const after = await stack.drafter.getDraft(created.id);
    expect(after.history.some((h) => h.event === 'CLASSIFIED_PURGED')).toBe(true);
    // Every object of the draft is gone: the upload, the pinned copy, the recognised text and the page image.
    for (const prefix of [`uploads/${created.id}/`, `extracted/${created.id}/`]) {
      const list = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.drafts, Prefix: prefix }));
      expect(list.KeyCount ?? 0, prefix).toBe(0);
    }
  }, 300_000);

  it('a mixed PDF: the text layer page and the scanned page both give text, in page order; （此件不予公开） on the scan blocks a 主动公开 draft (ATTR-4)', async () => {
    const title = '运城市盐湖区人民政府办公室关于印发运城市盐湖区全面推进基层政务公开标准化规范化工作方案的通知';
    const pdf = await pdfOf([
      `运盐政办发〔2020〕60号\n${title}\n各乡镇人民政府，区直各有关单位：现将工作方案印发给你们，请认真贯彻执行。`,
      scanPng(['运城市盐湖区人民政府办公室', '2020年12月10日', '（此件不予公开）']),
    ]);
    const created = await submitBytes(stack.drafter, pdf, { fileName: 'mixed.pdf', contentType: 'application/pdf' });
    const d = await stack.drafter.waitForStatus(created.id, ['REJECTED', 'PENDING_APPROVAL'], 300_000);
    expect(d.files.document!.ocr?.pages.map((p) => p.page)).toEqual([2]);
    const text = (await extracted(created.id)).replace(/\s/g, '');
    // Page 1 from its text layer, then page 2 from OCR.
    const first = text.indexOf('运盐政办发〔2020〕60号');
    const second = text.indexOf('此件不予公开');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);
    expect(d.status).toBe('REJECTED');
    expect(d.findings.some((f) => f.ruleId === 'ATTR-4' && f.severity === 'block' && /不予公开/.test(f.zh))).toBe(true);
  }, 300_000);
});

describe('a scan with no text', () => {
  it('a blank scanned image is refused (FILE-1) with a bilingual reason, not accepted as empty', async () => {
    const created = await submitBytes(stack.drafter, scanPng([]), { fileName: 'blank.png', contentType: 'image/png' });
    const d = await stack.drafter.waitForStatus(created.id, ['REJECTED', 'PENDING_APPROVAL'], 300_000);
    expect(d.status).toBe('REJECTED');
    const block = d.findings.find((f) => f.severity === 'block');
    expect(block?.ruleId).toBe('FILE-1');
    expect(block?.zh).toMatch(/^文件正文：.*未识别出文字.*请/);
    expect(block?.en).toMatch(/no text/);
  }, 300_000);

  it('a blank page among scanned pages is listed for the drafter (FILE-2), not silently dropped', async () => {
    const pdf = await pdfOf([scanPng(['运城市盐湖区人民政府办公室', '关于做好有关工作的通知', '各乡镇人民政府：现将有关事项通知如下。']), scanPng([])]);
    const created = await submitBytes(stack.drafter, pdf, { fileName: 'with-blank.pdf', contentType: 'application/pdf' });
    const d = await stack.drafter.waitForStatus(created.id, ['REJECTED', 'PENDING_APPROVAL'], 300_000);
    expect(d.files.document!.ocr?.pages.map((p) => [p.page, p.chars > 0])).toEqual([
      [1, true],
      [2, false],
    ]);
    const blank = d.findings.find((f) => f.ruleId === 'FILE-2' && f.severity === 'warn' && f.zh.includes('第 2 页识别后没有任何文字'));
    expect(blank?.en).toContain('page(s) 2: no text after OCR');
  }, 300_000);
});

describe('the batch CLI on a scan', () => {
  /** The note column of the CLI's table, its wrapped lines joined (cli-table3 wraps a cell over several lines). */
  const noteColumn = (out: string): string =>
    out
      .split('\n')
      .filter((l) => l.startsWith('│'))
      .map((l) => l.split('│').at(-2)!.trim())
      .join('');

  it('says which pages were read by OCR and which to check, in its table and its report', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gongkai-submit-ocr-'));
    dirs.push(dir);
    const title = '运城市盐湖区人民政府办公室关于印发运城市盐湖区全面推进基层政务公开标准化规范化工作方案的通知';
    // Page 1 a text layer, page 2 a scan, page 3 a blank scan (nothing to read: to check).
    const pdf = await pdfOf([
      `运盐政办发〔2020〕60号\n${title}\n各乡镇人民政府，区直各有关单位：现将工作方案印发给你们，请认真贯彻执行。`,
      scanPng(['运城市盐湖区人民政府办公室', '2020年12月10日', '（此件公开发布）']),
      scanPng([]),
    ]);
    await writeFile(path.join(dir, 'scan.pdf'), pdf);
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify([{ file: 'scan.pdf', form: validForm({ title: '批量提交测试：扫描件' }) }]));
    const lines: string[] = [];
    const code = await submitCli(
      [dir, '--wait', '--timeout', '600', '--report', path.join(dir, 'report.json'), '--api', stack.apiUrl],
      (l) => lines.push(l),
      () => undefined,
    );
    const out = lines.join('\n');
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Report;
    const row = report.drafts[0]!;
    expect(row.status, out).toBe('PENDING_APPROVAL');
    expect(code, out).toBe(0);
    // The report: the file read by OCR, its pages, the engine, and the page lists as the API words them (the one to check).
    expect(row.ocr).toEqual([{ part: 'document', engine: expect.any(String), pages: [2, 3], text: { pages: '2–3', check: '3', pending: '' } }]);
    // The wording, in the table as the drafter reads it.
    expect(ocrNote(row.ocr)).toBe('OCR 第 2–3 页；请核对第 3 页 / check p. 3');
    expect(noteColumn(out).replace(/\s/g, '')).toContain('OCR第2–3页；请核对第3页/checkp.3');
  }, 600_000);

  it('words page lists as the API gives them (ranges), and a file still being read as such', () => {
    const text = (pages: string, check = '', pending = '') => ({ pages, check, pending });
    expect(ocrNote([{ part: 'document', pages: [1, 2, 3, 5, 7, 8], text: text('1–3、5、7–8', '2、7–8') }])).toBe('OCR 第 1–3、5、7–8 页；请核对第 2、7–8 页 / check p. 2, 7–8');
    expect(ocrNote([{ part: 'document', pages: [], pending: [4, 5, 6], text: text('', '', '4–6') }])).toBe('OCR 识别中：第 4–6 页');
    expect(ocrNote([{ part: 'document', pages: [1], text: text('1') }])).toBe('OCR 第 1 页');
    expect(ocrNote(undefined)).toBe('');
  });
});

/** Pids of the OCR child processes this test process started (through the local stack), from /proc. */
function ocrChildren(): number[] {
  const parentOf = (pid: number): number | undefined => {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …" — comm may hold spaces: read after the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return undefined;
    }
  };
  const mine = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 8; p = parentOf(p), hops++) if (p === process.pid) return true;
    return false;
  };
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('ocr-child.mjs') && mine(pid)) out.push(pid);
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

describe('a heavy scan does not freeze the API (issue 14.1)', () => {
  it('answers GETs while the OCR child reads a many-page scan, before the scan is read', async () => {
    const PAGES = 8;
    const scan = await pdfOf(
      Array.from({ length: PAGES }, (_, i) =>
        scanPng([
          `第${i + 1}页`,
          '运城市盐湖区人民政府办公室',
          '关于做好政务公开有关工作的通知',
          '各乡镇人民政府，区直各有关单位：',
          '现将有关事项通知如下，请认真贯彻执行。',
          '一、提高认识，加强领导。',
          '二、突出重点，狠抓落实。',
          '三、强化监督，务求实效。',
        ]),
      ),
    );
    const created = await submitBytes(stack.drafter, scan, { fileName: 'heavy-scan.pdf', contentType: 'application/pdf' });
    const get = async (url: string, token: string): Promise<{ status: number; ms: number }> => {
      const t0 = performance.now();
      const res = await fetch(`${stack.apiUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - t0 };
    };
    const endpoints: readonly [string, string][] = [
      ['/me', 'dev-drafter-fgw'],
      [`/drafts/${created.id}`, 'dev-drafter-fgw'],
      ['/openapi.json', 'dev-drafter-fgw'],
      ['/tasks', 'dev-approver-li'],
    ];
    const deadline = Date.now() + 600_000;
    let roundsDuringOcr = 0;
    let maxMs = 0;
    // Until the draft is checked: each round of GETs counts when the OCR child was alive before and after it,
    // and the draft was still waiting for its pages (so every answer came while the scan was being read).
    for (;;) {
      const d = await stack.drafter.getDraft(created.id);
      if (d.status === 'PENDING_APPROVAL' || d.status === 'REJECTED') break;
      if (Date.now() > deadline) throw new Error('the scan was not read in time');
      const before = ocrChildren();
      if (d.status !== 'EXTRACTING' || before.length === 0) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const answers = await Promise.all(endpoints.map(([url, token]) => get(url, token)));
      const after = ocrChildren();
      const still = await stack.drafter.getDraft(created.id);
      expect(answers.map((a) => a.status)).toEqual(endpoints.map(() => 200));
      if (after.some((pid) => before.includes(pid)) && still.status === 'EXTRACTING' && (still.files.document?.ocr?.pending?.length ?? 0) > 0) {
        roundsDuringOcr++;
        maxMs = Math.max(maxMs, ...answers.map((a) => a.ms));
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`API during OCR of ${PAGES} scanned pages: ${roundsDuringOcr} rounds of ${endpoints.length} GETs, slowest answer ${maxMs.toFixed(0)} ms`);
    expect(roundsDuringOcr).toBeGreaterThanOrEqual(3);
    // And the scan was read in the end: every page by OCR.
    const done = await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED'], 60_000);
    expect(done.files.document?.ocr?.pages.map((p) => p.page)).toEqual(Array.from({ length: PAGES }, (_, i) => i + 1));
  }, 700_000);
});

describe('a scan longer than one run (the run budget follows the invocation’s time left)', () => {
  // ocr-document's context reports 361 s instead of 900 s: 1 s of budget once the reserve is kept,
  // so each run reads one call (8 pages) and sends the rest to the next run, as a 400-page scan does in AWS.
  let short: TestStack;
  beforeAll(async () => {
    short = await startTestStack({ timeouts: { 'ocr-document': 361 } });
  }, 120_000);
  afterAll(async () => {
    await short?.cleanup();
  });

  it('is read over several runs, every page once and in order, and goes on to the approver', async () => {
    const PAGES = 17;
    const scan = await pdfOf(Array.from({ length: PAGES }, (_, i) => scanPng([`第${i + 1}页`, '关于做好政务公开有关工作的通知', '现将有关事项通知如下，请认真贯彻执行。'])));
    const created = await submitBytes(short.drafter, scan, { fileName: 'long-scan.pdf', contentType: 'application/pdf' });
    const d = await short.drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED'], 600_000);
    expect(d.status, JSON.stringify(d.findings.filter((f) => f.severity === 'block'))).toBe('PENDING_APPROVAL');
    // 17 pages, 8 per call, one call per run: three runs, so two notes of pages left.
    const progress = d.history.filter((h) => h.event === 'OCR_PROGRESS');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]?.note).toMatch(/尚有第 9–17 页待识别/);
    expect(d.files.document?.ocr?.pending).toBeUndefined();
    expect(d.files.document?.ocr?.pages.map((p) => p.page)).toEqual(Array.from({ length: PAGES }, (_, i) => i + 1));
    // The text holds each page's own words, in page order.
    const list = await short.s3.send(new ListObjectsV2Command({ Bucket: short.names.buckets.drafts, Prefix: `extracted/${created.id}/r1/document.normalised` }));
    const text = await (await short.s3.send(new GetObjectCommand({ Bucket: short.names.buckets.drafts, Key: list.Contents![0]!.Key! }))).Body!.transformToString();
    const order = Array.from({ length: PAGES }, (_, i) => text.indexOf(`第${i + 1}页`));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  }, 660_000);
});

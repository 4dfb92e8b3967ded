import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { uploadFile, type DraftView, type GongkaiClient } from '#client/gongkai';
import { resetClock, setClock } from '#shared/clock';
import { claimFor, dlqDepth } from '../support/api.ts';
import { validForm } from '../support/forms.ts';
import { DOCX_TYPE, docxBytes } from '../support/publish.ts';
import { corpus, startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 10, item 1: the bytes approved are the bytes published. A presigned form can be
 * used again until it expires (and the local emulator never expires it), so everything
 * after extraction must read the bytes extraction pinned, and an upload after the form's
 * expiry must be refused by the pipeline itself. Item 8 (part): a published original is
 * typed by its sniffed content, never by the uploader's declaration.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  resetClock();
  await stack?.cleanup();
});
afterEach(() => resetClock());

const enc = (s: string) => new TextEncoder().encode(s);
const form = validForm();
const HARMLESS = `${form.title}\n${form.documentNumber}\n各乡镇人民政府，区直各有关单位：\n现将《运城市盐湖区全面推进基层政务公开标准化规范化工作方案》印发给你们，请结合实际认真贯彻落实。\n运城市盐湖区人民政府办公室\n2020年12月10日\n`;
const SECRECY = '（此件不予公开）';
const ID_NUMBER = '142701198807150036';
const SWAPPED = `${SECRECY}\n${form.title}\n联系人身份证号：${ID_NUMBER}\n内部掌握，不得外传。\n`;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const historyLine = (client: GongkaiClient, id: string, event: string) =>
  waitFor(`${event} on ${id}`, async () => (await client.getDraft(id)).history.find((h) => h.event === event));

async function approve(id: string): Promise<DraftView> {
  const claim = await claimFor(stack.approver, id);
  await stack.approver.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' });
  return stack.drafter.waitForStatus(id, ['PUBLISHED']);
}

/** The key of the original a publication offers for download. */
const originalOf = (d: DraftView): string | undefined => (d.publication as { file?: { key: string } } | undefined)?.file?.key;

/** Every object of the site bucket, as text. */
async function siteTexts(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const list = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.site }));
  for (const o of list.Contents ?? []) {
    const obj = await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.site, Key: o.Key! }));
    out.set(o.Key!, await obj.Body!.transformToString());
  }
  return out;
}

describe('a presigned upload form used again', () => {
  it('after PENDING_APPROVAL: the second upload is ignored in the history and the public original is the first file, byte for byte', async () => {
    const bytes = enc(HARMLESS);
    const created = await stack.drafter.createDraft({ form, files: { document: { fileName: 'notice.txt', contentType: 'text/plain', size: bytes.length } } });
    const upload = created.uploads[0]!;
    await uploadFile(upload, bytes, 'notice.txt');
    const pending = await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED']);
    expect(pending.status).toBe('PENDING_APPROVAL');

    // The attack: the same form, new content. The store accepts it (the form has not expired)…
    await uploadFile(upload, enc(SWAPPED), 'notice.txt');
    // …and the pipeline says so, bilingually, without changing what is under review.
    const ignored = await historyLine(stack.drafter, created.id, 'UPLOAD_IGNORED');
    expect(ignored.note).toMatch(/不予受理.* \/ .*ignored/);
    const after = await stack.drafter.getDraft(created.id);
    expect(after.status).toBe('PENDING_APPROVAL');
    expect(after.files.document!.size).toBe(bytes.length);
    expect(after.files.document!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const claim = await claimFor(stack.approver, created.id);
    expect(JSON.stringify(claim)).not.toContain(ID_NUMBER);

    await stack.approver.decide(created.id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' });
    const published = await stack.drafter.waitForStatus(created.id, ['PUBLISHED']);
    expect(originalOf(published)).toBe(`files/${created.id}.txt`);
    await stack.settle();

    const res = await fetch(`${stack.siteUrl}/files/${created.id}.txt`);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    // Nowhere on the public site: neither the secrecy mark nor the ID number.
    for (const [key, text] of await siteTexts()) {
      expect(text, key).not.toContain(ID_NUMBER);
      expect(text, key).not.toContain(SECRECY);
    }
  });

  it('between the claim and the decision: a write straight to the upload key changes nothing published', async () => {
    const bytes = enc(HARMLESS.replace('认真贯彻落实', '抓好贯彻落实'));
    const created = await stack.drafter.createDraft({ form, files: { document: { fileName: 'notice.txt', contentType: 'text/plain', size: bytes.length } } });
    await uploadFile(created.uploads[0]!, bytes, 'notice.txt');
    await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
    // Straight into the key, as a form would, after the approver read it and before publication.
    const claim = await claimFor(stack.approver, created.id);
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.names.buckets.drafts, Key: `uploads/${created.id}/r1/document`, Body: enc(SWAPPED), ContentType: 'text/plain' }));
    await historyLine(stack.drafter, created.id, 'UPLOAD_IGNORED');
    // The approver decides on what was pinned (the history line moved the draft's version on).
    const { version } = await stack.drafter.getDraft(created.id);
    await stack.approver.decide(created.id, { claimToken: claim.claimToken!, version, outcome: 'approve' });
    await stack.drafter.waitForStatus(created.id, ['PUBLISHED']);
    await stack.settle();
    const res = await fetch(`${stack.siteUrl}/files/${created.id}.txt`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });
});

describe('an upload form after its expiry', () => {
  it('is refused by the pipeline though the emulator stores it; fresh forms then work', async () => {
    const late = enc(SWAPPED);
    // The form was handed out two hours ago (the emulator does not enforce its expiry).
    const t0 = Date.now();
    setClock(() => new Date(Date.now() - 2 * 3600_000));
    const created = await stack.drafter.createDraft({ form, files: { document: { fileName: 'notice.txt', contentType: 'text/plain', size: late.length } } });
    resetClock();
    expect(new Date(created.uploads[0]!.expiresAt).getTime()).toBeLessThan(t0);
    await uploadFile(created.uploads[0]!, late, 'notice.txt');

    const refused = await historyLine(stack.drafter, created.id, 'UPLOAD_REFUSED');
    expect(refused.note).toMatch(/晚于上传表单的有效期.*不予受理.* \/ .*after its upload form expired/);
    await stack.settle();
    const still = await stack.drafter.getDraft(created.id);
    expect(still.status).toBe('AWAITING_UPLOAD');
    expect(still.files.document!.kind).toBeUndefined();
    // The reconciler counts the refused object as not received: it is not sent back to
    // extraction on every run (each would add nothing but load).
    const report = await stack.invoke<{ requeued: { id: string }[] }>('reconcile', { stageSeconds: 0 });
    expect(report.requeued.map((r) => r.id)).not.toContain(created.id);

    // The refused object counts as not received: fresh forms are handed out, and work.
    const renewed = await stack.drafter.renewUploads(created.id);
    expect(renewed.uploads).toHaveLength(1);
    const good = enc(HARMLESS.replace('认真贯彻落实', '切实贯彻落实'));
    await uploadFile(renewed.uploads[0]!, good, 'notice.txt');
    const pending = await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED']);
    expect(pending.status).toBe('PENDING_APPROVAL');
    expect(pending.files.document!.size).toBe(good.length);
    const published = await approve(created.id);
    await stack.settle();
    const res = await fetch(`${stack.siteUrl}/files/${published.id}.txt`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(good);
  });
});

describe('a declared Content-Type the bytes contradict', () => {
  const cases = [
    { name: 'a Word file declared as PDF', fileName: 'notice.pdf', declared: 'application/pdf' as const, bytes: async () => docxBytes(HARMLESS), ext: 'docx', type: DOCX_TYPE },
    {
      name: 'a text file declared as Word',
      fileName: 'notice.docx',
      declared: DOCX_TYPE,
      bytes: async () => enc(HARMLESS.replace('认真', '扎实')),
      ext: 'txt',
      type: 'text/plain; charset=utf-8',
    },
    {
      name: 'a PDF declared as text',
      fileName: 'notice.txt',
      declared: 'text/plain' as const,
      bytes: async () => new Uint8Array(await readFile(corpus('pdf/000_70017f665202e428.pdf'))),
      ext: 'pdf',
      type: 'application/pdf',
    },
  ];
  it.each(cases)('$name is published under the sniffed extension with the sniffed Content-Type', async (c) => {
    const bytes = await c.bytes();
    const created = await stack.drafter.createDraft({ form, files: { document: { fileName: c.fileName, contentType: c.declared, size: bytes.length } } });
    await uploadFile(created.uploads[0]!, bytes, c.fileName);
    const pending = await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED']);
    expect(pending.status, JSON.stringify(pending.findings)).toBe('PENDING_APPROVAL');
    const published = await approve(created.id);
    expect(originalOf(published)).toBe(`files/${created.id}.${c.ext}`);
    await stack.settle();
    const res = await fetch(`${stack.siteUrl}/files/${created.id}.${c.ext}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(c.type);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });
});

describe('the pinned copy', () => {
  it('altered after extraction: publication stops before writing a byte and the original is never offered', async () => {
    const bytes = enc(HARMLESS.replace('认真', '严格'));
    const created = await stack.drafter.createDraft({ form, files: { document: { fileName: 'notice.txt', contentType: 'text/plain', size: bytes.length } } });
    await uploadFile(created.uploads[0]!, bytes, 'notice.txt');
    const pending = await stack.drafter.waitForStatus(created.id, ['PENDING_APPROVAL']);
    const sha = pending.files.document!.sha256!;
    // Someone with write access to the drafts bucket (never a form holder) replaces the copy.
    await stack.s3.send(
      new PutObjectCommand({ Bucket: stack.names.buckets.drafts, Key: `extracted/${created.id}/r1/document.${sha}.original`, Body: enc(SWAPPED), ContentType: 'text/plain' }),
    );
    const claim = await claimFor(stack.approver, created.id);
    await stack.approver.decide(created.id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' });
    expect(await dlqDepth(stack, 'publish')).toBeGreaterThan(0);
    expect((await stack.drafter.getDraft(created.id)).status).toBe('PUBLISHING');
    const site = await siteTexts();
    expect([...site.keys()].filter((k) => k.includes(created.id))).toEqual([]);
    for (const [key, text] of site) expect(text, key).not.toContain(ID_NUMBER);
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { uploadFile } from '#client/gongkai';
import { itemSize, valueSize } from '#shared/aws/item-size';
import { resetClock, setClock } from '#shared/clock';
import {
  boundEvent,
  boundFindings,
  DRAFT_ITEM_MAX_BYTES,
  EVIDENCE_MAX,
  FINDINGS_MAX,
  HISTORY_NOTE_MAX,
  HISTORY_INLINE_MAX,
  LEASE_EXTENSIONS_PER_WINDOW,
  MAX_LEASE_LIFE_MS,
} from '#shared/domain/bounds';
import { SYSTEM, type Draft } from '#shared/domain/draft';
import type { Finding } from '#shared/domain/finding';
import { ItemTooLargeError } from '#shared/errors';
import { createDraft } from '#shared/store';
import { corpus } from '../support/corpus.ts';
import { validForm } from '../support/forms.ts';
import { apiError, claimFor } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Attacks on the size of a draft's item (issue 10, item 6): DynamoDB refuses an item past
 * 400 KB, counted in UTF-8 bytes (the local emulator counts characters, so Chinese text
 * never shows the limit locally). Each case grows a draft the way an attacker or a long
 * life would, through the real local stack, and measures the stored item as DynamoDB counts it.
 */

describe('itemSize counts as DynamoDB does', () => {
  it('strings and attribute names are UTF-8 bytes (a Chinese character is 3)', () => {
    expect(itemSize({ pk: 'DRAFT#1' })).toBe(2 + 7);
    expect(itemSize({ 名称: '政府信息公开' })).toBe(6 + 18);
    // What the emulator's character count misses: a third of the real size.
    const text = '中'.repeat(1000);
    expect(text.length).toBe(1000);
    expect(itemSize({ t: text })).toBe(1 + 3000);
  });

  it('numbers are 1 byte per two significant digits plus 1; Boolean and null are 1', () => {
    expect(itemSize({ n: 123 })).toBe(1 + 3); // 3 digits → 2 + 1
    expect(itemSize({ n: 1000 })).toBe(1 + 2); // trailing zeros trimmed: 1 digit
    expect(itemSize({ n: -0.05 })).toBe(1 + 2); // leading zeros trimmed: 1 digit
    expect(itemSize({ n: 12.5 })).toBe(1 + 3); // 3 digits
    expect(itemSize({ b: true, z: null })).toBe(2 + 2);
  });

  it('a list or map is 3 bytes plus 1 per element; map keys are counted', () => {
    expect(itemSize({ l: [] })).toBe(1 + 3);
    expect(itemSize({ l: ['ab', 1] })).toBe(1 + 3 + (1 + 2) + (1 + 2));
    expect(itemSize({ m: { a: 'x' } })).toBe(1 + 3 + (1 + 1 + 1));
    expect(itemSize({ m: { 键: ['值'] } })).toBe(1 + 3 + (1 + 3 + (3 + 1 + 3)));
    // Undefined values are not written (removeUndefinedValues), so not counted.
    expect(itemSize({ a: 'x', b: undefined, m: { c: undefined } })).toBe(2 + 1 + 3);
    expect(valueSize(new Uint8Array(10))).toBe(10);
  });

  it('matches a worked example of a flat item (141 bytes)', () => {
    const item = {
      itemType: 'SLOT',
      id: 'abc1231',
      hostName: 'Harry Mason',
      timeSlot: 'February 23, 1999',
      slotStatus: 'OPEN',
      createdAt: 'February 1, 1999',
      updatedAt: 'February 1, 1999',
      expiresAt: 2099,
    };
    expect(itemSize(item)).toBe(141);
  });
});

describe('the growing fields of a draft are capped', () => {
  const finding = (ruleId: string, severity: Finding['severity'], places: number): Finding => ({
    ruleId,
    severity,
    zh: '发现个人信息',
    en: 'personal data found',
    source: '002',
    evidence: Array.from({ length: places }, (_, i) => ({ in: 'document', text: `电话13900000000${'长'.repeat(i === 0 ? 500 : 0)}`, start: i, end: i + 11 })),
  });

  it('a rule matching 3,000 places keeps the first ones, each quote cut, and the count', () => {
    const [f] = boundFindings([finding('PUB-4', 'warn', 3000)]);
    expect(f!.evidence).toHaveLength(EVIDENCE_MAX);
    expect(f!.evidenceTotal).toBe(3000);
    expect(f!.evidence![0]!.text!.length).toBeLessThanOrEqual(200);
  });

  it('a flood of findings is cut without losing the blocking ones', () => {
    const many = [...Array.from({ length: FINDINGS_MAX + 50 }, () => finding('PUB-4', 'warn', 1)), finding('ATTR-1', 'block', 1)];
    const kept = boundFindings(many);
    expect(kept).toHaveLength(FINDINGS_MAX);
    expect(kept.filter((f) => f.severity === 'block')).toHaveLength(1);
  });

  it('a history note is cut to its bound', () => {
    const e = boundEvent({ at: '2026-01-01T00:00:00.000Z', actor: SYSTEM, event: 'X', note: '理'.repeat(5000) });
    expect(e.note!.length).toBe(HISTORY_NOTE_MAX);
  });
});

let stack: TestStack;
let raw: DynamoDBDocumentClient;

beforeAll(async () => {
  stack = await startTestStack();
  raw = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'us-east-1', endpoint: stack.endpoints.dynamodb, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }),
  );
});
afterAll(async () => {
  resetClock();
  raw?.destroy();
  await stack?.cleanup();
});
afterEach(() => resetClock());

/** The draft's item as stored, and its size as DynamoDB counts it. */
async function storedItem(id: string): Promise<{ item: Record<string, unknown>; bytes: number }> {
  const res = await raw.send(new GetCommand({ TableName: stack.names.table, Key: { pk: `DRAFT#${id}`, sk: 'DRAFT' }, ConsistentRead: true }));
  return { item: res.Item!, bytes: itemSize(res.Item!) };
}

async function historyItems(id: string): Promise<number> {
  const res = await raw.send(
    new QueryCommand({
      TableName: stack.names.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
      ExpressionAttributeValues: { ':pk': `DRAFT#${id}`, ':h': 'HIST#' },
      Select: 'COUNT',
    }),
  );
  return res.Count ?? 0;
}

/** Moves the application's clock to `at` (SQS keeps real time), ticking on from there. */
function clockAt(at: number): void {
  const t0 = Date.now();
  setClock(() => new Date(at + (Date.now() - t0)));
}

async function submitText(title: string, body: string) {
  const bytes = new TextEncoder().encode(body);
  const created = await stack.drafter.createDraft({
    form: validForm({ title, documentNumber: undefined }),
    files: { document: { fileName: 'doc.txt', contentType: 'text/plain', size: bytes.length } },
  });
  await uploadFile(created.uploads[0]!, bytes, 'doc.txt');
  return created.id;
}

const notice = () => readFileSync(corpus('txt/002_6bc38a5105b87f60.txt'), 'utf8');

describe('lease extensions (the 2,481-extension flood)', () => {
  it('2,500 extension attempts: the first 3 are accepted, the rest get 429, and the draft item stays bounded', async () => {
    const id = await submitText(`租约洪水 ${Date.now()}`, notice());
    await stack.drafter.waitForStatus(id, ['PENDING_APPROVAL']);
    const claim = await claimFor(stack.approver, id, { leaseSeconds: 600 });
    const before = (await storedItem(id)).bytes;

    const statuses = new Map<number, number>();
    for (let i = 0; i < 2500; i++) {
      const status = await stack.approver.extendLease(id, { claimToken: claim.claimToken!, leaseSeconds: 900 }).then(
        () => 200,
        (e: { status?: number }) => e.status ?? 0,
      );
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: LEASE_EXTENSIONS_PER_WINDOW, 429: 2500 - LEASE_EXTENSIONS_PER_WINDOW });

    // The refusal is bilingual and says when to come back.
    const res = await fetch(`${stack.apiUrl}/tasks/${id}/lease`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-approver-li', 'content-type': 'application/json' },
      body: JSON.stringify({ claimToken: claim.claimToken }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as { error: { code: string; zh: string; en: string } };
    expect(body.error.code).toBe('TooManyRequestsError');
    expect(body.error.zh).toMatch(/已延长 3 次/);
    expect(body.error.en).toMatch(/extended 3 times/);

    // One history line per accepted extension, none for the refused ones.
    const d = await stack.approver.getDraft(id);
    expect(d.history.filter((h) => h.event === 'LEASE_EXTENDED')).toHaveLength(LEASE_EXTENSIONS_PER_WINDOW);
    const { bytes } = await storedItem(id);
    expect(bytes).toBeLessThan(before + 2000);
    expect(bytes).toBeLessThan(DRAFT_ITEM_MAX_BYTES);
  }, 240_000);

  it('20 extensions at once on a fresh claim: at most 3 land, the rest get 429 or 409', async () => {
    const id = await submitText(`并发延长 ${Date.now()}`, notice());
    await stack.drafter.waitForStatus(id, ['PENDING_APPROVAL']);
    const claim = await claimFor(stack.approver, id, { leaseSeconds: 600 });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        stack.approver.extendLease(id, { claimToken: claim.claimToken!, leaseSeconds: 900 }).then(
          () => 200,
          (e: { status?: number }) => e.status ?? 0,
        ),
      ),
    );
    const accepted = statuses.filter((s) => s === 200).length;
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(accepted).toBeLessThanOrEqual(LEASE_EXTENSIONS_PER_WINDOW);
    expect(statuses.every((s) => s === 200 || s === 429 || s === 409)).toBe(true);
    const d = await stack.approver.getDraft(id);
    expect(d.history.filter((h) => h.event === 'LEASE_EXTENDED')).toHaveLength(accepted);
  });

  it('extensions spread over hours move old history lines out of the item, and the API still returns the whole history in order', async () => {
    const id = await submitText(`长期租约 ${Date.now()}`, notice());
    await stack.drafter.waitForStatus(id, ['PENDING_APPROVAL']);
    const start = Date.now();
    clockAt(start);
    const claim = await claimFor(stack.approver, id, { leaseSeconds: 600 });
    const windows = 12;
    // The w-th 11-minute window, plus ms (a minute after the claim, so every line is later than it).
    const inWindow = (w: number, ms: number) => start + 60_000 + w * 11 * 60_000 + ms;
    let extended = 0;
    for (let w = 0; w < windows; w++) {
      for (let i = 0; i < LEASE_EXTENSIONS_PER_WINDOW; i++) {
        clockAt(inWindow(w, i * 1000));
        await stack.approver.extendLease(id, { claimToken: claim.claimToken!, leaseSeconds: 1800 });
        extended++;
      }
      clockAt(inWindow(w, 5000));
      expect((await apiError(stack.approver.extendLease(id, { claimToken: claim.claimToken!, leaseSeconds: 1800 }))).status).toBe(429);
    }
    const { item, bytes } = await storedItem(id);
    expect((item.history as unknown[]).length).toBeLessThanOrEqual(HISTORY_INLINE_MAX);
    expect(bytes).toBeLessThan(DRAFT_ITEM_MAX_BYTES);
    expect(await historyItems(id)).toBeGreaterThan(0);

    const d = await stack.approver.getDraft(id);
    expect(d.historyTotal).toBe(d.history.length);
    expect(d.history[0]).toMatchObject({ event: 'SUBMITTED' });
    expect(d.history.filter((h) => h.event === 'LEASE_EXTENDED')).toHaveLength(extended);
    const times = d.history.map((h) => Date.parse(h.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Paging back from a position reads the lines before it.
    const older = await stack.approver.getDraft(id, { historyBefore: 5 });
    expect(older.history).toEqual(d.history.slice(0, 5));
    expect(older.historyFirst).toBe(0);
    // A page that spans the moved-out lines and those on the draft.
    const spanning = await stack.approver.getDraft(id, { historyBefore: d.history.length - 3 });
    expect(spanning.history).toEqual(d.history.slice(0, -3));

    // A lease never runs past 12 hours from the claim: a long request is cut to that end, then none is left.
    clockAt(inWindow(windows, 0));
    const last = await stack.approver.extendLease(id, { claimToken: claim.claimToken!, leaseSeconds: 43_200 });
    const since = Date.parse(d.history.find((h) => h.event === 'CLAIMED')!.at);
    expect(Date.parse(last.leaseUntil) - since).toBeLessThanOrEqual(MAX_LEASE_LIFE_MS);
    expect(Date.parse(last.leaseUntil) - since).toBeGreaterThan(MAX_LEASE_LIFE_MS - 5000);
    clockAt(inWindow(windows + 1, 0));
    const capped = await apiError(stack.approver.extendLease(id, { claimToken: claim.claimToken!, leaseSeconds: 600 }));
    expect(capped.status).toBe(409);
    expect(capped.body.error?.en).toMatch(/at most 12 hours/);
  }, 240_000);
});

describe('findings and revisions from a real corpus document', () => {
  it('a notice carrying 3,000 personal-data hits, returned and revised five times, stays bounded', async () => {
    let pii = '';
    for (let i = 0; i < 3000; i++) pii += `联系人张三，电话1390000${String(i).padStart(4, '0')}，身份证号11010519491231002X。\n`;
    const body = `${notice()}\n${pii}`;
    const title = `个人信息过多 ${Date.now()}`;
    const id = await submitText(title, body);
    let d = await stack.drafter.waitForStatus(id, ['PENDING_APPROVAL', 'REJECTED']);
    expect(d.status).toBe('PENDING_APPROVAL');
    for (const f of d.findings.filter((x) => x.ruleId === 'PUB-4')) {
      expect(f.evidence!.length).toBeLessThanOrEqual(EVIDENCE_MAX);
      expect((f as { evidenceTotal?: number }).evidenceTotal).toBeGreaterThanOrEqual(3000);
    }
    expect((await storedItem(id)).bytes).toBeLessThan(DRAFT_ITEM_MAX_BYTES);

    const bytes = new TextEncoder().encode(body);
    for (let r = 2; r <= 6; r++) {
      const claim = await claimFor(stack.approver, id);
      await stack.approver.decide(id, {
        claimToken: claim.claimToken!,
        version: claim.draft!.version,
        outcome: 'return',
        reason: `第 ${r - 1} 次退回：${'请删除个人信息。'.repeat(100)}`,
      });
      const revised = await stack.drafter.reviseDraft(id, {
        form: validForm({ title, documentNumber: undefined }),
        files: { document: { fileName: 'doc.txt', contentType: 'text/plain', size: bytes.length } },
      });
      expect(revised.revision).toBe(r);
      await uploadFile(revised.uploads[0]!, bytes, 'doc.txt');
      d = await stack.drafter.waitForStatus(id, ['PENDING_APPROVAL']);
    }
    const { item, bytes: size } = await storedItem(id);
    expect((item.history as unknown[]).length).toBeLessThanOrEqual(HISTORY_INLINE_MAX);
    expect(size).toBeLessThan(DRAFT_ITEM_MAX_BYTES);
    expect(d.history.filter((h) => h.event === 'REVISION_SUBMITTED')).toHaveLength(5);
    expect(d.historyTotal).toBe(d.history.length);
  }, 240_000);

  it('the store refuses to write a draft item over the bound, with a bilingual error', async () => {
    const d = await stack.drafter.getDraft(await submitText(`超大 ${Date.now()}`, notice()));
    const { item } = await storedItem(d.id);
    const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, ...draft } = item;
    // A value no API accepts (the form's own limits hold), written straight to the store.
    const huge = { ...(draft as Draft), id: `${d.id.slice(0, 20)}HUGE01`, form: { ...(draft as Draft).form, title: '标'.repeat(130_000) } };
    const err = await createDraft(huge).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ItemTooLargeError);
    expect((err as ItemTooLargeError).zh).toMatch(/超过上限 350000 字节/);
    expect((err as ItemTooLargeError).en).toMatch(/over the 350000-byte bound/);
  });
});

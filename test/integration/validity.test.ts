import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { resetClock, setClock } from '#shared/clock';
import type { InvalidationRecord } from '#shared/site/invalidate';
import { validForm } from '../support/forms.ts';
import { apiError } from '../support/api.ts';
import { decideAll, submitDraft, textFile } from '../support/publish.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Validity followed on the page (issue 15 item 6), on the emulators: 废止 and 修订 of a
 * published 行政规范性文件 by an approver, with the replacing document; both documents' pages,
 * the normative column and the catalogue follow, and the CDN is told. A document's page
 * follows its expiry too, rendered again by the refresh on the day it changes; a lost message
 * is made up by the next site run.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ cdnPollMs: 200 });
});
afterAll(async () => {
  resetClock();
  vi.restoreAllMocks();
  await stack?.cleanup();
});
afterEach(() => vi.restoreAllMocks());

const siteGet = async (path: string) => {
  const res = await fetch(`${stack.siteUrl}/${path}`);
  return { status: res.status, body: await res.text() };
};
/** A page as the public reads it once the CDN has dropped its copy. */
async function pageAfterInvalidation(path: string): Promise<string> {
  await stack.cdn.waitForInvalidation((r: InvalidationRecord) => r.paths.some((p) => p === `/${path}` || (p.endsWith('*') && `/${path}`.startsWith(p.slice(0, -1)))), 15_000);
  return (await siteGet(path)).body;
}
const doc = (id: string) => `documents/${id}.html`;
/** The sections of a column page by their heading. */
const sectionsOf = (page: string): Record<string, string> =>
  Object.fromEntries(
    page
      .split('<h2>')
      .slice(1)
      .map((s) => [s.slice(0, s.indexOf('</h2>')), s]),
  );

let serial = 0;
async function publishNormative(title: string, validity: { from: string; until: string }, documentType: '行政规范性文件' | '通知' = '行政规范性文件'): Promise<string> {
  serial++;
  const text = `${title}\n第一条 为规范有关工作，结合本区实际，制定本办法。\n第二条 本办法适用于本区行政区域内的有关工作。\n第三条 本办法自${validity.from}起施行，有效期至${validity.until}。\n`;
  const id = await submitDraft(
    stack.drafter,
    validForm({
      title,
      documentNumber: `运盐发改规〔2024〕${serial}号`,
      documentType,
      documentDate: '2023-12-20',
      ...(documentType === '行政规范性文件' ? { validity } : {}),
      interpretation: { mode: 'not-needed', reason: '办法条文简明，无需解读' },
    }),
    textFile(text),
  );
  const views = await decideAll(stack, new Map([[id, 'approve']]));
  expect(views.get(id)!.status, JSON.stringify(views.get(id)!.findings)).toBe('PUBLISHED');
  return id;
}

describe('废止 and 修订 of a published normative document', () => {
  let oldId: string;
  let newId: string;
  let repealedId: string;

  it('publishes normative documents in force', async () => {
    oldId = await publishNormative('运城市盐湖区价格监测管理办法', { from: '2024-01-01', until: '2028-12-31' });
    newId = await publishNormative('运城市盐湖区价格监测管理办法（2026年修订）', { from: '2026-12-01', until: '2031-11-30' });
    repealedId = await publishNormative('运城市盐湖区平价商店管理暂行办法', { from: '2024-01-01', until: '2028-12-31' });
    expect((await siteGet(doc(oldId))).body).toContain('现行有效');
  });

  it('refuses drafters (403), bad requests (400), self-replacement, unpublished or non-normative documents (409)', async () => {
    expect((await apiError(stack.drafter.changeValidity(oldId, { action: 'amend', date: '2026-12-01', replacedBy: newId }))).status).toBe(403);

    const noReplacing = await apiError(stack.approver.changeValidity(oldId, { action: 'amend', date: '2026-12-01' } as never));
    expect(noReplacing.status).toBe(400);
    expect(noReplacing.body.error?.issues?.[0]).toMatchObject({ field: 'replacedBy', zh: expect.stringContaining('替代文件') });
    const noReason = await apiError(stack.approver.changeValidity(repealedId, { action: 'repeal', date: '2026-12-01' } as never));
    expect(noReason.body.error?.issues?.[0]).toMatchObject({ field: 'reason', zh: expect.stringContaining('废止理由') });
    const badAction = await apiError(stack.approver.changeValidity(oldId, { action: 'delete' as 'repeal', date: '2026-12-01', reason: '已被新办法替代' }));
    expect(badAction.status).toBe(400);
    const beforeFrom = await apiError(stack.approver.changeValidity(oldId, { action: 'amend', date: '2023-06-01', replacedBy: newId }));
    expect(beforeFrom.status).toBe(400);
    expect(beforeFrom.body.error?.issues?.[0]).toMatchObject({ field: 'date', zh: expect.stringContaining('2024-01-01') });

    const self = await apiError(stack.approver.changeValidity(oldId, { action: 'amend', date: '2026-12-01', replacedBy: oldId }));
    expect(self.status).toBe(409);
    const unknown = await apiError(stack.approver.changeValidity(oldId, { action: 'amend', date: '2026-12-01', replacedBy: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }));
    expect(unknown.status).toBe(409);
    expect(unknown.body.error?.zh).toContain('找不到替代文件');

    const notice = await publishNormative('运城市盐湖区发展和改革局关于开展价格监测工作的通知', { from: '2024-01-01', until: '2028-12-31' }, '通知');
    const notNormative = await apiError(stack.approver.changeValidity(notice, { action: 'repeal', date: '2026-12-01', reason: '工作已完成，不再执行' }));
    expect(notNormative.status).toBe(409);
    expect(notNormative.body.error).toMatchObject({ zh: expect.stringContaining('行政规范性文件'), en: expect.stringContaining('withdraw') });

    // Nothing was recorded by any refusal.
    const old = await stack.approver.getDraft(oldId);
    expect(old.validityChange).toBeUndefined();
    expect(old.history.map((h) => h.event)).not.toContain('VALIDITY_AMENDED');
  });

  it('an amendment: the old page says 已修订 and links the new one, the new one links back, the column and catalogue follow', async () => {
    const amended = await stack.approver.changeValidity(oldId, { action: 'amend', date: '2026-12-01', replacedBy: newId, reason: '根据新修订的《价格法》调整监测范围' });
    expect(amended.validityChange).toMatchObject({
      kind: 'amended',
      date: '2026-12-01',
      replacedBy: { id: newId, title: '运城市盐湖区价格监测管理办法（2026年修订）' },
      by: { role: 'approver' },
    });
    expect(amended.history.at(-1)).toMatchObject({ event: 'VALIDITY_AMENDED', note: expect.stringContaining('2026-12-01') });
    // A repeated request answers the same; another change of an amended document is refused.
    expect((await stack.approver.changeValidity(oldId, { action: 'amend', date: '2026-12-01', replacedBy: newId })).validityChange?.at).toBe(amended.validityChange!.at);
    expect((await apiError(stack.approver.changeValidity(oldId, { action: 'repeal', date: '2026-12-02', reason: '另行废止本办法' }))).status).toBe(409);
    await stack.settle();

    const oldPage = await pageAfterInvalidation(doc(oldId));
    expect(oldPage).toContain('本文件已于 2026-12-01 修订');
    expect(oldPage).toContain('已修订（2026-12-01 起）');
    expect(oldPage).toContain(`href="../documents/${newId}.html"`);
    expect(oldPage).toContain('根据新修订的《价格法》调整监测范围');
    expect(oldPage).not.toContain('（现行有效）');

    const newPage = await pageAfterInvalidation(doc(newId));
    expect(newPage).toContain('本文件修订');
    expect(newPage).toContain(`href="../documents/${oldId}.html"`);
    const newView = await stack.approver.getDraft(newId);
    expect(newView.replaces).toEqual([expect.objectContaining({ id: oldId, kind: 'amended', date: '2026-12-01' })]);
    expect(newView.history.map((h) => h.event)).toContain('REPLACES_RECORDED');

    const column = await pageAfterInvalidation('columns/normative/index.html');
    const section = sectionsOf(column);
    expect(section['已废止、已修订']).toContain(`documents/${oldId}.html`);
    expect(section['已废止、已修订']).toContain('已修订（2026-12-01 起）');
    expect(section['现行有效']).not.toContain(`documents/${oldId}.html`);
    expect(section['现行有效']).toContain(`documents/${newId}.html`);
    // The catalogue names the state after a normative document's name.
    const catalogue = await pageAfterInvalidation('columns/catalogue/index.html');
    const row = catalogue.split('<tr>').find((r) => r.includes(`documents/${oldId}.html`));
    expect(row).toContain('已修订（2026-12-01 起）');
  });

  it('a repeal announced for a later day: the page says so now and 已废止 from that day, rendered again by the refresh', async () => {
    const t0 = Date.now();
    const repealed = await stack.approver.changeValidity(repealedId, {
      action: 'repeal',
      date: '2026-12-20',
      reason: '平价商店制度已停止实施，本办法予以废止<img src=x onerror=alert(1)>',
    });
    expect(repealed.validityChange).toMatchObject({ kind: 'repealed', date: '2026-12-20' });
    expect(repealed.validityChange?.replacedBy).toBeUndefined();
    await stack.settle();
    const announced = await pageAfterInvalidation(doc(repealedId));
    expect(announced).toContain('本文件将于 2026-12-20 起废止');
    expect(announced).toContain('（现行有效）');
    // The reason is the approver's text: escaped like every other.
    expect(announced).toContain('本办法予以废止&lt;img src=x onerror=alert(1)&gt;');
    expect(announced).not.toContain('<img src=x');

    // The first refresh sets the cursor; then the days pass and the refresh renders the change.
    await stack.invoke('reconcile', { stageSeconds: 1e9 });
    await stack.settle();
    setClock(() => new Date(Date.parse('2026-12-21T02:00:00Z') + (Date.now() - t0)));
    await stack.invoke('reconcile', { stageSeconds: 1e9 });
    await stack.settle();
    const inEffect = await pageAfterInvalidation(doc(repealedId));
    expect(inEffect).toContain('本文件已于 2026-12-20 废止');
    expect(inEffect).toContain('已废止（2026-12-20 起）');
    expect(sectionsOf((await siteGet('columns/normative/index.html')).body)['已废止、已修订']).toContain(`documents/${repealedId}.html`);
    resetClock();
  });
});

describe('validity followed without an action', () => {
  it('a document that expires: its page says 已失效 from the day after its end, rendered again by the refresh', async () => {
    const id = await publishNormative('运城市盐湖区临时价格干预措施实施办法', { from: '2024-01-01', until: '2026-12-31' });
    expect((await siteGet(doc(id))).body).toContain('（现行有效）');
    await stack.invoke('reconcile', { stageSeconds: 1e9 });
    await stack.settle();
    const t0 = Date.now();
    setClock(() => new Date(Date.parse('2027-01-01T01:00:00Z') + (Date.now() - t0)));
    try {
      await stack.invoke('reconcile', { stageSeconds: 1e9 });
      await stack.settle();
      const page = await pageAfterInvalidation(doc(id));
      expect(page).toContain('2024-01-01 至 2026-12-31（已失效）');
      expect(sectionsOf((await siteGet('columns/normative/index.html')).body)['已失效']).toContain(`documents/${id}.html`);
    } finally {
      resetClock();
    }
  });

  it('a lost message: the change is recorded, and the next site run renders it', async () => {
    const a = await publishNormative('运城市盐湖区重要商品储备管理办法', { from: '2024-01-01', until: '2029-12-31' });
    const send = SQSClient.prototype.send;
    let dropped = 0;
    vi.spyOn(SQSClient.prototype, 'send').mockImplementation(function (this: SQSClient, command: unknown, ...rest: unknown[]) {
      if (command instanceof SendMessageCommand && JSON.parse(command.input.MessageBody ?? 'null')?.op === 'validity') {
        dropped++;
        return Promise.reject(Object.assign(new Error('network down'), { name: 'TimeoutError' }));
      }
      return (send as (...x: unknown[]) => unknown).call(this, command, ...rest);
    } as typeof send);
    const failed = await apiError(stack.approver.changeValidity(a, { action: 'repeal', date: '2026-12-01', reason: '储备制度调整，本办法予以废止' }));
    expect(failed.status).toBe(500);
    expect(dropped).toBe(1);
    vi.restoreAllMocks();
    expect((await stack.approver.getDraft(a)).validityChange?.kind).toBe('repealed');

    // The next site run, whatever brought it (here another publication), renders the change.
    await publishNormative('运城市盐湖区价格调节基金管理办法', { from: '2024-01-01', until: '2029-12-31' });
    await stack.settle();
    expect(await pageAfterInvalidation(doc(a))).toContain('本文件已于 2026-12-01 废止');
  });
});

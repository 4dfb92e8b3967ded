import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { resetClock, setClock } from '#shared/clock';
import { apiError, claimFor, fileOnRequest } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 15, item 5: a conversion on re-review (依申请公开 → 主动公开) publishes a text that was
 * checked against another attribute. The rules are run on the text again first: a marker or
 * a secrecy mark that contradicts 主动公开 blocks the conversion with its finding, the
 * attribute stays, and nothing reaches the site; a clean document is converted and published.
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

function moveClock(base: Date, ms: number): void {
  const t0 = Date.now();
  setClock(() => new Date(base.getTime() + ms + (Date.now() - t0)));
}
const YEAR_AND_AN_HOUR = 366 * 24 * 3600_000 + 3600_000;

/** A 依申请公开 document, filed, then brought back by its yearly review and claimed. */
async function underReview(title: string, extra: string) {
  const filed = await fileOnRequest(stack, title, `${title}\n${extra}关于某工业园区企业排污许可核查情况的报告\n经核查，园区内三家企业的生产工艺参数和原料配方属于商业秘密。`);
  moveClock(new Date(filed.filing!.filedAt), YEAR_AND_AN_HOUR);
  await stack.invoke('schedule-reviews', { source: 'aws.events' });
  const claim = await claimFor(stack.approver2, filed.id);
  expect(claim.draft!.task).toMatchObject({ kind: 'review' });
  return { id: filed.id, claim };
}

const siteKeysWith = async (id: string) =>
  ((await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.site }))).Contents ?? []).map((o) => o.Key!).filter((k) => k.includes(id));

describe('converting a document to 主动公开 on re-review', () => {
  for (const [name, marker, rule] of [
    ['an on-application marker （此件依申请公开）', '（此件依申请公开）\n', 'ATTR-4'],
    ['an internal-material marker 内部资料', '内部资料 注意保存\n', 'ATTR-4'],
  ] as const) {
    it(`is blocked by ${name}: 409 with the finding, the attribute kept, a history line, nothing published`, async () => {
      const { id, claim } = await underReview(`复核转换 ${rule} ${Date.now()}`, marker);
      const err = await apiError(
        stack.approver2.decide(id, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'convert', reason: '情况变化，转为主动公开' }),
      );
      expect(err.status).toBe(409);
      expect(err.body.error?.zh).toMatch(/不能转为主动公开.*ATTR-4/s);
      expect(err.body.error?.en).toMatch(/cannot be converted to proactive disclosure/);

      const after = await stack.drafter.getDraft(id);
      expect(after.status).toBe('REVIEWING');
      expect(after.form.attribute).toBe('依申请公开');
      expect(after.history.at(-1)).toMatchObject({ event: 'REVIEW_CONVERSION_BLOCKED' });
      expect(after.findings.some((f) => f.ruleId === rule && f.severity === 'block')).toBe(true);
      await stack.settle();
      expect(await siteKeysWith(id)).toEqual([]);

      // The claim is still the approver's: the document is kept instead, for another year.
      const kept = await stack.approver2.decide(id, { claimToken: claim.claimToken!, version: after.version, outcome: 'keep', reason: '正文标注依申请公开，维持' });
      expect(kept.status).toBe('FILED');
    });
  }

  it('goes through for a clean document: converted and published', async () => {
    const { id, claim } = await underReview(`复核转换 干净 ${Date.now()}`, '');
    const converted = await stack.approver2.decide(id, {
      claimToken: claim.claimToken!,
      version: claim.draft!.version,
      outcome: 'convert',
      reason: '商业秘密已公开，转为主动公开',
    });
    expect(converted.status).toBe('PUBLISHING');
    const published = await stack.drafter.waitForStatus(id, ['PUBLISHED']);
    expect(published.form.attribute).toBe('主动公开');
    expect(published.history.some((h) => h.event === 'REVIEW_CONVERSION_BLOCKED')).toBe(false);
    await stack.settle();
  });
});

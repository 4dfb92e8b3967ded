import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { runAs } from '#infra/local/grants';
import { GongkaiClient, type OversightReport } from '#client/gongkai';
import { chinaDate, workingDaysBetween } from '#shared/calendar';
import { resetClock, setClock } from '#shared/clock';
import { publicationFacts, recordOversight } from '#shared/oversight';
import { siteConfig } from '#shared/site/config';
import { getDraft } from '#shared/store';
import { DEFAULT_DRAFTER_UNIT, validForm } from '../support/forms.ts';
import { apiError, claimFor, fileOnRequest } from '../support/api.ts';
import { decideAll, submitDraft, textFile } from '../support/publish.ts';
import { sampleInterpretation } from '../support/rule-drafts.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * 监督考核 (issue 13 part 3) on the emulators: real publications early, late and uncountable
 * against the Art. 26 clock, policy documents with diversified and text interpretations,
 * normative documents repealed and expired, applications answered on time, late and past the
 * calendar, re-reviews on time and late — every figure checked, for the body and its drafting
 * unit, as JSON and CSV; a redelivered publication, a retried validity request and a re-sent
 * publish message count nothing twice.
 */
let stack: TestStack;
let infocenter: GongkaiClient;
let admin: GongkaiClient;
const TOP = siteConfig.bodyId;
const YEAR = chinaDate(new Date()).slice(0, 4);
const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTestStack();
  infocenter = new GongkaiClient(stack.apiUrl, 'dev-infocenter');
  admin = new GongkaiClient(stack.apiUrl, 'dev-admin');
}, 120_000);
afterAll(async () => {
  resetClock();
  await stack?.cleanup();
});

const text = (title: string, extra = '') => `${title}\n为做好有关工作，现将有关事项通知如下。\n一、各单位要高度重视，认真组织实施。\n二、本通知自印发之日起施行。${extra}\n`;

async function submit(key: string, over: Parameters<typeof validForm>[0], interpretation?: '图解' | '文字') {
  const title = `${over?.title ?? '关于做好有关工作的通知'}`;
  ids[key] = await submitDraft(
    stack.drafter,
    validForm({
      documentNumber: undefined,
      ...over,
      title,
      ...(interpretation ? { isPolicy: true, interpretation: { mode: 'attached', format: interpretation } } : {}),
    }),
    textFile(text(title, over?.documentType === '行政规范性文件' ? `\n本办法自${over.validity!.from}起施行，有效期至${over.validity!.until}。` : '')),
    interpretation ? textFile(sampleInterpretation(), 'interpretation.txt') : undefined,
  );
}

const body = (r: OversightReport) => r.rows.find((row) => row.scope === 'body')!;
const unit = (r: OversightReport) => r.rows.find((row) => row.scope === 'unit' && row.name === DEFAULT_DRAFTER_UNIT)!;

function workingDaysAgo(n: number): string {
  const today = chinaDate(new Date());
  let d = today;
  while (workingDaysBetween(d, today) < n) d = new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return d;
}

describe('监督考核 from real events', () => {
  it('counts publications against the Art. 26 clock, interpretations and their formats, and normative documents', async () => {
    // Late (formed 2024), on time (formed 10 working days ago), uncountable (formed in 2003, before the calendar).
    await submit('late', { title: '关于推进政务公开标准化工作的实施意见', documentType: '意见', documentDate: '2024-03-01' }, '图解');
    await submit('onTime', { title: '关于做好冬季供暖保障工作的通知', documentDate: workingDaysAgo(10) }, '文字');
    await submit('unknown', { title: '关于转发有关档案整理工作的通知', documentDate: '2003-06-02' });
    for (const [key, title, validity] of [
      ['repealed', '运城市盐湖区平价商店管理暂行办法', { from: '2024-01-01', until: '2030-12-31' }],
      ['expired', '运城市盐湖区农贸市场管理暂行办法', { from: '2024-01-01', until: '2025-06-30' }],
      ['inForce', '运城市盐湖区价格监测管理办法', { from: '2024-01-01', until: '2030-12-31' }],
    ] as const) {
      await submit(key, { title, documentType: '行政规范性文件', documentDate: '2023-12-20', validity, interpretation: { mode: 'not-needed', reason: '办法条文简明，无需解读' } });
    }
    const views = await decideAll(stack, new Map(Object.values(ids).map((id) => [id, 'approve'] as const)));
    for (const [key, id] of Object.entries(ids)) expect(views.get(id)!.status, `${key}: ${JSON.stringify(views.get(id)!.findings)}`).toBe('PUBLISHED');
    expect(views.get(ids.late!)!.art26).toMatchObject({ withinLimit: false });
    expect(views.get(ids.onTime!)!.art26).toMatchObject({ withinLimit: true });
    expect(views.get(ids.unknown!)!.art26?.withinLimit).toBeUndefined();

    const repeal = { action: 'repeal' as const, date: chinaDate(new Date()), reason: '已不适应当前管理需要，予以废止' };
    await stack.approver.changeValidity(ids.repealed!, repeal);
    // A retried request (the same change again) answers as the first and counts nothing more.
    await stack.approver.changeValidity(ids.repealed!, repeal);

    const r = await infocenter.getOversight(TOP, YEAR);
    expect(r).toMatchObject({ body: { id: TOP }, year: YEAR, referenceDay: chinaDate(new Date()), targetPercent: 90 });
    for (const row of [body(r), unit(r)]) {
      expect(row.art26).toEqual({ onTime: { numerator: 1, denominator: 5, percent: 20 }, late: 4, unknown: 1, published: 6 });
      expect(row.interpreted).toEqual({ numerator: 2, denominator: 2, percent: 100 });
      expect(row.diversified).toEqual({ numerator: 1, denominator: 2, percent: 50, targetPercent: 90, meetsTarget: false });
      expect(row.normative).toEqual({ total: 3, inForce: 1, expired: 1, repealed: 1, amended: 0, notYetInForce: 0 });
      expect(row.reviews).toEqual({ numerator: 0, denominator: 0, percent: null });
    }
    expect(unit(r).answers).toBeUndefined();

    // A redelivered publish message after the publication: nothing moves.
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: stack.endpoints.sqs, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.publish.url, MessageBody: JSON.stringify({ draftId: ids.late }) }));
    sqs.destroy();
    // A redelivery that reaches the recording again (the message retried while LISTING), run as publish-document.
    for (const key of ['late', 'onTime', 'expired']) {
      const d = await runAs('publish-document', () => getDraft(ids[key]!));
      await runAs('publish-document', () => recordOversight(publicationFacts(d, TOP)));
    }
    await new Promise((res) => setTimeout(res, 1500));
    const again = await infocenter.getOversight(TOP, YEAR);
    expect(again.rows).toEqual(r.rows);
  }, 300_000);

  it('counts applications answered on time, late and past the calendar (Art. 33), for the body', async () => {
    const approver = stack.approver;
    const application = {
      body: TOP,
      applicant: { type: '公民' as const, name: '测试申请人', idType: '居民身份证' as const, idNumber: '14080219850612421X', phone: '0359-2021234', email: 'wang@example.cn' },
      request: { description: '2025年本区老旧小区改造项目的资金安排和实施单位名单', purpose: '了解本小区改造进度' },
      delivery: '电子邮件' as const,
      format: '电子文档' as const,
    };
    const before = body(await infocenter.getOversight(TOP, YEAR)).answers!;
    // Received 25 working days ago (late), 5 (on time); today, with a deadline past the calendar (unknown) where the calendar ends this year.
    const received = [workingDaysAgo(25), workingDaysAgo(5), chinaDate(new Date())];
    for (const receivedOn of received) {
      let app = await infocenter.registerApplication({ channel: '信函', receivedOn, application });
      app = await infocenter.stepApplication(app.id, app.version, { step: 'propose', answer: { type: '予以公开', given: '资金安排表', documents: [] } });
      app = await approver.stepApplication(app.id, app.version, { step: 'approve' });
      app = await infocenter.stepApplication(app.id, app.version, { step: 'deliver', method: '电子邮件' });
      expect(app.status).toBe('DELIVERED');
      // A retried delivery is refused (the version moved) and counts nothing.
      expect((await apiError(infocenter.stepApplication(app.id, app.version - 1, { step: 'deliver', method: '电子邮件' }))).status).toBe(409);
    }
    // The calendar (chinese-days) ends with this year: today's deadline is past it, never guessed.
    const a = body(await infocenter.getOversight(TOP, YEAR)).answers!;
    expect({ onTime: a.numerator - before.numerator, late: a.denominator - a.numerator - (before.denominator - before.numerator), unknown: a.unknown - before.unknown }).toEqual({
      onTime: 1,
      late: 1,
      unknown: 1,
    });
  }, 120_000);

  it('is read by the information centre of the body and the administrator, as JSON and CSV (UTF-8 with BOM, Chinese header, counts beside every share)', async () => {
    expect((await apiError(new GongkaiClient(stack.apiUrl, 'dev-infocenter-beicheng').getOversight(TOP, YEAR))).status).toBe(404);
    expect((await apiError(stack.approver.getOversight(TOP, YEAR))).status).toBe(403);
    expect((await apiError(stack.drafter.getOversight(TOP, YEAR))).status).toBe(403);
    expect((await apiError(infocenter.getOversight(TOP, 'x2026' as never))).status).toBe(400);
    const viaAdmin = await admin.getOversight(TOP, YEAR);
    expect(viaAdmin.rows).toEqual((await infocenter.getOversight(TOP, YEAR)).rows);

    const { fileName, csv } = await infocenter.getOversightCsv(TOP, YEAR);
    expect(fileName).toBe(`oversight-${TOP}-${YEAR}.csv`);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toMatch(/^公开主体,范围,名称,年度,20个工作日内公开（件）,可计算工作日的主动公开（件）,按时公开比例/);
    const unitLine = lines.find((l) => l.includes(`,起草单位,${DEFAULT_DRAFTER_UNIT},`))!;
    expect(unitLine.split(',').slice(4, 17)).toEqual(['1', '5', '20.0%', '4', '1', '2', '2', '100.0%', '1', '2', '50.0%', '90%', '未达标']);
    // Accept: text/csv answers the CSV too.
    const res = await fetch(`${stack.apiUrl}/bodies/${TOP}/oversight?year=${YEAR}`, { headers: { authorization: 'Bearer dev-infocenter', accept: 'text/csv' } });
    expect(((await res.json()) as { csv: string }).csv).toBe(csv);
  });

  it('counts re-reviews decided by their due day (REV-1) and late, in the year decided', async () => {
    const onTime = await fileOnRequest(stack, '关于某企业排污许可核查情况的报告（一）', '经核查，园区内企业的生产工艺参数属于商业秘密。');
    const late = await fileOnRequest(stack, '关于某企业排污许可核查情况的报告（二）', '经核查，园区内企业的原料配方属于商业秘密。');
    const base = new Date(onTime.filing!.filedAt);
    const move = (ms: number) => {
      const t0 = Date.now();
      setClock(() => new Date(base.getTime() + ms + (Date.now() - t0)));
    };
    // The due day itself (a year on, same China day): queued and kept that day — on time.
    move(365 * 86_400_000);
    expect(chinaDate(new Date(base.getTime() + 365 * 86_400_000))).toBe(onTime.filing!.reviewDue);
    await stack.invoke('schedule-reviews', { source: 'aws.events' });
    let c = await claimFor(stack.approver2, onTime.id);
    await stack.approver2.decide(onTime.id, { claimToken: c.claimToken!, version: c.draft!.version, outcome: 'keep', reason: '仍涉及商业秘密，维持依申请公开' });
    // Two days past its due day: late.
    move(367 * 86_400_000);
    c = await claimFor(stack.approver2, late.id);
    await stack.approver2.decide(late.id, { claimToken: c.claimToken!, version: c.draft!.version, outcome: 'keep', reason: '仍涉及商业秘密，维持依申请公开' });
    const reviewYear = onTime.filing!.reviewDue.slice(0, 4);
    const r = await infocenter.getOversight(TOP, reviewYear);
    for (const row of [body(r), unit(r)]) expect(row.reviews).toEqual({ numerator: 1, denominator: 2, percent: 50 });
    resetClock();
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GongkaiClient } from '#client/gongkai';
import { SAMPLE_BODIES } from '#infra/local/sample-bodies';
import { chinaDate, deadlineAfter, workingDaysBetween } from '#shared/calendar';
import { topology, type FunctionName } from '#shared/topology';
import { ROUTE_LIST } from '#shared/routes';
import { siteConfig } from '#shared/site/config';
import { apiError } from '../support/api.ts';
import { siteObjects } from '../support/publish.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 12: the public's applications (依申请公开), from 登记 to 归档, on the emulators: a
 * citizen applies with no account, is asked to complete, completes; a third party is
 * consulted; the office proposes, an approver approves (never their own proposal), the answer
 * is delivered and archived; the deadlines are watched from the index; another body's
 * applications do not exist for its staff; nothing of the applicant reaches the public site.
 */

const ID_NUMBER = '14080219850612421X';
const NAME = '测试申请人王小明';

let stack: TestStack;
let publicClient: GongkaiClient;
let infocenter: GongkaiClient;
let approver: GongkaiClient;
let townshipInfocenter: GongkaiClient;
let deptApprover: GongkaiClient;

const application = (over: Record<string, unknown> = {}) => ({
  body: siteConfig.bodyId,
  applicant: { type: '公民' as const, name: NAME, idType: '居民身份证' as const, idNumber: ID_NUMBER, phone: '0359-2021234', email: 'wang@example.cn' },
  request: { description: '2025年本区老旧小区改造项目的资金安排和实施单位名单', purpose: '了解本小区改造进度' },
  delivery: '电子邮件' as const,
  format: '电子文档' as const,
  ...over,
});

/** The latest China day with `n` working days from it to today: an application received then has 20 − n left. */
function workingDaysAgo(n: number): string {
  const today = chinaDate(new Date());
  let d = today;
  while (workingDaysBetween(d, today) < n) d = new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return d;
}

beforeAll(async () => {
  stack = await startTestStack();
  const client = (token: string) => new GongkaiClient(stack.apiUrl, token);
  publicClient = client('no-such-token');
  infocenter = client('dev-infocenter');
  approver = client('dev-approver-li');
  townshipInfocenter = client('dev-infocenter-beicheng');
  deptApprover = client('dev-approver-fgw');
  const admin = client('dev-admin');
  for (const id of ['fgw', 'beicheng']) await admin.createBody(SAMPLE_BODIES.find((b) => b.id === id)!);
}, 120_000);
afterAll(() => stack?.cleanup());

describe('applying (no account)', () => {
  it('is refused field by field, in Chinese and English, when the application is incomplete', async () => {
    const err = await apiError(publicClient.submitApplication(application({ applicant: { ...application().applicant, idNumber: '1234567890', email: undefined } }) as never));
    expect(err.status).toBe(400);
    const issues = (err.body as { error: { issues: { field: string; zh: string; en: string }[] } }).error.issues;
    expect(issues.map((i) => i.field)).toEqual(expect.arrayContaining(['applicant.idNumber', 'applicant.email']));
    for (const i of issues) {
      expect(i.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(i.en).toMatch(/[a-z]/);
    }
    const noBody = await apiError(publicClient.submitApplication(application({ body: 'nowhere' }) as never));
    expect(noBody.status).toBe(400);
  });

  it('runs the whole path: apply → 补正 → completed → consultation → proposal → approval → delivery → archive', async () => {
    const receipt = await publicClient.submitApplication(application());
    expect(receipt.trackingCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(receipt.receivedOn).toBe(chinaDate(new Date()));
    // 20 working days on China's calendar; where the holiday calendar does not reach yet, flagged, never guessed.
    const expected = deadlineAfter(receipt.receivedOn, 20);
    expect(receipt.due).toEqual(expected.kind === 'due' ? { kind: 'due', dueOn: expected.due, workingDays: 20 } : expected);
    expect(JSON.stringify(receipt)).not.toContain(ID_NUMBER);

    // The office finds it in its list (the most recent first).
    const { applications } = await infocenter.listApplications(siteConfig.bodyId);
    const id = applications.find((a) => a.applicant === NAME)!.id;
    let app = await infocenter.getApplication(id);
    expect(app).toMatchObject({ status: 'RECEIVED', channel: '互联网', input: { applicant: { idNumber: ID_NUMBER } } });

    // 补正: one notice, the clock stops.
    app = await infocenter.stepApplication(id, app.version, { step: 'request-completion', items: ['所需信息对应的小区名称', '申请人与该信息的关系说明'] });
    expect(app.due).toMatchObject({ kind: 'stopped' });
    const notice = await infocenter.applicationDocument(id, 'completion');
    expect(notice.html).toContain('所需信息对应的小区名称');
    let tracked = await publicClient.trackApplication(receipt.trackingCode.toLowerCase());
    expect(tracked.completion?.items).toHaveLength(2);

    // The applicant completes with the code; the clock starts again from that day.
    tracked = await publicClient.applicantStep(receipt.trackingCode, { step: 'complete', supplement: '小区为盐湖区红旗东街3号院；本人为该小区业主。' });
    expect(tracked.status).toBe('RECEIVED');
    app = await infocenter.getApplication(id);
    expect(app.clock.startOn).toBe(chinaDate(new Date()));

    // 征求意见: the clock pauses, then runs again.
    app = await infocenter.stepApplication(id, app.version, { step: 'consult', thirdParty: '盐湖区某建筑工程有限公司' });
    expect(app.due).toMatchObject({ kind: 'paused', reason: 'consultation' });
    app = await infocenter.stepApplication(id, app.version, { step: 'consultation-reply', opinion: '同意公开' });
    expect(['due', 'uncovered']).toContain(app.due.kind);

    // 办理意见 by the office; the office cannot approve it (an approver's step), nor can the one who proposed it.
    app = await infocenter.stepApplication(id, app.version, {
      step: 'propose',
      answer: { type: '部分公开', given: '资金安排表', documents: [], withheld: [{ what: '施工单位负责人的身份证号码', ground: 'third-party', reason: '属于个人隐私' }] },
    });
    expect((await apiError(infocenter.stepApplication(id, app.version, { step: 'approve' }))).status).toBe(403);
    // A stale version is refused.
    expect((await apiError(approver.stepApplication(id, app.version - 1, { step: 'approve' }))).status).toBe(409);
    app = await approver.stepApplication(id, app.version, { step: 'approve' });
    expect(app.status).toBe('DECIDED');
    expect(app.decision).toMatchObject({ answer: { type: '部分公开' }, proposedBy: { sub: 'u-infocenter' }, approvedBy: { sub: 'u-approver-li' } });

    const answer = await infocenter.applicationDocument(id);
    expect(answer.title).toBe('政府信息公开申请答复书');
    for (const needed of [NAME, '老旧小区改造', '部分公开', '第十五条', '第三十七条', '行政复议', '行政诉讼']) expect(answer.html).toContain(needed);
    expect(answer.html).not.toContain(ID_NUMBER);

    app = await infocenter.stepApplication(id, app.version, { step: 'deliver', method: '电子邮件', note: '已发送至申请人邮箱' });
    app = await infocenter.stepApplication(id, app.version, { step: 'archive' });
    expect(app.status).toBe('ARCHIVED');
    expect(app.history.map((e) => e.step)).toEqual(['register', 'request-completion', 'complete', 'consult', 'consultation-reply', 'propose', 'approve', 'deliver', 'archive']);
    expect(app.history.every((e) => e.by.name && e.at)).toBe(true);

    tracked = await publicClient.trackApplication(receipt.trackingCode);
    expect(tracked.status).toBe('ARCHIVED');
    expect(tracked.steps.map((s) => s.label)).toEqual(expect.arrayContaining(['登记', '补正告知', '报批通过，作出答复决定', '送达']));
    expect(JSON.stringify(tracked)).not.toContain(ID_NUMBER);
    expect(JSON.stringify(tracked)).not.toContain('施工单位负责人');
  });

  it('tells a wrong tracking code nothing but that it is unknown', async () => {
    const err = await apiError(publicClient.trackApplication('ZZZZ-ZZZZ-ZZZZ-ZZZZ'));
    expect(err.status).toBe(404);
  });
});

describe('registered by the office, scoped to its bodies', () => {
  it('GET /me says who the caller is: the roles in the order routes act on them, and the bodies acted for', async () => {
    expect(await townshipInfocenter.me()).toMatchObject({ roles: ['infocenter'], bodies: ['beicheng'] });
    expect(await approver.me()).toMatchObject({ sub: 'u-approver-li', roles: ['approver'], bodies: expect.arrayContaining([siteConfig.bodyId, 'beicheng']) });
    expect((await apiError(publicClient.me())).status).toBe(401);
  });

  it('registers a letter with the day it was signed for; a township’s application does not exist for a department’s approver', async () => {
    const receivedOn = workingDaysAgo(3);
    const app = await townshipInfocenter.registerApplication({ channel: '信函', receivedOn, application: application({ body: 'beicheng' }) });
    expect(app).toMatchObject({ channel: '信函', receivedOn, body: 'beicheng' });
    const expected = deadlineAfter(receivedOn, 20);
    expect(app.due).toMatchObject(expected.kind === 'due' ? { kind: 'due', dueOn: expected.due } : { kind: 'uncovered' });
    expect((await apiError(deptApprover.getApplication(app.id))).status).toBe(404);
    expect((await apiError(townshipInfocenter.registerApplication({ channel: '当面', receivedOn, application: application({ body: 'fgw' }) }))).status).toBe(403);
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    expect((await apiError(townshipInfocenter.registerApplication({ channel: '当面', receivedOn: future, application: application({ body: 'beicheng' }) }))).status).toBe(400);
    const list = await deptApprover.listApplications();
    expect(list.applications.map((a) => a.id)).not.toContain(app.id);
  });

  it('lists those overdue and those due within 5 working days, from the deadline index', async () => {
    const overdue = await townshipInfocenter.registerApplication({ channel: '当面', receivedOn: workingDaysAgo(22), application: application({ body: 'beicheng' }) });
    const soon = await townshipInfocenter.registerApplication({ channel: '当面', receivedOn: workingDaysAgo(17), application: application({ body: 'beicheng' }) });
    const later = await townshipInfocenter.registerApplication({ channel: '当面', receivedOn: workingDaysAgo(1), application: application({ body: 'beicheng' }) });
    const list = await townshipInfocenter.listApplications();
    expect(list.overdue.map((a) => a.id)).toContain(overdue.id);
    // Each line carries the tracking code the applicant quotes and the clock as the application has it.
    expect(list.overdue.find((a) => a.id === overdue.id)).toMatchObject({ trackingCode: overdue.trackingCode, due: overdue.due });
    // Due in three working days — or, in the last days the holiday calendar covers, flagged as beyond it.
    expect([...list.dueSoon, ...list.uncovered].map((a) => a.id)).toContain(soon.id);
    expect([...list.overdue, ...list.dueSoon].map((a) => a.id)).not.toContain(later.id);
    // The list lines carry no identity number.
    expect(JSON.stringify(list)).not.toContain(ID_NUMBER);
    // Delivered, an application leaves the watch.
    let a = await townshipInfocenter.stepApplication(overdue.id, overdue.version, {
      step: 'propose',
      answer: { type: '不予处理', reason: 'petition', explanation: '属于信访投诉，请向信访部门反映。' },
    });
    a = await new GongkaiClient(stack.apiUrl, 'dev-approver-beicheng').stepApplication(a.id, a.version, { step: 'approve' });
    await townshipInfocenter.stepApplication(a.id, a.version, { step: 'deliver', method: '当面领取' });
    expect((await townshipInfocenter.listApplications()).overdue.map((x) => x.id)).not.toContain(overdue.id);
  });
});

describe('what the public may ask', () => {
  it('limits the applications one address may send in an hour (429 with Retry-After)', async () => {
    let refused: number | undefined;
    for (let i = 0; i < 12 && refused === undefined; i++) {
      const res = await fetch(`${stack.apiUrl}/public/applications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(application()) });
      if (res.status === 429) {
        refused = i;
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await res.json()) as { error: { zh: string } }).error.zh).toContain('请求过于频繁');
      } else expect(res.status).toBe(201);
    }
    expect(refused).toBeDefined();
  });

  it('never writes an applicant’s data where the public can read it (site bucket, decoded objects included)', async () => {
    // No function behind an application route may write the site bucket at all (the grants, enforced locally too).
    const fns = new Set<FunctionName>(ROUTE_LIST.filter((r) => /applications/.test(r.path) || r.public).map((r) => r.fn));
    fns.add('watch-applications');
    expect(fns.size).toBeGreaterThanOrEqual(9);
    // What applicants upload and the copies made for them are in the private bucket only, under their own prefixes.
    for (const fn of fns)
      for (const g of [topology.functions[fn]].flatMap((f) => ('buckets' in f && f.buckets?.drafts ? [f.buckets.drafts].flat() : [])))
        expect(typeof g === 'string' ? '' : g.prefix, fn).not.toBe('');
    for (const fn of fns) expect(topology.functions[fn], fn).not.toHaveProperty('buckets.site');
    const objects = await siteObjects(stack);
    expect(objects.size).toBeGreaterThan(0);
    for (const [key, o] of objects) for (const secret of [ID_NUMBER, NAME, 'wang@example.cn']) expect(o.text, key).not.toContain(secret);
  });
});

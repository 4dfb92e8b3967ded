import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GongkaiClient, uploadFile } from '#client/gongkai';
import { SAMPLE_BODIES } from '#infra/local/sample-bodies';
import { siteConfig } from '#shared/site/config';
import { DEFAULT_DRAFTER_UNIT, validForm } from '../support/forms.ts';
import { apiError } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 16.2: approvers and the information centre act for the 公开主体 of their custom:bodies
 * claim; a draft belongs to the body of its drafting unit. Tokens: config/local-users.json.
 */

const TOWNSHIP_UNIT = '运城市盐湖区北城街道办事处'; // dev-drafter-beicheng, body "beicheng"

let stack: TestStack;
let admin: GongkaiClient;
let townshipDrafter: GongkaiClient;
let deptApprover: GongkaiClient; // acts for fgw only
let townshipApprover: GongkaiClient; // acts for beicheng only
let townshipInfocenter: GongkaiClient; // acts for beicheng only
let platformInfocenter: GongkaiClient; // acts for every sample body

beforeAll(async () => {
  stack = await startTestStack();
  const client = (token: string) => new GongkaiClient(stack.apiUrl, token);
  admin = client('dev-admin');
  townshipDrafter = client('dev-drafter-beicheng');
  deptApprover = client('dev-approver-fgw');
  townshipApprover = client('dev-approver-beicheng');
  townshipInfocenter = client('dev-infocenter-beicheng');
  platformInfocenter = client('dev-infocenter');
  for (const id of ['fgw', 'beicheng']) await admin.createBody(SAMPLE_BODIES.find((b) => b.id === id)!);
}, 120_000);
afterAll(() => stack?.cleanup());

const enc = (t: string) => new TextEncoder().encode(t);

/** Submits a small 依申请公开 report (ATTR-3 filing first when `policy`), waits until it waits for a decision. */
async function submit(drafter: GongkaiClient, unit: string, title: string, policy = false): Promise<string> {
  const doc = `${title}\n经核查，园区内三家企业的生产工艺参数和原料配方属于商业秘密。\n`;
  const interp = `关于《${title}》的解读\n一、出台背景和依据：落实信用管理要求。\n二、主要内容：明确评价指标和程序。\n解读机关：${unit}。\n`;
  const created = await drafter.createDraft({
    form: validForm({
      title,
      draftingUnit: unit,
      documentNumber: undefined,
      attribute: '依申请公开',
      nonPublicReason: '报告附有企业生产工艺参数和原料配方，属于商业秘密，公开会损害第三方合法权益',
      legalBasis: '《中华人民共和国政府信息公开条例》第十五条',
      ...(policy ? { isPolicy: true, interpretation: { mode: 'attached', format: '文字' } as const } : {}),
    }),
    files: {
      document: { fileName: 'report.txt', contentType: 'text/plain', size: enc(doc).length },
      ...(policy ? { interpretation: { fileName: 'jiedu.txt', contentType: 'text/plain', size: enc(interp).length } } : {}),
    },
  });
  for (const u of created.uploads) await uploadFile(u, enc(u.part === 'document' ? doc : interp), `${u.part}.txt`);
  const pending = await drafter.waitForStatus(created.id, ['PENDING_APPROVAL', 'REJECTED']);
  expect(pending.status, JSON.stringify(pending.findings.filter((f) => f.severity === 'block'))).toBe('PENDING_APPROVAL');
  return created.id;
}

/** Claims until nothing more is handed; answers the ids handed (each claim left to lapse or be decided). */
async function claimAll(client: GongkaiClient): Promise<{ id: string; claimToken: string; version: number }[]> {
  const out = [];
  for (;;) {
    const claim = await client.claim();
    if (!claim.claimToken || !claim.draft) return out;
    out.push({ id: claim.draft.id, claimToken: claim.claimToken, version: claim.draft.version });
  }
}

describe('scoped roles (issue 16.2)', () => {
  let deptDraft: string;
  let townshipDraft: string;

  it('a draft belongs to the body of its drafting unit; a drafter cannot submit for another body', async () => {
    deptDraft = await submit(stack.drafter, DEFAULT_DRAFTER_UNIT, `发改局企业排污许可核查情况报告（范围测试 ${Date.now()}）`);
    townshipDraft = await submit(townshipDrafter, TOWNSHIP_UNIT, `北城街道企业排污许可核查情况报告（范围测试 ${Date.now()}）`);
    expect((await stack.drafter.getDraft(deptDraft)).body).toBe('fgw');
    expect((await townshipDrafter.getDraft(townshipDraft)).body).toBe('beicheng');

    // The department's drafter naming the township's unit is refused, and nothing is stored.
    const title = `冒名提交的文件（范围测试 ${Date.now()}）`;
    const refused = await apiError(
      stack.drafter.createDraft({ form: validForm({ title, draftingUnit: TOWNSHIP_UNIT }), files: { document: { fileName: 'a.txt', contentType: 'text/plain', size: 10 } } }),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error?.zh).toContain(TOWNSHIP_UNIT);
    expect((await stack.approver.listTasks()).tasks.map((t) => t.title)).not.toContain(title);
    // The drafter of the township cannot see the department's draft either (its unit's only).
    expect((await apiError(townshipDrafter.getDraft(deptDraft))).status).toBe(403);
  });

  it("a department's approver is never handed a township's task, and the township's draft does not exist for it", async () => {
    // Both wait; the township's is the later, so a claim across bodies would hand the department's first and then the township's.
    const deptClaims = await claimAll(deptApprover);
    expect(deptClaims.map((c) => c.id)).toEqual([deptDraft]);

    expect((await apiError(deptApprover.getDraft(townshipDraft))).status).toBe(404);
    expect((await apiError(deptApprover.previewDraft(townshipDraft))).status).toBe(404);
    const tv = (await stack.approver.getDraft(townshipDraft)).version;
    expect((await apiError(deptApprover.decide(townshipDraft, { claimToken: 'x'.repeat(43), version: tv, outcome: 'approve' }))).status).toBe(404);
    expect((await stack.approver.getDraft(townshipDraft)).status).toBe('PENDING_APPROVAL');

    // Its task list names only its body's drafts, each with its body.
    const listed = (await deptApprover.listTasks()).tasks;
    expect(listed.map((t) => [t.draftId, t.body])).toEqual([[deptDraft, 'fgw']]);
    expect((await townshipApprover.listTasks()).tasks.map((t) => [t.draftId, t.body])).toEqual([[townshipDraft, 'beicheng']]);

    // The township's approver takes the township's task, and decides it.
    const townshipClaims = await claimAll(townshipApprover);
    expect(townshipClaims.map((c) => c.id)).toEqual([townshipDraft]);
    for (const [client, c] of [
      [deptApprover, deptClaims[0]!],
      [townshipApprover, townshipClaims[0]!],
    ] as const) {
      const decided = await client.decide(c.id, { claimToken: c.claimToken, version: c.version, outcome: 'approve' });
      expect(decided.status).toBe('FILED');
    }
  });

  it('a user acting for several bodies is handed the tasks of each, oldest first; one of the top body only sees neither', async () => {
    const a = await submit(stack.drafter, DEFAULT_DRAFTER_UNIT, `发改局第二份报告（范围测试 ${Date.now()}）`);
    const b = await submit(townshipDrafter, TOWNSHIP_UNIT, `北城街道第二份报告（范围测试 ${Date.now()}）`);
    // dev-approver-li acts for the county and every sample body (config/local-users.json).
    const listed = (await stack.approver.listTasks()).tasks.filter((t) => [a, b].includes(t.draftId));
    expect(listed.map((t) => t.body).sort()).toEqual(['beicheng', 'fgw']);
    const claims = await claimAll(stack.approver);
    expect(claims.map((c) => c.id)).toEqual([a, b]);
    for (const c of claims) await stack.approver.decide(c.id, { claimToken: c.claimToken, version: c.version, outcome: 'reject', reason: '范围测试，不予通过' });
  });

  it('the information centre files ATTR-3 for its own body only', async () => {
    const dept = await submit(stack.drafter, DEFAULT_DRAFTER_UNIT, `发改局企业信用评价办法（备案范围测试 ${Date.now()}）`, true);
    const township = await submit(townshipDrafter, TOWNSHIP_UNIT, `北城街道企业信用评价办法（备案范围测试 ${Date.now()}）`, true);
    const filings = await claimAll(townshipInfocenter);
    expect(filings.map((f) => f.id)).toEqual([township]);
    expect((await apiError(townshipInfocenter.getDraft(dept))).status).toBe(404);
    const filed = await townshipInfocenter.decide(township, { claimToken: filings[0]!.claimToken, version: filings[0]!.version, outcome: 'acknowledge', reason: '已备案' });
    expect(filed.infocenterFiling).toMatchObject({ by: { name: '马超（北城街道信息员）' } });
    // The platform's information centre acts for the department, so it takes the department's.
    const deptFilings = await claimAll(platformInfocenter);
    expect(deptFilings.map((f) => f.id)).toEqual([dept]);
    await platformInfocenter.decide(dept, { claimToken: deptFilings[0]!.claimToken, version: deptFilings[0]!.version, outcome: 'acknowledge', reason: '已备案' });
    // Each approval then goes to its own body's approver.
    for (const [client, id] of [
      [townshipApprover, township],
      [deptApprover, dept],
    ] as const) {
      const claims = await claimAll(client);
      expect(claims.map((c) => c.id)).toEqual([id]);
      await client.decide(id, { claimToken: claims[0]!.claimToken, version: claims[0]!.version, outcome: 'reject', reason: '范围测试，不予通过' });
    }
  });

  it("historical documents: the information centre imports and lists its bodies' units' only", async () => {
    const file = { fileName: 'old.txt', contentType: 'text/plain' as const, size: 20 };
    const documents = [
      { title: `发改局历史文件（范围测试 ${Date.now()}）`, documentDate: '2015-04-01', draftingUnit: DEFAULT_DRAFTER_UNIT, file },
      { title: `北城街道历史文件（范围测试 ${Date.now()}）`, documentDate: '2016-04-01', draftingUnit: TOWNSHIP_UNIT, file },
    ];
    const refused = await apiError(townshipInfocenter.importHistorical({ documents }));
    expect(refused.status).toBe(400);
    expect(refused.body.error?.issues?.map((i) => i.field)).toEqual(['documents.0.draftingUnit']);
    expect(refused.body.error?.issues?.[0]?.zh).toContain('不属于您负责的公开主体');

    const imported = await platformInfocenter.importHistorical({ documents });
    const [deptDoc, townshipDoc] = imported.documents.map((d) => d.id);
    expect((await townshipInfocenter.listHistorical()).documents.map((d) => d.id)).toEqual([townshipDoc]);
    expect((await platformInfocenter.listHistorical()).documents.map((d) => d.id)).toEqual(expect.arrayContaining([deptDoc, townshipDoc]));
  });

  it('a user with no custom:bodies acts for the top body, as before bodies existed', async () => {
    const { bodies } = await admin.listBodies();
    expect(bodies[0]!.id).toBe(siteConfig.bodyId);
    // dev-drafter-zfb's unit belongs to no body here (the zfb sample is not created): its draft is the top body's.
    const zfb = new GongkaiClient(stack.apiUrl, 'dev-drafter-zfb');
    const id = await submit(zfb, '运城市盐湖区人民政府办公室', `县政府办报告（范围测试 ${Date.now()}）`);
    expect((await zfb.getDraft(id)).body).toBe(siteConfig.bodyId);
    expect((await claimAll(deptApprover)).map((c) => c.id)).toEqual([]);
    const claims = await claimAll(stack.approver2);
    expect(claims.map((c) => c.id)).toEqual([id]);
  });
});

import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, GongkaiClient, type BodyView } from '#client/gongkai';
import type { CreateBodyRequest } from '#shared/domain/body';
import { siteConfig } from '#shared/site/config';
import { SAMPLE_BODIES } from '#infra/local/sample-bodies';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { startTestStack, type TestStack } from '../support/stack.ts';

/** Issue 16.1 and 16.5: 公开主体 as data, kept by the platform administrator through the API. */

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => {
      if (!(e instanceof ApiError)) throw e;
      return { status: e.status, fields: (e.body.error?.issues ?? []).map((i) => i.field), issues: e.body.error?.issues ?? [], code: e.body.error?.code };
    },
  );

const department = (over: Partial<CreateBodyRequest> = {}): CreateBodyRequest => ({
  ...SAMPLE_BODIES.find((b) => b.id === 'fgw')!,
  id: 'test-dept',
  name: '测试县交通运输局',
  code: '11330100MB9999001T',
  units: ['测试县交通运输局'],
  ...over,
});

let stack: TestStack;
let admin: GongkaiClient;

beforeAll(async () => {
  stack = await startTestStack();
  admin = new GongkaiClient(stack.apiUrl, 'dev-admin');
}, 120_000);
let stopped = false;
afterAll(() => (stopped ? undefined : stack?.cleanup()));

describe('the top body', () => {
  it('comes from the single-body settings (config/site.json, config/site/*.md), created once, visible to every role', async () => {
    for (const client of [stack.drafter, stack.approver, admin]) {
      const { bodies } = await client.listBodies();
      const top = bodies.find((b) => b.parent === undefined)!;
      expect(top).toMatchObject({ id: siteConfig.bodyId, name: siteConfig.siteName, code: siteConfig.organizationCode, sitePath: '' });
    }
    const top = await stack.drafter.getBody(siteConfig.bodyId);
    expect(top.guide).toMatch(/^# 政府信息公开指南/);
    expect(top.contact.office).toBe(siteConfig.office);
    expect(top.audit).toEqual([expect.objectContaining({ version: 1, action: 'bootstrapped', by: expect.objectContaining({ sub: 'system' }) })]);
  });
});

describe('a platform administrator', () => {
  it('adds a department below the top body: listed with its parent, its audit trail naming who did it', async () => {
    const created = await admin.createBody(department());
    expect(created).toMatchObject({ id: 'test-dept', version: 1, parent: siteConfig.bodyId, sitePath: 'bodies/test-dept/', createdBy: { sub: 'u-admin' } });
    expect(created.audit).toEqual([expect.objectContaining({ action: 'created', by: expect.objectContaining({ name: '钱进（平台管理员）' }) })]);
    expect(created.audit[0]!.changes.map((c) => c.field)).toEqual(expect.arrayContaining(['name', 'code', 'units', 'guide', 'contact']));
    const { bodies } = await stack.approver.listBodies();
    expect(bodies.find((b) => b.id === 'test-dept')).toMatchObject({ parentName: siteConfig.siteName });
    // The top body comes first.
    expect(bodies[0]!.id).toBe(siteConfig.bodyId);
    // The list carries no 指南 or 制度 texts (a platform of thousands of bodies lists in one page).
    expect(bodies.find((b) => b.id === 'test-dept')).not.toHaveProperty('guide');
  });

  it('is the only role that may add or edit one', async () => {
    for (const client of [stack.drafter, stack.approver, new GongkaiClient(stack.apiUrl, 'dev-infocenter')]) {
      expect(await refusal(client.createBody(department({ id: 'nope', name: '不应创建', code: '11330100MB9999009X', units: [] })))).toMatchObject({ status: 403 });
      expect(await refusal(client.updateBody(siteConfig.bodyId, { ...department(), version: 1 }))).toMatchObject({ status: 403 });
    }
    expect((await admin.listBodies()).bodies.map((b) => b.id)).not.toContain('nope');
  });

  it('is told, field by field in Chinese and English, what makes a body clash with the platform', async () => {
    await admin.createBody(department({ id: 'clash-base', name: '测试县水利局', code: '11330100MB9999002T', units: ['测试县水利局'] }));
    const cases: [Partial<CreateBodyRequest>, string][] = [
      [{ code: '11330100MB9999002T' }, 'code'],
      [{ name: '测试县水利局' }, 'name'],
      [{ units: ['新单位', '测试县水利局'] }, 'units.1'],
      [{ units: ['重复单位', '重复单位'] }, 'units.1'],
      [{ parent: 'no-such-body' }, 'parent'],
      [{ parent: undefined }, 'parent'],
      [{ id: 'Bad_Id' }, 'id'],
      [{ code: 'abc' }, 'code'],
      [{ guide: '# 指南\n\n请联系 {{director}} 了解详情，电话见下。' }, 'guide'],
      [{ system: '没有标题的制度文字，不能成为页面，需要一级标题。' }, 'system'],
      [{ guide: '# 指南\n\n邮政编码：{{postcode}}，请按此邮寄申请。' }, 'guide'],
      [{ contact: { office: '办', address: '地址地址', phone: 'x' } }, 'contact.office'],
    ];
    for (const [over, field] of cases) {
      const r = await refusal(admin.createBody(department({ id: 'clash', name: '测试县冲突局', code: '11330100MB9999003T', units: ['测试县冲突局'], ...over })));
      expect(r.status, JSON.stringify(over)).toBe(400);
      expect(r.fields, JSON.stringify(over)).toContain(field);
      for (const i of r.issues) {
        expect(i.zh).toMatch(/[\u4e00-\u9fff]/);
        expect(i.en).toMatch(/[a-z]{3}/);
      }
    }
    // Nothing of a refused body was kept: the same values are free for a body that is valid.
    expect((await admin.listBodies()).bodies.map((b) => b.id)).not.toContain('clash');
    await admin.createBody(department({ id: 'clash', name: '测试县冲突局', code: '11330100MB9999003T', units: ['测试县冲突局', '新单位', '重复单位'] }));
    // An id already used is a conflict.
    expect(await refusal(admin.createBody(department({ id: 'clash', name: '另一个名称', code: '11330100MB9999004T', units: [] })))).toMatchObject({ status: 409 });
  });

  it('edits at the version read: each change in the audit trail, a stale version refused, a loop refused, units moved between bodies', async () => {
    const a = await admin.createBody(department({ id: 'edit-a', name: '测试县教育局', code: '11330100MB9999005T', units: ['测试县教育局', '测试县教育局招生办'] }));
    const b = await admin.createBody(department({ id: 'edit-b', name: '测试县考试院', code: '11330100MB9999006T', units: ['测试县考试院'], parent: 'edit-a' }));
    const { id: _a, version: _v, createdAt: _c, updatedAt: _u, createdBy: _cb, updatedBy: _ub, sitePath: _s, audit: _au, ...fieldsA } = a;
    // The 招生办 moves from edit-a to edit-b: first taken off edit-a, then given to edit-b.
    const a2 = await admin.updateBody('edit-a', { ...fieldsA, units: ['测试县教育局'], contact: { ...fieldsA.contact, phone: '0571-11112222' }, version: 1 });
    expect(a2.version).toBe(2);
    expect(a2.audit.map((l) => [l.version, l.action])).toEqual([
      [1, 'created'],
      [2, 'updated'],
    ]);
    expect(a2.audit[1]!.changes).toEqual(
      expect.arrayContaining([
        { field: 'units', before: '测试县教育局、测试县教育局招生办', after: '测试县教育局' },
        expect.objectContaining({ field: 'contact', after: expect.stringContaining('0571-11112222') }),
      ]),
    );
    const fieldsB = strip(b);
    const b2 = await admin.updateBody('edit-b', { ...fieldsB, units: ['测试县考试院', '测试县教育局招生办'], version: 1 });
    expect(b2.units).toContain('测试县教育局招生办');
    // Saving over someone else's change: 409, nothing written.
    expect(await refusal(admin.updateBody('edit-a', { ...fieldsA, name: '过期的修改', version: 1 }))).toMatchObject({ status: 409 });
    expect((await admin.getBody('edit-a')).name).toBe('测试县教育局');
    // edit-a below its own child edit-b: a loop.
    expect(await refusal(admin.updateBody('edit-a', { ...strip(a2), parent: 'edit-b', version: 2 }))).toMatchObject({ status: 400, fields: ['parent'] });
    // A unit of another body.
    expect(await refusal(admin.updateBody('edit-a', { ...strip(a2), units: ['测试县教育局', '测试县考试院'], version: 2 }))).toMatchObject({ status: 400, fields: ['units.1'] });
    // Saving what is already there changes nothing.
    expect((await admin.updateBody('edit-a', { ...strip(a2), version: 2 })).version).toBe(2);
    // A field left out of an edit is gone, not kept from the stored body.
    const withPostcode = await admin.updateBody('edit-a', { ...strip(a2), contact: { ...a2.contact, postcode: '310001', officeHours: '工作日 9:00–17:00' }, version: 2 });
    expect(withPostcode.contact).toMatchObject({ postcode: '310001', officeHours: '工作日 9:00–17:00' });
    const without = await admin.updateBody('edit-a', {
      ...strip(withPostcode),
      contact: { office: a2.contact.office, address: a2.contact.address, phone: a2.contact.phone },
      version: 3,
    });
    expect(without.contact).not.toHaveProperty('postcode');
    expect(without.contact).not.toHaveProperty('officeHours');
    expect((await admin.getBody('edit-a')).contact).not.toHaveProperty('postcode');
    expect(await refusal(admin.getBody('no-such'))).toMatchObject({ status: 404 });
    expect(await refusal(admin.updateBody('no-such', { ...strip(a2), version: 1 }))).toMatchObject({ status: 404 });
  });

  it('cannot give one 索引号 code or unit to two bodies by saving both at once', async () => {
    const results = await Promise.allSettled(
      ['race-1', 'race-2', 'race-3'].map((id, i) => admin.createBody(department({ id, name: `测试县竞争局${i}`, code: '11330100MB9999007T', units: [`测试县竞争局${i}`] }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const { bodies } = await admin.listBodies();
    expect(bodies.filter((b) => b.code === '11330100MB9999007T')).toHaveLength(1);
    // The losers' names and units were released: a valid body may take them.
    const loser = results.findIndex((r) => r.status === 'rejected');
    await admin.createBody(department({ id: 'race-late', name: `测试县竞争局${loser}`, code: '11330100MB9999008T', units: [`测试县竞争局${loser}`] }));
  });
});

describe('the claims that keep a value to one body', () => {
  it('are taken over when left by a change interrupted long ago, and respected while a change may be in flight', async () => {
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', endpoint: stack.endpoints.dynamodb, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    );
    try {
      const leave = (unit: string, at: number) =>
        doc.send(new PutCommand({ TableName: stack.names.table, Item: { pk: `BODYCLAIM#unit#${unit}`, sk: 'CLAIM', owner: 'ghost', at } }));
      await leave('测试县孤儿单位', Date.now() - 3600_000);
      await leave('测试县在途单位', Date.now());
      const taken = await admin.createBody(department({ id: 'orphan', name: '测试县孤儿局', code: '11330100MB9999010T', units: ['测试县孤儿单位'] }));
      expect(taken.units).toEqual(['测试县孤儿单位']);
      const r = await refusal(admin.createBody(department({ id: 'inflight', name: '测试县在途局', code: '11330100MB9999011T', units: ['测试县在途单位'] })));
      expect(r).toMatchObject({ status: 400, fields: ['units.0'] });
    } finally {
      doc.destroy();
    }
  });

  it('refuse line breaks and invisible characters in one-line fields', async () => {
    const r = await refusal(admin.createBody(department({ id: 'unsafe', name: '测试县\u202e局', code: '11330100MB9999012T', units: ['单位\n二'] })));
    expect(r.status).toBe(400);
    expect(r.fields).toEqual(expect.arrayContaining(['name', 'units.0']));
  });
});

function strip(b: BodyView) {
  const { id: _a, version: _v, createdAt: _c, updatedAt: _u, createdBy: _cb, updatedBy: _ub, sitePath: _s, audit: _au, ...fields } = b;
  return fields;
}

describe('a store made before bodies existed', () => {
  // Its own stacks, one at a time: the handlers run in this process, on the stack started last.
  beforeAll(async () => {
    stopped = true;
    await stack?.cleanup();
  }, 60_000);
  it('keeps serving, its data the first body’s: the top body is added at the next start and earlier drafts are read as before', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gongkai-bodies-'));
    try {
      let local: LocalStack = await startLocalStack({ dataDir, schedules: false });
      const drafter = () => new GongkaiClient(local.apiUrl, 'dev-drafter-fgw');
      const { validForm } = await import('../support/forms.ts');
      const { fileSpec } = await import('#client/gongkai');
      const { corpus } = await import('../support/stack.ts');
      const { spec } = await fileSpec(corpus('docx/000_70017f665202e428.docx'));
      const created = await drafter().createDraft({ form: validForm({ title: '机构改革前提交的文件' }), files: { document: spec } });
      // Take the store back to how the code before bodies left it: no body, no claim, no audit item.
      const doc = DynamoDBDocumentClient.from(
        new DynamoDBClient({ region: 'us-east-1', endpoint: local.endpoints.dynamodb, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
      );
      // The top body was added at this first start.
      expect((await drafter().listBodies()).bodies.map((b) => b.id)).toEqual([siteConfig.bodyId]);
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new ScanCommand({ TableName: local.names.table, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      const bodyItems = items.filter((i) => /^BODY/.test(String(i.pk)));
      expect(bodyItems.length).toBeGreaterThan(0);
      for (const i of bodyItems) await doc.send(new DeleteCommand({ TableName: local.names.table, Key: { pk: i.pk, sk: i.sk } }));
      doc.destroy();
      await local.stop();

      local = await startLocalStack({ dataDir, schedules: false });
      const { bodies } = await drafter().listBodies();
      expect(bodies.map((b) => b.id)).toEqual([siteConfig.bodyId]);
      expect((await drafter().getDraft(created.id)).form.title).toBe('机构改革前提交的文件');
      // A third start adds nothing twice.
      await local.stop();
      local = await startLocalStack({ dataDir, schedules: false });
      expect((await drafter().getBody(siteConfig.bodyId)).audit).toHaveLength(1);
      await local.stop();
    } finally {
      // A render still finishing as the stack stops may add a file while the folder goes.
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    }
  }, 180_000);
});

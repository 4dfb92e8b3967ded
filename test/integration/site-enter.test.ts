import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { processSiteBatch } from '#functions/render-site';
import { runAs } from '#infra/local/grants';
import { dynamo } from '#shared/aws/clients';
import { env } from '#shared/env';
import { recordFact, recordFacts, reportCounts } from '#shared/site/report';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { readJson } from '#shared/blobs';
import type { Draft } from '#shared/domain/draft';
import { PILOT_DOMAINS } from '#shared/domain/form';
import { getItem, ITEM, query } from '#shared/aws/table';
import { counters, domainList, enterDocuments, findMembership, onEnterStep, pageOf, type ListRef, type Membership } from '#shared/site/catalogue';
import { siteConfig } from '#shared/site/config';
import { buildBundle, saveSearchEntries, updateSearchIndex, type SearchEntry } from '#shared/site/search';
import { createDraft, findDrafts } from '#shared/store';
import { validForm } from '../support/forms.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 17.4, on the emulators: the site consumer enters a run's documents all at once (one
 * counter update per list, batch writes) and keeps what readers rely on — every document listed
 * once, the positions of each list unique and without holes (pages hold PAGE_SIZE consecutive
 * positions) — when a run is delivered again or stops anywhere half-way; a document is PUBLISHED
 * only once every page listing it and the search are written. The search rebuilds a shard from
 * its pack (one object), and a shard built before packs loses nothing.
 */
let stack: TestStack;
/** As the site consumer, held to its grants (shared/topology.ts). */
const as = <T>(f: () => Promise<T>) => runAs('render-site', f);

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => {
  await stack?.cleanup();
});
afterEach(() => onEnterStep(undefined));

const YEAR = '2024';
const DOMAIN = domainList(PILOT_DOMAINS[0]!)!;

/** A draft at `status` with its publication (what publish-document leaves), the odd ones in a pilot domain too. */
function draftOf(i: number, status: Draft['status'] = 'LISTING'): Draft {
  const id = ulid();
  const at = new Date().toISOString();
  const actor = { sub: 'test', name: '测试', role: 'approver' };
  return {
    id,
    version: 1,
    revision: 1,
    status,
    form: validForm({ title: `关于第${i}项工作的通知`, documentNumber: `示政发〔${YEAR}〕${i}号`, documentDate: `${YEAR}-03-01`, ...(i % 2 ? { domain: PILOT_DOMAINS[0]! } : {}) }),
    submitter: { sub: 'test-drafter', name: '起草人', role: 'drafter' },
    files: {
      document: { key: `uploads/${id}/r1/document`, fileName: 'doc.txt', contentType: 'text/plain', maxBytes: 1 << 20, kind: 'text', textKey: `extracted/${id}.txt`, size: 100 },
    },
    findings: [],
    decision: { outcome: 'approve', by: actor, at },
    publication: {
      path: `documents/${id}.html`,
      url: '',
      publishedAt: at,
      indexNumber: `${siteConfig.organizationCode}/${YEAR}-${String(i).padStart(5, '0')}`,
      summary: `第${i}项`,
    },
    history: [],
    createdAt: at,
    updatedAt: at,
    stageEnteredAt: at,
  } as Draft;
}

/** Every entry of a list with its position (sk P#<page>#<pos>), as the list pages read them: id → positions. */
async function positionsOf(list: ListRef): Promise<Map<string, number[]>> {
  const { items } = await query({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': ITEM.site.list(list), ':p': ITEM.site.ENTRY_PREFIX },
  });
  const byId = new Map<string, number[]>();
  for (const item of items) {
    const [, page, pos] = String(item.sk).split('#').map(Number) as [number, number, number];
    expect(page, String(item.sk)).toBe(pageOf(pos));
    byId.set(String(item.id), [...(byId.get(String(item.id)) ?? []), pos]);
  }
  return byId;
}

/** The list's positions are exactly 1 … n, each one document's, and its counter says n. */
async function expectDense(list: ListRef, ids: readonly string[]): Promise<void> {
  const byId = await positionsOf(list);
  expect([...byId.keys()].sort()).toEqual([...ids].sort());
  const all = [...byId.values()].flat().sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
  const counter = (await counters([list])).get(list)!;
  expect(counter).toEqual({ next: ids.length, live: ids.length });
}

const posIn = (m: Membership, list: ListRef) => m.placements.find((p) => p.list === list)?.pos;

describe('entering a run of documents (catalogue)', () => {
  const entered: Draft[] = [];
  const yearList = `year-${YEAR}` as ListRef;

  it('hands out each list its positions in the run order, in one go', async () => {
    const ds = Array.from({ length: 30 }, (_, i) => draftOf(i + 1));
    const members = await as(() => enterDocuments(ds));
    entered.push(...ds);
    expect(members.map((m) => m.id)).toEqual(ds.map((d) => d.id));
    expect(members.map((m) => posIn(m, 'catalogue'))).toEqual(ds.map((_, i) => i + 1));
    expect(members.filter((_, i) => i % 2 === 0).map((m) => posIn(m, DOMAIN))).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    await expectDense(
      'catalogue',
      entered.map((d) => d.id),
    );
    await expectDense(
      yearList,
      entered.map((d) => d.id),
    );
    await expectDense(
      DOMAIN,
      entered.filter((_, i) => i % 2 === 0).map((d) => d.id),
    );
  });

  it('a run delivered again enters nothing twice', async () => {
    const again = await as(() => enterDocuments(entered));
    expect(again.map((m) => posIn(m, 'catalogue'))).toEqual(entered.map((_, i) => i + 1));
    await expectDense(
      'catalogue',
      entered.map((d) => d.id),
    );
  });

  for (const step of ['journal', 'allocated', 'counters', 'entries'] as const) {
    it(`a run stopped after "${step}" and delivered again: every document once, no hole`, async () => {
      const ds = Array.from({ length: 7 }, (_, i) => draftOf(100 + i));
      onEnterStep((s) => {
        if (s === step) throw new Error(`stopped after ${s}`);
      });
      await expect(as(() => enterDocuments(ds))).rejects.toThrow(`stopped after ${step}`);
      onEnterStep(undefined);
      const members = await as(() => enterDocuments(ds));
      const before = entered.length;
      entered.push(...ds);
      expect(members.map((m) => posIn(m, 'catalogue'))).toEqual(ds.map((_, i) => before + i + 1));
      await expectDense(
        'catalogue',
        entered.map((d) => d.id),
      );
      await expectDense(
        yearList,
        entered.map((d) => d.id),
      );
    });
  }

  it('a stopped run is completed by the next run, whatever documents that one takes', async () => {
    const stopped = Array.from({ length: 4 }, (_, i) => draftOf(200 + i));
    const next = Array.from({ length: 3 }, (_, i) => draftOf(300 + i));
    onEnterStep((s) => {
      if (s === 'allocated') throw new Error('stopped');
    });
    await expect(as(() => enterDocuments(stopped))).rejects.toThrow('stopped');
    onEnterStep(undefined);
    const before = entered.length;
    // The next run takes other documents only: the stopped run's are entered first, at the positions it drew.
    const members = await as(() => enterDocuments(next));
    expect(members.map((m) => posIn(m, 'catalogue'))).toEqual(next.map((_, i) => before + stopped.length + i + 1));
    for (const [i, d] of stopped.entries()) expect(posIn((await findMembership(d.id))!, 'catalogue')).toBe(before + i + 1);
    // Their entries come when they are entered (their membership is kept).
    const later = await as(() => enterDocuments(stopped));
    expect(later.map((m) => posIn(m, 'catalogue'))).toEqual(stopped.map((_, i) => before + i + 1));
    entered.push(...stopped, ...next);
    await expectDense(
      'catalogue',
      entered.map((d) => d.id),
    );
  });

  it('calls side by side in one process are entered one run after another, each position once', async () => {
    const ds = Array.from({ length: 12 }, (_, i) => draftOf(400 + i));
    await as(() => Promise.all(ds.map((d) => enterDocuments([d]))));
    entered.push(...ds);
    await expectDense(
      'catalogue',
      entered.map((d) => d.id),
    );
  });
});

describe('the site consumer stopped half-way', () => {
  async function listing(n: number, from: number): Promise<Draft[]> {
    const ds = Array.from({ length: n }, (_, i) => draftOf(from + i));
    for (const d of ds) {
      await createDraft(d);
      const entry: SearchEntry = {
        url: d.publication!.path,
        title: d.form.title,
        content: `关于第${from}项工作。编号${d.id}。`,
        meta: { unit: d.form.draftingUnit, date: d.form.documentDate },
      };
      await saveSearchEntries(d.id, [entry]);
    }
    return ds;
  }
  const site = async (key: string) => (await (await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.site, Key: key }))).Body!.transformToString()) as string;
  const statusOf = async (ds: readonly Draft[]) => [...(await findDrafts(ds.map((d) => d.id))).values()].map((d) => d.status);
  const published: Draft[] = [];

  it('publishes nothing before its pages and search are written, and converges when delivered again', async () => {
    // Other lists' documents from the catalogue test are in the table: this body's catalogue counts on from them.
    const start = (await counters(['catalogue'])).get('catalogue')!.next;
    for (const step of ['allocated', 'entries'] as const) {
      const ds = await listing(3, 500 + published.length);
      onEnterStep((s) => {
        if (s === step) throw new Error(`stopped after ${s}`);
      });
      await expect(as(() => processSiteBatch([{ op: 'publish', draftId: ds[0]!.id }]))).rejects.toThrow(`stopped after ${step}`);
      onEnterStep(undefined);
      expect(await statusOf(ds)).toEqual(['LISTING', 'LISTING', 'LISTING']);
      const r = await as(() => processSiteBatch([{ op: 'publish', draftId: ds[0]!.id }]));
      expect([...r.published].sort()).toEqual(ds.map((d) => d.id).sort());
      expect(await statusOf(ds)).toEqual(['PUBLISHED', 'PUBLISHED', 'PUBLISHED']);
      published.push(...ds);
      // Each on the catalogue's front page and in the list once, in the search shard, and the positions go on without a hole.
      const front = await site('columns/catalogue/index.html');
      for (const d of ds) expect(front, d.id).toContain(`documents/${d.id}.html`);
      const listed = await positionsOf('catalogue');
      for (const d of published) expect(listed.get(d.id), d.id).toHaveLength(1);
      const shard = await readJson<{ ids: string[] }>('drafts', `search/shards/${siteConfig.bodyId}/${YEAR}/1.json`);
      expect(shard?.ids).toEqual(expect.arrayContaining(ds.map((d) => d.id)));
      const members = await Promise.all(published.map(async (d) => posIn((await findMembership(d.id))!, 'catalogue')!));
      expect(members.sort((a, b) => a - b)).toEqual(published.map((_, i) => start + i + 1));
      expect((await counters(['catalogue'])).get('catalogue')!.next).toBe(start + published.length);
    }
    // Delivered once more: nothing moves.
    const r = await as(() => processSiteBatch([{ op: 'publish', draftId: published[0]!.id }]));
    expect(r.published).toEqual([]);
    expect((await counters(['catalogue'])).get('catalogue')!.next).toBe(start + published.length);
  }, 120_000);
});

describe('the search rebuilt from shard packs', () => {
  const BODY = 'packs';
  const entry = (i: number): SearchEntry => ({
    url: `documents/PACK${String(i).padStart(22, '0')}.html`,
    title: `关于第${i}项打包工作的通知`,
    content: `第${i}项：秸秆禁烧、防汛抗旱${i % 2 ? '、义务教育' : ''}。编号${i}号。`,
    meta: { unit: '某县人民政府办公室', date: '2023-04-01', body: BODY },
  });
  const idOf = (i: number) => `PACK${String(i).padStart(22, '0')}`;
  const SHARD = `${BODY}/2023/1`;
  const packKey = `search/packs/${SHARD}.json`;
  const live = new Set<number>();

  async function add(...is: number[]) {
    for (const i of is) {
      await saveSearchEntries(idOf(i), [entry(i)]);
      live.add(i);
    }
    return as(() => updateSearchIndex({ added: is.map(idOf), removed: [] }));
  }
  /** The shard's bundle equals a fresh build of exactly the live documents (byte for byte, file by file). */
  async function expectBundleOfLive() {
    const pointer = await readJson<{ shards: { shard: string; folder: string }[] }>('site', 'search/current.json');
    const folder = pointer!.shards.find((s) => s.shard === SHARD)!.folder;
    const fresh = await buildBundle([...live].sort((a, b) => a - b).map(entry));
    for (const f of fresh) {
      const obj = await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.site, Key: `${folder}${f.path}` }));
      expect(Buffer.from(await obj.Body!.transformToByteArray()).equals(Buffer.from(f.content)), f.path).toBe(true);
    }
    const pack = await readJson<{ entries: Record<string, SearchEntry[]> }>('drafts', packKey);
    expect(Object.keys(pack!.entries).sort()).toEqual([...live].map(idOf).sort());
  }

  it('reads a shard from its pack: one object, not one per document', async () => {
    const first = await add(...Array.from({ length: 12 }, (_, i) => i));
    expect(first).toMatchObject({ rebuilt: [{ shard: SHARD, documents: 12 }], entriesRead: 12, packsRead: 0 });
    const next = await add(12);
    // Only the new document's own object (to place it), and the pack.
    expect(next).toMatchObject({ rebuilt: [{ shard: SHARD, documents: 13 }], entriesRead: 1, packsRead: 1 });
    await expectBundleOfLive();
  });

  it('a shard built before packs keeps every document, read from their own objects once, then packed', async () => {
    await stack.s3.send(new DeleteObjectCommand({ Bucket: stack.names.buckets.drafts, Key: packKey }));
    const r = await add(13);
    expect(r).toMatchObject({ rebuilt: [{ shard: SHARD, documents: 14 }], entriesRead: 1 + 13, packsRead: 1 });
    await expectBundleOfLive();
    const again = await add(14);
    expect(again).toMatchObject({ rebuilt: [{ shard: SHARD, documents: 15 }], entriesRead: 1, packsRead: 1 });
    await expectBundleOfLive();
  });

  it('a withdrawn document leaves the bundle and the pack', async () => {
    const r = await as(() => updateSearchIndex({ added: [], removed: [idOf(3)] }));
    live.delete(3);
    expect(r).toMatchObject({ rebuilt: [{ shard: SHARD, documents: 14 }], entriesRead: 0, packsRead: 1 });
    await expectBundleOfLive();
    const pack = await readJson<{ entries: Record<string, SearchEntry[]> }>('drafts', packKey);
    expect(JSON.stringify(pack)).not.toContain(entry(3).title);
  });
});

describe('the annual-report facts of a run (recordFacts)', () => {
  const zero = { published: 0, filed: 0, reviewed: 0, converted: 0, withdrawn: 0 };
  const BODY = 'facts';
  const fact = (id: string, year = '2022') => ({ metric: 'published' as const, draftId: id, at: `${year}-06-01T00:00:00.000Z`, body: BODY });

  it('counts each fact once, however often the run is delivered, and beside recordFact', async () => {
    await as(() => recordFacts([fact('F1'), fact('F2'), fact('F3'), fact('F4', '2021')]));
    await as(() => recordFacts([fact('F1'), fact('F2'), fact('F3'), fact('F4', '2021'), fact('F5')]));
    await as(() => recordFact('published', 'F5', fact('F5').at, BODY));
    expect(await as(() => reportCounts(BODY))).toEqual([
      { year: '2022', ...zero, published: 4 },
      { year: '2021', ...zero, published: 1 },
    ]);
    expect((await as(() => getItem(ITEM.report.counts('2022', BODY))))?.pending).toBeUndefined();
  });

  it('a run stopped between the steps is counted once by the next', async () => {
    const year = '2020';
    const counts = ITEM.report.counts(year, BODY);
    const put = (id: string) =>
      as(() =>
        dynamo().send(new PutCommand({ TableName: env.tableName(), Item: { ...ITEM.report.fact(year, 'published', id, BODY), at: fact(id, year).at, v: 2, counting: true } })),
      );
    // G1: created, not yet counted. G2: counted (in the pending set), not yet marked. G3: marked, still in the set.
    await put('G1');
    await put('G2');
    await as(() =>
      dynamo().send(
        new UpdateCommand({
          TableName: env.tableName(),
          Key: counts,
          UpdateExpression: 'ADD published :n, pending :t',
          ExpressionAttributeValues: { ':n': 2, ':t': new Set(['published#G2', 'published#G3']) },
        }),
      ),
    );
    await as(() => dynamo().send(new PutCommand({ TableName: env.tableName(), Item: { ...ITEM.report.fact(year, 'published', 'G3', BODY), at: fact('G3', year).at, v: 2 } })));
    await as(() => recordFacts([fact('G1', year), fact('G2', year), fact('G3', year), fact('G4', year)]));
    const years = await as(() => reportCounts(BODY));
    expect(years.find((y) => y.year === year)).toEqual({ year, ...zero, published: 4 });
    expect((await as(() => getItem(counts)))?.pending).toBeUndefined();
    for (const id of ['G1', 'G2', 'G3', 'G4']) expect((await as(() => getItem(ITEM.report.fact(year, 'published', id, BODY))))?.counting, id).toBeUndefined();
  });
});

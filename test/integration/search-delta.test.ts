import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { buildBundle, saveSearchEntries, updateSearchIndex, SEARCH_POINTER_KEY, type SearchEntry } from '#shared/site/search';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * A publication writes only what changed in its search shard (issue 17.2), on the emulators:
 * the shard is rebuilt in place, only the files a fresh build would name differently are written,
 * the pointer is left alone, the folder always holds exactly a fresh build's files (byte for
 * byte) plus the previous build's leftovers, which go at the next rebuild; a withdrawal still
 * builds a fresh folder and deletes the old one at once; a file a stopped build was writing is
 * not left behind.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => {
  await stack?.cleanup();
});

const PHRASES = ['防汛抗旱', '义务教育', '社会救助', '养老服务', '就业创业', '秸秆禁烧', '电动自行车', '生态环境'];
const entry = (i: number): SearchEntry => ({
  url: `documents/DOC${String(i).padStart(23, '0')}.html`,
  title: `关于第${i}项${PHRASES[i % PHRASES.length]}工作的通知`,
  content: `为做好${PHRASES[i % PHRASES.length]}和${PHRASES[(i * 3 + 1) % PHRASES.length]}工作，现将有关事项通知如下。编号${i}号。`,
  meta: { unit: '某县人民政府办公室', date: '2025-04-01', body: 'county' },
});
const idOf = (i: number) => `DOC${String(i).padStart(23, '0')}`;

async function publish(i: number) {
  await saveSearchEntries(idOf(i), [entry(i)]);
}

/** Every object under `prefix` of the site bucket, with its bytes. */
async function objects(prefix: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  let token: string | undefined;
  do {
    const res = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.site, Prefix: prefix, ContinuationToken: token }));
    for (const o of res.Contents ?? []) {
      const obj = await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.site, Key: o.Key! }));
      out.set(o.Key!, Buffer.from(await obj.Body!.transformToByteArray()));
    }
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** The files of a fresh build of documents 0 … n-1, by site key in `folder`. */
async function freshBuild(docs: readonly number[], folder: string): Promise<Map<string, Buffer>> {
  const files = await buildBundle(docs.map(entry));
  return new Map(files.map((f) => [`${folder}${f.path}`, Buffer.from(f.content)]));
}

const FOLDER = 'search/s/county/2025/1/g1/';

describe('the search delta of a publication', () => {
  it('writes only the files that changed, in the same folder, and leaves the pointer', async () => {
    const docs = Array.from({ length: 30 }, (_, i) => i);
    for (const i of docs) await publish(i);
    const first = await updateSearchIndex({ added: docs.map(idOf), removed: [] });
    expect(first.rebuilt).toEqual([{ shard: 'county/2025/1', documents: 30 }]);
    expect(first.written).toContain(SEARCH_POINTER_KEY);
    const built = await objects(FOLDER);
    expect(built).toEqual(await freshBuild(docs, FOLDER));

    const leftovers: string[][] = [];
    for (const i of [30, 31, 32]) {
      await publish(i);
      docs.push(i);
      const before = await objects(FOLDER);
      const r = await updateSearchIndex({ added: [idOf(i)], removed: [] });
      expect(r.rebuilt).toEqual([{ shard: 'county/2025/1', documents: docs.length }]);
      // Only changed files, all in the shard's folder: no new folder, no pointer.
      expect(r.written.length).toBeGreaterThan(0);
      expect(r.written.length).toBeLessThan(15);
      expect(r.written.every((k) => k.startsWith(FOLDER))).toBe(true);
      const fresh = await freshBuild(docs, FOLDER);
      for (const k of r.written) expect(before.get(k)?.equals(fresh.get(k)!) ?? false, k).toBe(false);
      // The folder holds a fresh build's files byte for byte, and this build's leftovers (the previous ones are gone).
      const after = await objects(FOLDER);
      for (const [k, bytes] of fresh) expect(after.get(k)?.equals(bytes), k).toBe(true);
      const extra = [...after.keys()].filter((k) => !fresh.has(k));
      expect(extra.length).toBeGreaterThan(0);
      // The previous build's leftovers are deleted now (those this build does not name again), and only they.
      const previous = (leftovers.at(-1) ?? []).filter((k) => !fresh.has(k));
      for (const k of previous) expect(after.has(k), `${k} left two builds`).toBe(false);
      expect([...r.deleted].sort()).toEqual([...previous].sort());
      leftovers.push(extra);
    }
    // A retried message changes nothing.
    expect(await updateSearchIndex({ added: [idOf(32)], removed: [] })).toMatchObject({ rebuilt: [], written: [], deleted: [] });
  });

  it('a withdrawal builds a fresh folder and deletes the old one at once', async () => {
    const r = await updateSearchIndex({ added: [], removed: [idOf(5)] });
    expect(r.rebuilt).toEqual([{ shard: 'county/2025/1', documents: 32 }]);
    expect(r.written).toContain(SEARCH_POINTER_KEY);
    expect(r.written.every((k) => k === SEARCH_POINTER_KEY || k.startsWith('search/s/county/2025/1/g2/'))).toBe(true);
    expect([...(await objects(FOLDER)).keys()]).toEqual([]);
    const docs = Array.from({ length: 33 }, (_, i) => i).filter((i) => i !== 5);
    expect(await objects('search/s/county/2025/1/')).toEqual(await freshBuild(docs, 'search/s/county/2025/1/g2/'));
  });

  it('deletes a file a stopped build was writing, once no build names it', async () => {
    const folder = 'search/s/county/2025/1/g2/';
    const stray = `${folder}fragment/unknown_deadbee.pf_fragment`;
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.names.buckets.site, Key: stray, Body: 'left by a stopped build' }));
    // What a build stopped after reserving left in the shard's state.
    const stateKey = 'search/shards/county/2025/1.json';
    const state = JSON.parse(
      Buffer.from(await (await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.drafts, Key: stateKey }))).Body!.transformToByteArray()).toString('utf8'),
    ) as { writing?: string[] };
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.names.buckets.drafts, Key: stateKey, Body: JSON.stringify({ ...state, writing: [stray] }) }));
    await publish(40);
    await updateSearchIndex({ added: [idOf(40)], removed: [] });
    await publish(41);
    await updateSearchIndex({ added: [idOf(41)], removed: [] });
    expect((await objects(folder)).has(stray)).toBe(false);
  });
});

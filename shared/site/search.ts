/**
 * Static full-text search of the public site (pagefind; Chinese is indexed character by
 * character and searched as phrases, see charWords).
 *
 * Design (issue 17: a build must not grow with the platform)
 * - publish-document stores each document's searchable pages privately, one object per
 *   draft: drafts bucket `search/entries/<draftId>.json` (saveSearchEntries).
 * - The index is split into shards: one body's documents of one year (成文日期), in parts of at
 *   most SHARD_LIMIT documents (`<body>/<year>/<part>`; a historical import of one body-year
 *   opens as many parts as it needs). Each shard is its own pagefind bundle; the browser merges
 *   the shards it needs (mergeIndex; a body filter loads only that body's shards).
 * - render-site (one run at a time, FIFO) rebuilds only the shards whose documents changed
 *   (updateSearchIndex): a publication rebuilds the open part of its body-year, a withdrawal
 *   the part holding the document. Each rebuild reads only that shard's entries: its pack
 *   (`search/packs/<shard>.json`, the shard's entries in one object, written at each rebuild;
 *   issue 17.4), and the per-document objects of new documents and of any the pack lacks (a
 *   shard built before packs is packed at its next rebuild).
 * - State is per shard, never one object growing with the platform: `search/shards/<shard>.json`
 *   (its ids, at most SHARD_LIMIT, and its folders), `search/shards/<body>/<year>/head.json`
 *   (the body-year's part count) and `search/located/<id>.json` (the shard holding a document,
 *   written once, before the shard lists it, so a retry places it in the same shard).
 * - Each build goes to a fresh folder (`search/s/<shard>/g<N>/`). The small public pointer
 *   `search/current.json` (no-cache) lists every non-empty shard with its folder; it is written
 *   after the new bundles are complete, so a reader sees old or new folders, never half a
 *   bundle. A shard's previous folder stays one generation for readers mid-search and goes at
 *   its next rebuild; a shard that lost a document deletes every other folder at once: the
 *   withdrawn text leaves the site bucket now. A folder is recorded in its shard's state before
 *   it is written, so a crash can leave no untracked folder holding withdrawn text.
 * - A publication writes only what changed (issue 17.2): pagefind names its index, fragment,
 *   filter and meta files by their content, so a shard whose state keeps its folder's manifest
 *   (file → content hash) is rebuilt in place — only new or changed files are written (a new
 *   document: its fragment, the few index chunks its words fall in, the meta and filter files,
 *   pagefind-entry.json last), the pointer stays as it is, and the files the build no longer
 *   names are deleted at the next rebuild (readers mid-search keep the ones they loaded one
 *   generation, as with folders). The files about to be written are recorded in the state first
 *   (`writing`), so a crash leaves none untracked. A withdrawal still builds a fresh folder and
 *   deletes every other at once; so does a shard without a manifest (from before), once.
 * - Before issue 17 the index had a base and a delta tier (`search/state.json`, pointer
 *   version 1). The first update after the upgrade places every document they held in shards
 *   (each shard built alone, so the run is long once but no build is large), writes the new
 *   pointer, deletes the old folders and marks the old state migrated.
 */
import { createHash } from 'node:crypto';
import { accessSync, chmodSync, constants, copyFileSync, existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { deleteKeys, listKeys, readJson, statObject, writeObject } from '#shared/blobs';
import { env, setLibraryVariable } from '#shared/env';
import { log } from '#shared/log';
import { SEARCH_SCRIPT, SEARCH_SCRIPT_KEY, SEARCH_STYLE, SEARCH_STYLE_KEY, searchPage } from '#shared/render/search-page';
import { sitePaths } from '#shared/render/site';
import { siteConfig } from '#shared/site/config';
import { mapLimit, phaseClock } from '#shared/batching';

export { searchPage } from '#shared/render/search-page';

/** One searchable page of a published document (its text is already masked, PUB-4). */
export interface SearchEntry {
  /** Site-relative URL of the page, e.g. `documents/<id>.html`. */
  readonly url: string;
  readonly title: string;
  /** Masked plain text of the page. */
  readonly content: string;
  readonly meta: Readonly<Record<string, string>>;
}

/** What an update did, beyond the keys (for logs and tests). */
export interface SearchUpdate {
  /** Site keys written (the new bundles and the pointer) and deleted (superseded bundles), for CDN invalidation. */
  written: string[];
  deleted: string[];
  /** The shards rebuilt, each with its documents now ([]: nothing to do). */
  rebuilt: { shard: string; documents: number }[];
  /** Per-document entry objects read from the drafts bucket (to place new documents, and for shards not packed yet). */
  entriesRead: number;
  /** Shard packs read (one per rebuilt shard that held documents before). */
  packsRead: number;
  /** Wall-clock ms of the update's steps (place, read, build, write, finish). */
  ms: Record<string, number>;
  /** Shards listed in the pointer after the update. */
  shards: number;
  /** Added ids without stored entries (not indexed). */
  missing: string[];
}

/**
 * Documents per shard. A shard is one part of one body's documents of one year (成文日期);
 * a body-year past the cap opens its next part, so no build handles more than this many,
 * whatever the platform holds (a full part of real-length notices builds in well under 1 GB).
 */
export const SHARD_LIMIT = 200;
/** Env var naming the folder that holds the pagefind binary in a Lambda bundle (topology asset). */
export const PAGEFIND_DIR_ENV = 'PAGEFIND_DIR';

export const SEARCH_POINTER_KEY = 'search/current.json';
const entriesKey = (draftId: string) => `search/entries/${draftId}.json`;
/** Which shard holds a document: written once, before the shard's state lists it (a retry finds it). */
const locatorKey = (draftId: string) => `search/located/${draftId}.json`;
/** A body-year's part count. */
const headKey = (body: string, year: string) => `search/shards/${body}/${year}/head.json`;
/** One shard's state: its ids and bundle folders (bounded by SHARD_LIMIT). */
const shardKey = (shard: string) => `search/shards/${shard}.json`;
/**
 * One shard's entries together (its pack: id → the document's entries), written at each rebuild,
 * so the next rebuild reads one object instead of one per document (issue 17.4). A cache of the
 * per-document objects, which stay the record: a document's entries never change once it is in a
 * shard (a published document is only ever withdrawn), a document not in the pack (a shard built
 * before packs, a run stopped between its build and its state) is read from its own object, and a
 * withdrawn document leaves the pack at the rebuild that drops it from the shard.
 */
const packKey = (shard: string) => `search/packs/${shard}.json`;
interface ShardPack {
  readonly shard: string;
  readonly entries: Readonly<Record<string, readonly SearchEntry[]>>;
}
const ID = /^[A-Za-z0-9_-]{1,100}$/;
const BODY = /^[a-z][a-z0-9-]{1,39}$/;
/** Site-relative page URLs only: no scheme, no leading slash, no way up. */
const PAGE_URL = /^[A-Za-z0-9][A-Za-z0-9_\-/.]*\.html$/;

/** The state of one shard (drafts bucket), never larger than SHARD_LIMIT ids. */
interface ShardState {
  readonly version: 2;
  /** `<body>/<year>/<part>`. */
  readonly shard: string;
  readonly body: string;
  readonly seq: number;
  readonly ids: readonly string[];
  /** The current bundle folder, or null while the shard is empty. */
  readonly folder: string | null;
  /** Every bundle folder of this shard written to the site bucket and not yet deleted. */
  readonly folders: readonly string[];
  /** The current folder's files (path in the bundle → content hash): a publication writes only what differs. */
  readonly files?: Readonly<Record<string, string>>;
  /** Site keys in the current folder the last build no longer names: deleted at the next rebuild. */
  readonly orphans?: readonly string[];
  /** Site keys being written by a build (recorded before it writes them): orphans if a crash stopped it. */
  readonly writing?: readonly string[];
}
/** One shard as the browser sees it. */
export interface PointerShard {
  readonly shard: string;
  readonly body: string;
  readonly folder: string;
}
/** The public pointer: one small entry per non-empty shard, sorted by shard. */
export interface SearchPointer {
  readonly version: 2;
  readonly shards: readonly PointerShard[];
}
const EMPTY_POINTER: SearchPointer = { version: 2, shards: [] };
/** The state of the index before shards (base and delta tiers), read once to migrate it. */
const LEGACY_STATE_KEY = 'search/state.json';
interface LegacyState {
  readonly migrated?: true;
  readonly base?: { readonly idsKey?: string };
  readonly delta?: { readonly ids?: readonly string[] };
  readonly folders?: readonly string[];
}

function assertId(draftId: string): void {
  if (!ID.test(draftId)) throw new Error(`Invalid draft id for search: ${JSON.stringify(draftId)}`);
}

/** Stores the search entries of one draft (its document page and interpretation page) privately, for index builds. */
export async function saveSearchEntries(draftId: string, entries: readonly SearchEntry[]): Promise<void> {
  assertId(draftId);
  for (const e of entries) {
    if (!PAGE_URL.test(e.url) || e.url.includes('..')) throw new Error(`Search entry URL must be a site-relative page, got ${JSON.stringify(e.url)}`);
  }
  const body = JSON.stringify({ draftId, entries: entries.map((e) => ({ url: e.url, title: e.title, content: e.content, meta: { ...e.meta } })) });
  await writeObject('drafts', entriesKey(draftId), body, 'application/json');
}

/**
 * The published (masked) text of one of a draft's pages, as its search entry keeps it: what a
 * page rendered again later shows (render-site never reads the drafts themselves).
 */
export async function publishedPageText(draftId: string, url: string): Promise<string | undefined> {
  assertId(draftId);
  const stored = await readJson<{ entries: SearchEntry[] }>('drafts', entriesKey(draftId));
  return stored?.entries.find((e) => e.url === url)?.content;
}

/**
 * Points pagefind's Node API at the binary shipped with the Lambda bundle: `$PAGEFIND_DIR`
 * (a topology asset folder) holds `pagefind_extended`; pagefind honours
 * PAGEFIND_EXTENDED_BINARY_PATH. Locally neither is set and pagefind finds its
 * platform package in node_modules. A binary that lost its execute bit in packaging is
 * copied to the temp folder and made executable.
 */
function locatePagefindBinary(): void {
  const dir = env.assetDir(PAGEFIND_DIR_ENV);
  if (!dir || env.pagefindBinary()) return;
  let binary = join(dir, 'pagefind_extended');
  if (!existsSync(binary)) throw new Error(`${PAGEFIND_DIR_ENV}=${dir} holds no pagefind_extended binary`);
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    const copy = join(tmpdir(), 'pagefind_extended');
    if (!existsSync(copy)) {
      const partial = `${copy}.${process.pid}`;
      copyFileSync(binary, partial);
      chmodSync(partial, 0o755);
      renameSync(partial, copy);
    }
    binary = copy;
  }
  setLibraryVariable('PAGEFIND_EXTENDED_BINARY_PATH', binary);
}

/**
 * Chinese is indexed character by character: a space on each side of every Han character
 * makes each a word of its own, for pagefind's plain tokenizer (language `unknown`: no
 * stemming, no dictionary; 2–3 times faster to build than its `zh` segmentation). The page
 * searches a query as an exact phrase of its characters, so any substring of the text is
 * found, and only where it occurs, and it takes these spaces out again when it shows an
 * excerpt. (With pagefind's own segmentation, the dictionary at index time and the
 * browser's Intl.Segmenter at query time disagree on words they do not know — place names
 * like 李沧区 — and a word is found only by its prefix, never inside a longer word: 政府
 * would miss 人民政府.)
 */
export const charWords = (text: string): string => text.replace(/(?<=\p{Script=Han})(?=\S)|(?<=\S)(?=\p{Script=Han})/gu, ' ');
/** The language the bundles are built in (see charWords); the page finds it whatever its own `lang`. */
const INDEX_LANGUAGE = 'unknown';

/** Files of a bundle the search page needs (pagefind also writes its UI kits, unused here). */
const NEEDED = (path: string) => !/^pagefind-(ui|modular-ui|component-ui|highlight)\b/.test(path);
const contentType = (path: string) => (path.endsWith('.js') ? 'text/javascript; charset=utf-8' : path.endsWith('.json') ? 'application/json' : 'application/octet-stream');
/** A file pagefind names by its content is never rewritten. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** pagefind.js, its worker and WebAssembly keep their names across versions: kept briefly. */
const PLAIN = 'public, max-age=300';
/** The bundle's entry names its current meta file: asked again on every load (pagefind adds ?ts=). */
const ENTRY = 'pagefind-entry.json';
/** Files pagefind names by a hash of their content (`…_<hex>.pf_…`). */
const HASHED = /_[0-9a-f]{7,}\.pf_[a-z]+$/;
const cacheOf = (path: string) => (HASHED.test(path) ? IMMUTABLE : path === ENTRY ? 'no-cache' : PLAIN);
const hashOf = (content: Uint8Array) => createHash('sha256').update(content).digest('hex').slice(0, 32);

/** Builds a pagefind bundle of `entries` in memory; [] when there are none (no bundle). */
export async function buildBundle(entries: readonly SearchEntry[]): Promise<{ path: string; content: Uint8Array }[]> {
  if (entries.length === 0) return [];
  locatePagefindBinary();
  try {
    const { index, errors } = await pagefind.createIndex({});
    if (!index) throw new Error(`pagefind createIndex failed: ${errors.join('; ')}`);
    for (const e of entries) {
      const added = await index.addCustomRecord({
        url: e.url,
        // The title is searchable too (pagefind indexes only the content of a custom record).
        content: charWords(`${e.title}\n${e.content}`),
        language: INDEX_LANGUAGE,
        meta: { ...e.meta, title: e.title },
        // The search page filters by 公开主体 (entries from before bodies: the top body's).
        filters: { body: [e.meta.body ?? siteConfig.bodyId] },
      });
      if (added.errors.length) throw new Error(`pagefind could not index ${e.url}: ${added.errors.join('; ')}`);
    }
    const { files, errors: fileErrors } = await index.getFiles();
    if (fileErrors.length) throw new Error(`pagefind could not build the bundle: ${fileErrors.join('; ')}`);
    return files.filter((f) => NEEDED(f.path));
  } finally {
    await pagefind.close(); // stops the pagefind child process
  }
}

type Stored = { entries: SearchEntry[] } | undefined;
const readEntry = (id: string) => readJson<{ entries: SearchEntry[] }>('drafts', entriesKey(id));

/** The body and year a document's shard is chosen by (from its stored entry: 公开主体 and 成文日期). */
function bodyYearOf(stored: NonNullable<Stored>): { body: string; year: string } {
  const meta = stored.entries[0]?.meta ?? {};
  const body = meta.body && BODY.test(meta.body) ? meta.body : siteConfig.bodyId;
  const year = /^(\d{4})-/.exec(meta.date ?? '')?.[1] ?? '0000';
  return { body, year };
}

const bundleFolder = (shard: string, seq: number) => `search/s/${shard}/g${seq}/`;
const emptyShard = (shard: string): ShardState => ({ version: 2, shard, body: shard.split('/')[0]!, seq: 0, ids: [], folder: null, folders: [] });
const saveShard = (s: ShardState) => writeObject('drafts', shardKey(s.shard), JSON.stringify(s), 'application/json');

/**
 * Places documents not placed yet: each goes to the open (last) part of its body-year, a new
 * part once that one holds `limit`. The locator is written before the shard's state lists the
 * document, so a retried message finds the same shard; a document placed before stays there.
 */
async function place(ids: readonly string[], limit: number, cache: Map<string, Stored>): Promise<{ byShard: Map<string, string[]>; entriesRead: number }> {
  const located = await mapLimit(ids, 32, (id) => readJson<{ shard: string }>('drafts', locatorKey(id)));
  const byShard = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, id: string) => {
    const list = map.get(key);
    if (list) list.push(id);
    else map.set(key, [id]);
  };
  const add = (shard: string, id: string) => push(byShard, shard, id);
  const unplaced = ids.filter((id, i) => {
    if (located[i]) add(located[i]!.shard, id);
    return !located[i];
  });
  const byYear = new Map<string, string[]>();
  // Read in slices, keeping only a small batch's entries for the build (a migration places thousands).
  const keep = unplaced.length <= 2 * SHARD_LIMIT;
  for (let at = 0; at < unplaced.length; at += SHARD_LIMIT) {
    const slice = unplaced.slice(at, at + SHARD_LIMIT);
    const stored = await mapLimit(slice, 32, readEntry);
    slice.forEach((id, i) => {
      if (keep || !stored[i]) cache.set(id, stored[i]);
      if (!stored[i]) return; // no entry: reported missing, placed once it has one
      const { body, year } = bodyYearOf(stored[i]!);
      push(byYear, `${body}/${year}`, id);
    });
  }
  for (const [bodyYear, group] of byYear) {
    const [body, year] = bodyYear.split('/') as [string, string];
    let parts = (await readJson<{ parts: number }>('drafts', headKey(body, year)))?.parts ?? 1;
    let open = (await readJson<ShardState>('drafts', shardKey(`${bodyYear}/${parts}`))) ?? emptyShard(`${bodyYear}/${parts}`);
    let room = limit - open.ids.length - (byShard.get(open.shard)?.length ?? 0);
    const headBefore = parts;
    const placed: [string, string][] = [];
    for (const id of group) {
      if (room <= 0) {
        parts++;
        open = emptyShard(`${bodyYear}/${parts}`);
        room = limit;
      }
      placed.push([id, open.shard]);
      room--;
    }
    if (parts !== headBefore) await writeObject('drafts', headKey(body, year), JSON.stringify({ parts }), 'application/json');
    await mapLimit(placed, 32, ([id, shard]) => writeObject('drafts', locatorKey(id), JSON.stringify({ shard }), 'application/json'));
    for (const [id, shard] of placed) add(shard, id);
  }
  return { byShard, entriesRead: unplaced.length };
}

/**
 * Brings the public search (site bucket, under `search/`) up to date after drafts were added to
 * or removed from the site. Only the shards holding those drafts are rebuilt, each from its own
 * entries (at most `shardLimit`), one after another, so no build grows with the platform.
 * Each rebuild goes to a fresh folder, recorded in the shard's state before it is written; the
 * pointer `search/current.json` (no-cache) names the new folders once they are complete; then
 * a shard's superseded folders are deleted — all of them at once when it lost a document (the
 * withdrawn text must leave the site bucket now), else all but the previous one (readers
 * mid-search). Retried messages are no-ops. Must not run concurrently with itself
 * (render-site is a single FIFO consumer).
 */
export async function updateSearchIndex(
  change: { readonly added: readonly string[]; readonly removed: readonly string[] },
  options: { readonly shardLimit?: number } = {},
): Promise<SearchUpdate> {
  [...change.added, ...change.removed].forEach(assertId);
  const limit = Math.max(1, options.shardLimit ?? SHARD_LIMIT);
  const removed = new Set(change.removed);
  const clock = phaseClock(); // summed over shards
  // A site indexed before shards (base + delta tiers): its documents are placed in shards in this
  // run, and its folders deleted once the new pointer is written (never left untracked).
  const legacy = await readJson<LegacyState>('drafts', LEGACY_STATE_KEY);
  const legacyIds =
    legacy && !legacy.migrated ? [...(legacy.base?.idsKey ? ((await readJson<string[]>('drafts', legacy.base.idsKey)) ?? []) : []), ...(legacy.delta?.ids ?? [])] : [];
  const added = [...new Set([...legacyIds, ...change.added])].filter((id) => !removed.has(id));
  const cache = new Map<string, Stored>();
  const { byShard: adding, entriesRead: placeReads } = await place(added, limit, cache);
  const removing = new Map<string, string[]>();
  const removedAt = await mapLimit([...removed], 32, (id) => readJson<{ shard: string }>('drafts', locatorKey(id)));
  [...removed].forEach((id, i) => {
    const shard = removedAt[i]?.shard;
    if (shard) removing.set(shard, [...(removing.get(shard) ?? []), id]);
  });

  const written: string[] = [];
  const deleted: string[] = [];
  const missing = added.filter((id) => cache.has(id) && !cache.get(id));
  clock.end('place');
  const rebuilt: SearchUpdate['rebuilt'] = [];
  let entriesRead = placeReads;
  let packsRead = 0;
  // Shards rebuilt in this run: their new state, and the folders to delete once the pointer no longer names them.
  const done: { next: ShardState; stale: string[]; drop: string[] }[] = [];
  for (const shard of [...new Set([...adding.keys(), ...removing.keys()])].sort()) {
    const state = (await readJson<ShardState>('drafts', shardKey(shard))) ?? emptyShard(shard);
    const gone = new Set(removing.get(shard) ?? []);
    const losing = state.ids.some((id) => gone.has(id));
    const ids = [...new Set([...state.ids, ...(adding.get(shard) ?? [])])].filter((id) => !gone.has(id));
    if (!losing && ids.length === state.ids.length) continue; // a retried message: nothing changed
    // The documents it held: from its pack (one object), any not in it from their own objects.
    const pack = state.ids.length ? (packsRead++, await readJson<ShardPack>('drafts', packKey(shard))) : undefined;
    const packed = pack?.shard === shard ? pack.entries : {};
    const stored = await mapLimit(ids, 32, async (id): Promise<Stored> => {
      if (cache.has(id)) return cache.get(id);
      const inPack = Object.hasOwn(packed, id) ? packed[id] : undefined;
      if (inPack) return { entries: [...inPack] };
      entriesRead++;
      return readEntry(id);
    });
    const found = ids.filter((_, i) => stored[i]);
    for (const id of ids) if (!stored[ids.indexOf(id)] && !missing.includes(id)) missing.push(id);
    clock.end('read');
    const files = await buildBundle(stored.flatMap((d) => d?.entries ?? []));
    clock.end('build');
    // The pack of what the shard now holds (a withdrawn document's entries leave it now).
    const nextPack: ShardPack = { shard, entries: Object.fromEntries(found.map((id) => [id, stored[ids.indexOf(id)]!.entries])) };
    await writeObject('drafts', packKey(shard), JSON.stringify(nextPack), 'application/json');
    const manifest: Record<string, string> = Object.fromEntries(files.map((f) => [f.path, hashOf(f.content)]));
    // In place: a publication into a shard whose folder's files are known (never a withdrawal:
    // the withdrawn text must leave with every file that held it, at once).
    if (!losing && state.folder && state.files && files.length) {
      const folder = state.folder;
      const known = state.files;
      const changed = files.filter((f) => known[f.path] !== manifest[f.path]);
      const keyOf = (path: string) => `${folder}${path}`;
      // Files named before and not now, and files a stopped build was writing that this one does not name.
      const orphans = [
        ...Object.keys(known)
          .filter((p) => !(p in manifest))
          .map(keyOf),
        ...(state.writing ?? []).filter((k) => !(k.slice(folder.length) in manifest)),
      ];
      const reserved: ShardState = {
        ...state,
        files: Object.fromEntries(Object.entries(known).filter(([p]) => !changed.some((f) => f.path === p))),
        writing: changed.map((f) => keyOf(f.path)),
      };
      await saveShard(reserved);
      const put = async (f: { path: string; content: Uint8Array }) => {
        await writeObject('site', keyOf(f.path), f.content, contentType(f.path), { cacheControl: cacheOf(f.path) });
        written.push(keyOf(f.path));
      };
      // The entry last: it names the meta file, which names the index chunks and fragments.
      await mapLimit(
        changed.filter((f) => f.path !== ENTRY),
        16,
        put,
      );
      for (const f of changed.filter((f) => f.path === ENTRY)) await put(f);
      const live = new Set(files.map((f) => keyOf(f.path)));
      const next: ShardState = {
        ...state,
        ids: found,
        folders: [folder],
        files: manifest,
        orphans: [...new Set(orphans)].filter((k) => !live.has(k)),
        writing: [],
      };
      // The previous build's orphans go now; so does any other folder (kept one generation after a fresh build).
      done.push({ next, stale: state.folders.filter((f) => f !== folder), drop: (state.orphans ?? []).filter((k) => !live.has(k)) });
      rebuilt.push({ shard, documents: found.length });
      clock.end('write');
      continue;
    }
    const seq = state.seq + 1;
    const folder = files.length ? bundleFolder(shard, seq) : null;
    // Record the new folder before writing into it: no untracked folder can hold withdrawn text.
    const reserved: ShardState = { ...state, seq, folders: folder ? [...state.folders, folder] : state.folders };
    await saveShard(reserved);
    if (folder) {
      await mapLimit(
        files.filter((f) => f.path !== ENTRY),
        16,
        async (f) => {
          const key = `${folder}${f.path}`;
          await writeObject('site', key, f.content, contentType(f.path), { cacheControl: cacheOf(f.path) });
          written.push(key);
        },
      );
      for (const f of files.filter((f) => f.path === ENTRY)) {
        await writeObject('site', `${folder}${f.path}`, f.content, contentType(f.path), { cacheControl: cacheOf(f.path) });
        written.push(`${folder}${f.path}`);
      }
    }
    const keep = new Set([folder, ...(losing ? [] : [state.folder])].filter((f): f is string => !!f));
    done.push({
      next: { ...reserved, ids: found, folder, folders: reserved.folders.filter((f) => keep.has(f)), ...(folder ? { files: manifest } : {}), orphans: [], writing: [] },
      stale: reserved.folders.filter((f) => !keep.has(f)),
      drop: [],
    });
    rebuilt.push({ shard, documents: found.length });
    clock.end('write');
  }
  if (missing.length) log.warn('search: documents without stored entries are not indexed', { missing });
  const current = await readJson<SearchPointer>('site', SEARCH_POINTER_KEY);
  const before = current?.version === 2 ? current.shards : [];
  if (!done.length && !legacyIds.length) return { written, deleted, rebuilt, entriesRead, packsRead, shards: before.length, missing, ms: clock.phases };

  const changed = new Map(done.map((d) => [d.next.shard, d.next]));
  const shards = [
    ...before.filter((s) => !changed.has(s.shard)),
    ...done.filter((d) => d.next.folder).map((d): PointerShard => ({ shard: d.next.shard, body: d.next.body, folder: d.next.folder! })),
  ].sort((a, b) => (a.shard < b.shard ? -1 : a.shard > b.shard ? 1 : 0));
  const pointer: SearchPointer = { version: 2, shards };
  // Shards rebuilt in place keep their folders: the pointer is written only when a folder changed.
  const same = current?.version === 2 && JSON.stringify(current) === JSON.stringify(pointer);
  if (!same) {
    await writeObject('site', SEARCH_POINTER_KEY, JSON.stringify(pointer), 'application/json', { cacheControl: 'no-cache' });
    written.push(SEARCH_POINTER_KEY);
  }
  if (legacy && !legacy.migrated) {
    for (const f of legacy.folders ?? []) {
      const keys = await listKeys('site', f);
      await deleteKeys('site', keys);
      deleted.push(...keys);
    }
    await writeObject('drafts', LEGACY_STATE_KEY, JSON.stringify({ version: 1, migrated: true }), 'application/json');
  }
  for (const { next, stale, drop } of done) {
    for (const f of stale) {
      const keys = await listKeys('site', f);
      await deleteKeys('site', keys);
      deleted.push(...keys);
    }
    if (drop.length) {
      await deleteKeys('site', drop);
      deleted.push(...drop);
    }
    await saveShard(next);
  }
  log.info('search index updated', { rebuilt, shards: shards.length, deletedFolders: done.flatMap((d) => d.stale) });
  clock.end('finish');
  return { written: written.sort(), deleted, rebuilt, entriesRead, packsRead, shards: shards.length, missing, ms: clock.phases };
}

/** Writes the search page and its static files to the site bucket; returns their keys. */
/** Writes the search page (its filter lists `bodies`, the platform's, top body first) and its script and style. */
export async function writeSearchPage(bodies: readonly { readonly id: string; readonly name: string }[] = []): Promise<string[]> {
  const files: [string, string, string][] = [
    [sitePaths.search, searchPage(bodies), 'text/html; charset=utf-8'],
    [SEARCH_SCRIPT_KEY, SEARCH_SCRIPT, 'text/javascript; charset=utf-8'],
    [SEARCH_STYLE_KEY, SEARCH_STYLE, 'text/css; charset=utf-8'],
  ];
  await Promise.all(files.map(([key, body, type]) => writeObject('site', key, body, type, { cacheControl: 'max-age=300' })));
  const keys = files.map(([key]) => key);
  // Before the first index build the page finds an empty pointer rather than a 404.
  if (!(await statObject('site', SEARCH_POINTER_KEY))) {
    const empty: SearchPointer = EMPTY_POINTER;
    await writeObject('site', SEARCH_POINTER_KEY, JSON.stringify(empty), 'application/json', { cacheControl: 'no-cache' });
    keys.push(SEARCH_POINTER_KEY);
  }
  return keys;
}

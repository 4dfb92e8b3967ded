/**
 * Static full-text search of the public site (pagefind; Chinese is indexed character by
 * character and searched as phrases, see charWords).
 *
 * Design
 * - publish-document stores each document's searchable pages privately, one object per
 *   draft: drafts bucket `search/entries/<draftId>.json` (saveSearchEntries).
 * - render-site (one run at a time, FIFO) turns them into pagefind bundles in the site
 *   bucket (updateSearchIndex). Two tiers keep a publication cheap on a big site:
 *     base  — every document live at the last compaction (large, rebuilt rarely);
 *     delta — the documents added since (at most DELTA_LIMIT; rebuilt on each addition,
 *             reading only its own entries).
 *   A removal (withdrawal), a re-publication of a base document, or a delta past the limit
 *   compacts: the base is rebuilt from every live entry and the delta empties.
 * - Each build goes to a fresh folder (`search/b<N>/`, `search/d<N>/`, N from a sequence
 *   in the state). The browser reads the small pointer `search/current.json` (no-cache)
 *   naming the current base and delta, so switching is the single write of the pointer,
 *   made after the new bundle is complete: a reader sees the old pair or the new one,
 *   never half a bundle. An empty tier has no bundle (pagefind writes no index for zero
 *   records) and is `null` in the pointer; the page then searches what exists.
 * - Superseded folders stay one generation for readers that loaded the previous pointer,
 *   and are deleted at the next update. After a removal every folder but the new ones is
 *   deleted at once: the withdrawn text must leave the site bucket now.
 * - The state (drafts bucket `search/state.json`) lists the ids in each tier and every
 *   bundle folder written and not yet deleted (a folder is recorded before it is written,
 *   so a crash can leave no untracked folder holding withdrawn text).
 */
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
  /** Site keys written (the new bundle and the pointer) and deleted (superseded bundles), for CDN invalidation. */
  written: string[];
  deleted: string[];
  /** Which tier was rebuilt ('none': nothing to do). */
  rebuilt: 'delta' | 'base' | 'none';
  /** Entry objects read from the drafts bucket for the rebuild. */
  entriesRead: number;
  /** Documents now in each tier. */
  baseDocuments: number;
  deltaDocuments: number;
  /** Added ids without stored entries (not indexed). */
  missing: string[];
}

/** Delta size past which the next addition compacts into the base. */
export const DELTA_LIMIT = 200;
/** Env var naming the folder that holds the pagefind binary in a Lambda bundle (topology asset). */
export const PAGEFIND_DIR_ENV = 'PAGEFIND_DIR';

export const SEARCH_POINTER_KEY = 'search/current.json';
const STATE_KEY = 'search/state.json';
const entriesKey = (draftId: string) => `search/entries/${draftId}.json`;
const ID = /^[A-Za-z0-9_-]{1,100}$/;
/** Site-relative page URLs only: no scheme, no leading slash, no way up. */
const PAGE_URL = /^[A-Za-z0-9][A-Za-z0-9_\-/.]*\.html$/;

interface Tier {
  /** Bundle folder in the site bucket (`search/b7/`), or null when the tier has no documents. */
  readonly folder: string | null;
  readonly ids: readonly string[];
}
/**
 * The base tier's ids live in an object of their own, written only when the base is rebuilt,
 * so a delta update reads and writes a state whose size does not grow with the site.
 */
interface BaseTier {
  readonly folder: string | null;
  readonly count: number;
  /** Drafts-bucket key of the base's id list (absent while the base is empty). */
  readonly idsKey?: string;
}
interface SearchState {
  readonly version: 1;
  readonly seq: number;
  readonly base: BaseTier;
  readonly delta: Tier;
  /** Every bundle folder written to the site bucket and not yet deleted. */
  readonly folders: readonly string[];
}
/** The public pointer: site-relative bundle folders. */
export interface SearchPointer {
  readonly version: 1;
  readonly base: string | null;
  readonly delta: string | null;
}

const EMPTY_STATE: SearchState = { version: 1, seq: 0, base: { folder: null, count: 0 }, delta: { folder: null, ids: [] }, folders: [] };
// One object, overwritten by each rebuild of the base (written before the state that names it;
// if the state write is lost, the list is a superset of the live base: harmless for removals).
const baseIdsKey = (_seq: number) => 'search/base-ids.json';
const baseIds = async (base: BaseTier): Promise<string[]> => (base.idsKey ? ((await readJson<string[]>('drafts', base.idsKey)) ?? []) : []);

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

const saveState = (s: SearchState) => writeObject('drafts', STATE_KEY, JSON.stringify(s), 'application/json');

/** Runs `fn` over `items`, `limit` at a time. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
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
/** A bundle folder is never rewritten (a new build gets a new folder). */
const IMMUTABLE = 'public, max-age=31536000, immutable';

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

async function readEntries(ids: readonly string[]): Promise<{ entries: SearchEntry[]; found: string[]; missing: string[] }> {
  const docs = await mapLimit(ids, 32, (id) => readJson<{ entries: SearchEntry[] }>('drafts', entriesKey(id)));
  const found: string[] = [];
  const missing: string[] = [];
  const entries: SearchEntry[] = [];
  docs.forEach((d, i) => {
    if (d) {
      found.push(ids[i]!);
      entries.push(...d.entries);
    } else missing.push(ids[i]!);
  });
  return { entries, found, missing };
}

/**
 * Brings the public search bundle (site bucket, under `search/`) up to date after drafts were
 * added to or removed from the site. Returns the site keys written and deleted (for CDN invalidation).
 * Must not run concurrently with itself (render-site is a single FIFO consumer).
 */
export async function updateSearchIndex(
  change: { readonly added: readonly string[]; readonly removed: readonly string[] },
  options: { readonly deltaLimit?: number } = {},
): Promise<SearchUpdate> {
  [...change.added, ...change.removed].forEach(assertId);
  const deltaLimit = options.deltaLimit ?? DELTA_LIMIT;
  const state = (await readJson<SearchState>('drafts', STATE_KEY)) ?? EMPTY_STATE;
  const removed = new Set(change.removed);
  // The base's ids are read only when they matter: a removal, or a rebuild of the base.
  let inBase: Set<string> | undefined;
  const loadBase = async () => (inBase ??= new Set(await baseIds(state.base)));
  const added = [...new Set(change.added)].filter((id) => !removed.has(id));
  const removing = removed.size > 0 && (state.delta.ids.some((id) => removed.has(id)) || [...(await loadBase())].some((id) => removed.has(id)));
  const deltaIds = [...new Set([...state.delta.ids, ...added])].filter((id) => !removed.has(id));
  const result = (over: Partial<SearchUpdate>): SearchUpdate => ({
    written: [],
    deleted: [],
    rebuilt: 'none',
    entriesRead: 0,
    baseDocuments: state.base.count,
    deltaDocuments: state.delta.ids.length,
    missing: [],
    ...over,
  });
  if (!removing && added.length === 0) return result({});

  // A document published again (a retried batch) while in the base lands in the delta too;
  // the search page shows each address once, so that is harmless until the next rebuild.
  const compact = removing || deltaIds.length > deltaLimit;
  const ids = compact ? [...new Set([...(await loadBase()), ...deltaIds])].filter((id) => !removed.has(id)) : deltaIds;
  const { entries, found, missing } = await readEntries(ids);
  if (missing.length) log.warn('search: documents without stored entries are not indexed', { missing });

  const seq = state.seq + 1;
  const files = await buildBundle(entries);
  // Record the new folder in the state before writing into it.
  const folder = files.length ? `search/${compact ? 'b' : 'd'}${seq}/` : null;
  const reserved: SearchState = { ...state, seq, folders: folder ? [...state.folders, folder] : state.folders };
  await saveState(reserved);

  const written: string[] = [];
  if (folder) {
    await mapLimit(files, 16, async (f) => {
      const key = `${folder}${f.path}`;
      await writeObject('site', key, f.content, contentType(f.path), { cacheControl: IMMUTABLE });
      written.push(key);
    });
  }
  if (compact && found.length) await writeObject('drafts', baseIdsKey(seq), JSON.stringify(found), 'application/json');
  const base: BaseTier = compact ? { folder, count: found.length, ...(found.length ? { idsKey: baseIdsKey(seq) } : {}) } : state.base;
  const delta: Tier = compact ? { folder: null, ids: [] } : { folder, ids: found };
  const pointer: SearchPointer = { version: 1, base: base.folder, delta: delta.folder };
  await writeObject('site', SEARCH_POINTER_KEY, JSON.stringify(pointer), 'application/json', { cacheControl: 'no-cache' });
  written.push(SEARCH_POINTER_KEY);

  // Keep the current pair, and the previous one for readers mid-search, unless text was withdrawn.
  const keep = new Set([base.folder, delta.folder, ...(removing ? [] : [state.base.folder, state.delta.folder])].filter((f): f is string => !!f));
  const stale = reserved.folders.filter((f) => !keep.has(f));
  const deleted: string[] = [];
  for (const f of stale) {
    const keys = await listKeys('site', f);
    await deleteKeys('site', keys);
    deleted.push(...keys);
  }
  await saveState({ version: 1, seq, base, delta, folders: reserved.folders.filter((f) => keep.has(f)) });
  log.info('search index updated', { rebuilt: compact ? 'base' : 'delta', folder, documents: found.length, deletedFolders: stale });
  return result({
    written: written.sort(),
    deleted,
    rebuilt: compact ? 'base' : 'delta',
    entriesRead: ids.length,
    baseDocuments: base.count,
    deltaDocuments: delta.ids.length,
    missing,
  });
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
    const empty: SearchPointer = { version: 1, base: null, delta: null };
    await writeObject('site', SEARCH_POINTER_KEY, JSON.stringify(empty), 'application/json', { cacheControl: 'no-cache' });
    keys.push(SEARCH_POINTER_KEY);
  }
  return keys;
}

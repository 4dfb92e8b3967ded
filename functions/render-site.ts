import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { deleteObject, writeObject } from '#shared/blobs';
import { nowIso, today } from '#shared/clock';
import { SYSTEM, type Draft } from '#shared/domain/draft';
import { REPLACES_MAX, transitionDays } from '#shared/domain/validity';
import { DISCLOSURE_CATEGORIES, PILOT_DOMAINS } from '#shared/domain/form';
import { ConflictError } from '#shared/errors';
import { log } from '#shared/log';
import { observe } from '#shared/observe';
import { SiteMessage } from '#shared/messages';
import { atomFeed } from '#shared/render/feed';
import { env } from '#shared/env';
import { describeList, homePage, listIndexPage, listPage, statutoryPage } from '#shared/render/columns';
import { bodyAboutPages } from '#shared/render/about-pages';
import { TOP_SECTION, documentPage, rulesPage, sectionOf, sitePaths, withdrawnPage, type Section } from '#shared/render/site';
import { findBody, listBodies } from '#shared/bodies';
import { siteConfig } from '#shared/site/config';
import { ruleTable } from '#shared/rules/index';
import { INDEX_CACHE, PAGE_CACHE } from '#shared/site/cache';
import {
  PAGE_SIZE,
  allEntries,
  categoryList,
  counters,
  listRef,
  parseListRef,
  type ListCounter,
  type ListEntry,
  type ListRef,
  domainList,
  enterDocument,
  enterDocuments,
  listedYears,
  newestEntries,
  pageEntries,
  pageOf,
  removeDocument,
  yearList,
  validityOf,
  type Placement,
} from '#shared/site/catalogue';
import { invalidate } from '#shared/site/invalidate';
import { recordFact, recordFacts, reportCounts } from '#shared/site/report';
import { publishedReports, withdrawReportPages } from '#shared/annual-report-site';
import { annualReportsColumn } from '#shared/render/annual-report';
import { SEARCH_POINTER_KEY, publishedPageText, updateSearchIndex, writeSearchPage } from '#shared/site/search';
import { clearValidityPending, dueValidity, pendingValidity, recordValidityDays, setValidityCursor } from '#shared/site/validity-days';
import { amend, findDraft, findDrafts, getDraft, listByStatus, transition } from '#shared/store';
import { bodyOfDraft } from '#shared/scope';
import { phaseClock } from '#shared/batching';

/**
 * The site consumer. It alone writes the index pages, and it runs one batch at a time (a
 * FIFO queue with one message group), so two publications can never overwrite each
 * other's version of a shared page. Per batch:
 *   publish  — enter each document in its lists (catalogue, domain, year, 解读, 规范性文件);
 *   withdraw — turn the document's pages into a notice, drop it from its lists;
 *   validity — a 废止 / 修订 was recorded: the document's page, the replacing document's page
 *              (its back-link written once) and their list entries follow it;
 *   refresh  — the pages that change with time or with events elsewhere (annual report,
 *              rulebook, search page), and the pages of normative documents whose validity
 *              changed since the last refresh (taking effect, expiring, a 废止 taking effect).
 * Then it renders exactly the pages those changes touch, brings the search index up to
 * date, and only then marks the documents PUBLISHED / WITHDRAWN — so a PUBLISHED document
 * is on every page it belongs to. Withdrawn paths are invalidated on the CDN.
 */

const HTML = 'text/html; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';
/**
 * Documents taken per run besides the messaged ones (bounded so one run fits its timeout).
 * A run's fixed costs (the index pages, the home pages, the search shard's rebuild, which reads
 * and indexes the whole shard) are shared by its documents: the larger the backlog a run takes,
 * the less each document costs (issue 17.4: 50 capped the runs of a 200-draft bench; a run of
 * 200 takes seconds, its timeout is 900 s).
 */
export const READY_LIMIT = 200;
/** Requests in flight at once for the per-document steps run side by side (facts, final transitions). */
const DOC_CONCURRENCY = 8;

const TOP = siteConfig.bodyId;
/** The three columns every section links to from every page: they exist from the start. */
const STANDING_LISTS = ['catalogue', 'interpretations', 'normative'] as const;

/**
 * Pages to render in this batch: list pages by list, and the pages of the bodies whose lists
 * changed (home, 法定主动公开内容, annual report). Publishing into one body touches that body's
 * section only (issue 16.4); the platform's home is the top body's and is rendered when the top
 * body's lists change or the set of bodies does.
 */
class Plan {
  readonly lists = new Map<ListRef, Set<number>>();
  /** Bodies whose home, statutory hub and report change (their lists changed). */
  readonly bodies = new Set<string>();
  /** Bodies whose section is (re)built whole: created or edited (指南, 制度, name…). */
  readonly sections = new Set<string>();

  touch(placements: readonly Placement[]): void {
    for (const p of placements) {
      const pages = this.lists.get(p.list) ?? new Set<number>();
      pages.add(p.page);
      // The first entry of a new page: the page before it gains its "newer" link.
      if (p.page > 1 && (p.pos - 1) % PAGE_SIZE === 0) pages.add(p.page - 1);
      this.lists.set(p.list, pages);
      this.bodies.add(parseListRef(p.list, TOP).body);
    }
  }

  /** The standing columns of a body, rendered even when empty (every page links to them). */
  standing(body: string): void {
    for (const list of STANDING_LISTS) {
      const ref = listRef(body, list, TOP);
      this.lists.set(ref, this.lists.get(ref) ?? new Set());
    }
    this.bodies.add(body);
  }
}

/**
 * The list reads of one batch's rendering, each made once: the list pages and the bodies' pages
 * ask for the same counters, years and newest entries (the home's newest ten are the catalogue
 * front page's first ten). Only used once every entry of the batch is written.
 */
class ListReads {
  private readonly years = new Map<string, Promise<string[]>>();
  private readonly newest = new Map<ListRef, Promise<ListEntry[]>>();
  private readonly counts = new Map<ListRef, Promise<ListCounter>>();

  listedYears(body: string): Promise<string[]> {
    let y = this.years.get(body);
    if (!y) this.years.set(body, (y = listedYears(body)));
    return y;
  }

  /** The newest `limit` entries of a list (at most PAGE_SIZE are read, once). */
  async newestEntries(ref: ListRef, limit: number): Promise<ListEntry[]> {
    if (limit > PAGE_SIZE) return newestEntries(ref, limit);
    let n = this.newest.get(ref);
    if (!n) this.newest.set(ref, (n = newestEntries(ref, PAGE_SIZE)));
    return (await n).slice(0, limit);
  }

  /** The counters of these lists; those not read yet in one request. */
  async counters(refs: readonly ListRef[]): Promise<Map<ListRef, ListCounter>> {
    const missing = [...new Set(refs)].filter((r) => !this.counts.has(r));
    if (missing.length) {
      const read = counters(missing);
      for (const r of missing)
        this.counts.set(
          r,
          read.then((m) => m.get(r)!),
        );
    }
    return new Map(await Promise.all(refs.map(async (r) => [r, await this.counts.get(r)!] as const)));
  }
}

/** Runs per-document steps side by side, at most `limit` at once; `done` answers once all ended and throws the first failure. */
function sideBySide(limit: number) {
  const queue: (() => Promise<unknown>)[] = [];
  const running = new Set<Promise<unknown>>();
  let failure: { err: unknown } | undefined;
  const pump = () => {
    while (running.size < limit && queue.length) {
      const p: Promise<unknown> = queue.shift()!()
        .catch((err: unknown) => {
          failure ??= { err };
        })
        .finally(() => {
          running.delete(p);
          pump();
        });
      running.add(p);
    }
  };
  return {
    add(step: () => Promise<unknown>): void {
      queue.push(step);
      pump();
    },
    async done(): Promise<void> {
      while (running.size || queue.length) await Promise.race(running);
      if (failure) throw failure.err;
    },
  };
}

/** The sections of the bodies a batch renders, read once each (the top body: its settings, if it has no record). */
class Sections {
  private readonly known = new Map<string, Promise<Section>>();
  get(body: string): Promise<Section> {
    const known = this.known.get(body);
    if (known) return known;
    const s = findBody(body).then((b): Section => (b ? sectionOf(b) : body === TOP ? TOP_SECTION : sectionOf({ id: body, name: body })));
    this.known.set(body, s);
    return s;
  }
}

export interface SiteBatchResult {
  readonly published: string[];
  readonly withdrawn: string[];
  /** Every site key written or deleted by this batch. */
  readonly written: string[];
  /** Wall-clock ms of each phase of the batch (for the log and the bench's profile of a run). */
  readonly phases: Record<string, number>;
  /** The search update's own steps (ms), when it ran. */
  readonly searchPhases?: Record<string, number>;
}

async function renderLists(plan: Plan, sections: Sections, reads: ListReads, day: string, written: string[]): Promise<void> {
  const refs = [...plan.lists.keys()];
  if (!refs.length) return;
  const counts = await reads.counters(refs);
  await Promise.all(
    refs.map(async (ref) => {
      const counter = counts.get(ref)!;
      const { body, list } = parseListRef(ref, TOP);
      const section = await sections.get(body);
      // A list of one page is all on its index: archive pages exist once there are two.
      const count = pageOf(counter.next);
      const pages = count > 1 ? [...plan.lists.get(ref)!].filter((k) => k >= 1 && k <= count) : [];
      // Every list's front page shows its newest page of entries (the normative column's too, by
      // state; issue 17.2) and a bounded index of its archive; the catalogue's links its years.
      const [newest, years] = await Promise.all([reads.newestEntries(ref, PAGE_SIZE), list === 'catalogue' ? reads.listedYears(body) : Promise.resolve([])]);
      const writes: [string, string][] = [[`${section.root}${sitePaths.listIndex(list)}`, listIndexPage(list, newest, counter, day, section, years)]];
      // Its feed, from the same entries (people follow a body's column: 001 精准推送).
      const feedKey = `${section.root}${sitePaths.listFeed(list)}`;
      const feed = atomFeed(newest, {
        siteUrl: env.siteUrl(),
        key: feedKey,
        pageKey: writes[0]![0],
        title: `${section.name} · ${describeList(list).title}`,
        bodyName: section.name,
        generatedAt: nowIso(),
      });
      const archive = await Promise.all(pages.map((k) => pageEntries(ref, k)));
      pages.forEach((k, i) => writes.push([`${section.root}${sitePaths.listPage(list, k)}`, listPage(list, k, archive[i]!, counter, day, section)]));
      await Promise.all([
        ...writes.map(([key, body]) => writeObject('site', key, body, HTML, { cacheControl: INDEX_CACHE })),
        writeObject('site', feedKey, feed, ATOM, { cacheControl: INDEX_CACHE }),
      ]);
      written.push(...writes.map(([key]) => key), feedKey);
    }),
  );
}

/**
 * The pages of each body in the plan: its home, 法定主动公开内容 and annual report; a body
 * created or edited also gets its 指南 and 制度 (the top body's come from config/site at
 * deployment). The top body's home is the platform's and lists the bodies. The rulebook on a
 * refresh.
 */
async function renderShared(plan: Plan, sections: Sections, reads: ListReads, refresh: boolean, written: string[]): Promise<void> {
  const writes: Promise<[string, string][]>[] = [];
  for (const body of plan.bodies) {
    writes.push(
      (async () => {
        const section = await sections.get(body);
        const ref = (list: Parameters<typeof listRef>[1]) => listRef(body, list, TOP);
        const homeLists = Promise.all([reads.newestEntries(ref('catalogue'), 10), reads.newestEntries(ref('interpretations'), 5)]);
        const directory =
          body === TOP ? listBodies().then((all) => all.filter((b) => b.id !== TOP).map((b) => ({ name: b.name, kind: b.kind, root: sectionOf(b).root }))) : Promise.resolve([]);
        const statutory = (async () => {
          const years = await reads.listedYears(body);
          const groupLists = [...DISCLOSURE_CATEGORIES.map((c) => categoryList(c)!), ...PILOT_DOMAINS.map((d) => domainList(d)!)];
          const counts = await reads.counters([...groupLists, ...years.map(yearList)].map(ref));
          const byList = new Map([...counts].map(([r, c]) => [parseListRef(r, TOP).list as string, c]));
          return statutoryPage(
            byList,
            years.map((year) => ({ year, counter: byList.get(yearList(year))! })),
            section,
          );
        })();
        const [[newest, interps], bodies, statutoryHtml, rows, reports] = await Promise.all([
          homeLists,
          directory,
          statutory,
          reportCounts(body),
          publishedReports(body, section.name),
        ]);
        const out: [string, string][] = [
          [`${section.root}${sitePaths.home}`, homePage(newest, interps, section, bodies)],
          [`${section.root}${sitePaths.statutory}`, statutoryHtml],
          // 年度报告: the published reports, each year with its page and PDF (issue 13).
          [`${section.root}${sitePaths.report}`, annualReportsColumn(reports, section, { rows, generatedAt: nowIso() })],
        ];
        if (plan.sections.has(body) && body !== TOP) {
          const b = await findBody(body);
          if (b) for (const page of bodyAboutPages(b)) out.push([page.key, page.body]);
        }
        return out;
      })(),
    );
  }
  if (refresh) writes.push(Promise.resolve([[sitePaths.rules, rulesPage(ruleTable())]]));
  const pages = (await Promise.all(writes)).flat();
  await Promise.all(pages.map(([key, body]) => writeObject('site', key, body, HTML, { cacheControl: INDEX_CACHE })));
  written.push(...pages.map(([key]) => key));
}

async function withdrawPages(d: Draft, written: string[]): Promise<string[]> {
  const indexNumber = d.publication?.indexNumber;
  const paths = [sitePaths.document(d.id)];
  await writeObject('site', sitePaths.document(d.id), withdrawnPage(d, indexNumber ? { indexNumber } : {}), HTML, { cacheControl: PAGE_CACHE });
  if (d.files.interpretation?.textKey) {
    await writeObject('site', sitePaths.interpretation(d.id), withdrawnPage(d, { ...(indexNumber ? { indexNumber } : {}), interpretation: true }), HTML, {
      cacheControl: PAGE_CACHE,
    });
    paths.push(sitePaths.interpretation(d.id));
  }
  if (d.publication?.file) {
    await deleteObject('site', d.publication.file.key);
    paths.push(d.publication.file.key);
  }
  // A 年度报告's own page and PDF leave its column too (issue 13).
  paths.push(...(await withdrawReportPages(d, new Date())));
  written.push(...paths);
  return paths;
}

/** Records on the replacing document that it replaces `old` (once; retried on a concurrent write). */
async function recordReplacement(old: Draft): Promise<Draft | undefined> {
  const c = old.validityChange;
  if (!c?.replacedBy) return undefined;
  for (let attempt = 0; ; attempt++) {
    const b = await findDraft(c.replacedBy.id);
    if (!b || b.status !== 'PUBLISHED') return undefined;
    if (b.replaces?.some((r) => r.id === old.id)) return b;
    const entry = { id: old.id, title: old.form.title, ...(old.form.documentNumber ? { documentNumber: old.form.documentNumber } : {}), kind: c.kind, date: c.date };
    try {
      return await amend(
        b,
        { replaces: [...(b.replaces ?? []), entry].slice(-REPLACES_MAX) },
        { actor: SYSTEM, event: 'REPLACES_RECORDED', note: `${c.kind === 'amended' ? '修订' : '替代'}《${old.form.title}》` },
      );
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 2) throw err;
    }
  }
}

/** Writes a published document's page again (its text as published, from its search entry). */
async function rerenderDocument(d: Draft, day: string, written: string[]): Promise<string | undefined> {
  const key = sitePaths.document(d.id);
  const text = await publishedPageText(d.id, key);
  if (text === undefined || !d.publication) {
    log.warn('document page not rendered again: its published text is missing', { draftId: d.id });
    return undefined;
  }
  await writeObject('site', key, documentPage(d, text, { ...d.publication, today: day }), HTML, { cacheControl: PAGE_CACHE });
  written.push(key);
  return key;
}

/** The days a normative document's state changes, for the refresh (other documents have none). */
async function recordDaysOf(d: Draft): Promise<boolean> {
  const v = validityOf(d.form);
  if (v) await recordValidityDays(d.id, transitionDays(v, d.validityChange));
  return !!v;
}

/**
 * The documents whose validity changed: each one's list entries (they carry the state), its
 * page, and the page of the document replacing it. Answers the page keys written, and the ids
 * whose change was rendered (or that need none: gone, no longer published).
 */
async function renderValidity(ids: ReadonlySet<string>, plan: Plan, day: string, written: string[]): Promise<{ pages: string[]; settled: Set<string> }> {
  const pages = new Set<string>();
  const settled = new Set<string>();
  for (const id of ids) {
    const d = await findDraft(id);
    if (!d || d.status !== 'PUBLISHED') {
      settled.add(id);
      continue;
    }
    // A pending item read before the API's write committed stays for the next run.
    if (d.validityChange) settled.add(id);
    if (await recordDaysOf(d)) plan.touch((await enterDocument(d)).placements);
    // Its page may be written already in this batch (as the replacing document of an earlier one), from the same state.
    const page = pages.has(sitePaths.document(d.id)) ? undefined : await rerenderDocument(d, day, written);
    if (page) pages.add(page);
    const b = await recordReplacement(d);
    if (b && !pages.has(sitePaths.document(b.id))) {
      const bPage = await rerenderDocument(b, day, written);
      if (bPage) pages.add(bPage);
    }
  }
  return { pages: [...pages], settled };
}

/** Moves a draft on, re-reading it once if a concurrent write (a repeated message) bumped its version. */
async function finish(d: Draft, to: 'PUBLISHED' | 'WITHDRAWN', event: string): Promise<void> {
  const from = to === 'PUBLISHED' ? 'LISTING' : 'WITHDRAWING';
  for (let attempt = 0; ; attempt++) {
    const current = attempt === 0 ? d : await getDraft(d.id);
    if (current.status !== from) return;
    try {
      await transition(current, to, {}, { actor: SYSTEM, event, note: sitePaths.document(d.id) });
      return;
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 2) throw err;
    }
  }
}

export async function processSiteBatch(messages: readonly SiteMessage[]): Promise<SiteBatchResult> {
  const clock = phaseClock();
  const plan = new Plan();
  const published: Draft[] = [];
  const withdrawn: Draft[] = [];
  const written: string[] = [];
  const invalidations: string[] = [];
  let refresh = false;
  const seen = new Set<string>();

  // A message is a trigger: the batch takes every document that is ready (pages written and
  // waiting to be entered, or being withdrawn), so a backlog is cleared in one run even where
  // the queue hands over one message at a time, and a lost message is made up by the next.
  const work: { op: 'publish' | 'withdraw'; draftId: string }[] = [];
  // 废止 / 修订 to render: the messaged ones, and any whose message was lost (pending items).
  const validity = new Set<string>();
  const sectionsToBuild = new Set<string>();
  for (const m of messages) {
    if (m.op === 'refresh') refresh = true;
    else if (m.op === 'body') sectionsToBuild.add(m.bodyId);
    else if (m.op === 'validity') validity.add(m.draftId);
    else work.push({ op: m.op, draftId: m.draftId });
  }
  const pending = await pendingValidity();
  for (const id of pending) validity.add(id);
  if (work.length) {
    const [publishing, withdrawing] = await Promise.all([listByStatus('LISTING', { limit: READY_LIMIT }), listByStatus('WITHDRAWING', { limit: READY_LIMIT })]);
    for (const d of publishing) work.push({ op: 'publish', draftId: d.id });
    for (const d of withdrawing) work.push({ op: 'withdraw', draftId: d.id });
  }
  clock.end('ready');

  // Every draft of the batch read at once (consistently: the status index may lag), not one by one.
  const drafts = await findDrafts(work.map((m) => m.draftId));
  clock.end('read');
  // The validity days of each document side by side (they touch no list), recorded before the report is rendered.
  const facts = sideBySide(DOC_CONCURRENCY);
  for (const m of work) {
    if (seen.has(`${m.op}:${m.draftId}`)) continue;
    seen.add(`${m.op}:${m.draftId}`);
    const d = drafts.get(m.draftId);
    if (m.op === 'publish') {
      // Repeated, or not ready: the reconciler re-sends publish for drafts stuck in PUBLISHING or LISTING.
      if (!d || d.status !== 'LISTING' || !d.publication) continue;
      facts.add(() => recordDaysOf(d));
      published.push(d);
    } else {
      if (!d || d.status !== 'WITHDRAWING') continue;
      invalidations.push(...(await withdrawPages(d, written)));
      const member = await removeDocument(d.id);
      if (member) plan.touch(member.placements);
      await recordFact('withdrawn', d.id, d.withdrawal?.at ?? nowIso(), bodyOfDraft(d));
      withdrawn.push(d);
    }
  }
  // Entered all at once (issue 17.4: a few requests per run, not a dozen per document), each
  // document's list positions following the order the batch took them in; their facts beside
  // (idempotent: one item per document and event), recorded before the report is rendered.
  // Every step ended before the batch fails (none may run on into its redelivery).
  const [members, ...rest] = await Promise.allSettled([
    enterDocuments(published),
    recordFacts(published.map((d) => ({ metric: 'published' as const, draftId: d.id, at: d.publication!.publishedAt, body: bodyOfDraft(d) }))),
    facts.done(),
  ]);
  for (const step of [members, ...rest]) if (step.status === 'rejected') throw step.reason;
  if (members.status === 'fulfilled') for (const member of members.value) plan.touch(member.placements);
  clock.end('enter');
  const day = today();
  let cursorDay: string | undefined;
  if (refresh) {
    // Lists that every page links to exist from the start: their front pages are rendered
    // again — the top body's on every refresh (as before bodies), every other body's on the
    // first refresh of a day (a refresh comes every few minutes; a platform has hundreds of
    // bodies). The validity status of normative documents changes with the date: the documents
    // whose state changed since the last refresh are entered again below (renderValidity), which
    // renders their own pages and exactly the list pages showing them (issue 17.2: not every
    // archive page of the normative column).
    const due = await dueValidity(day);
    const newDay = !due.cursor || due.cursor < day;
    const bodies = new Set([TOP, ...(newDay ? (await listBodies()).map((b) => b.id) : [])]);
    for (const body of bodies) plan.standing(body);
    // The first refresh (no cursor yet) renders every normative document's page once.
    const normatives = [...bodies].map((b) => listRef(b, 'normative', TOP));
    const ids = due.cursor ? due.ids : (await Promise.all(normatives.map((r) => allEntries(r)))).flat().map((e) => e.id);
    for (const id of ids) validity.add(id);
    cursorDay = day;
  }
  for (const body of sectionsToBuild) {
    plan.standing(body);
    plan.sections.add(body);
    // The platform's home lists the bodies.
    plan.bodies.add(TOP);
  }
  const rendered = validity.size ? await renderValidity(validity, plan, day, written) : { pages: [], settled: new Set<string>() };
  const validityPages = rendered.pages;
  invalidations.push(...validityPages);
  clock.end('validity');

  const sections = new Sections();
  const reads = new ListReads();
  await renderLists(plan, sections, reads, day, written);
  clock.end('lists');
  await renderShared(plan, sections, reads, refresh, written);
  clock.end('shared');
  // The search page's filter lists the bodies: written on a refresh and when a body changes.
  if (refresh || sectionsToBuild.size) {
    const all = await listBodies();
    const top = all.filter((b) => b.id === TOP);
    written.push(...(await writeSearchPage([...top, ...all.filter((b) => b.id !== TOP)].map((b) => ({ id: b.id, name: b.name })))));
  }
  let searchPhases: Record<string, number> | undefined;
  if (published.length || withdrawn.length) {
    const search = await updateSearchIndex({ added: published.map((d) => d.id), removed: withdrawn.map((d) => d.id) });
    searchPhases = { ...search.ms, entriesRead: search.entriesRead, packsRead: search.packsRead };
    written.push(...search.written, ...search.deleted);
    // Superseded search bundles (long-cached) may hold a withdrawn document's text.
    if (withdrawn.length) invalidations.push(...search.deleted, SEARCH_POINTER_KEY);
  }
  clock.end('search');

  if (withdrawn.length || validityPages.length) {
    // The notice, the dropped entries, a changed validity and the pages listing them must not
    // be served from the CDN's cache.
    const indexPages = written.filter((k) => k.startsWith('columns/') || k.startsWith('bodies/') || k === sitePaths.home);
    const reference = withdrawn.length ? `withdraw-${withdrawn.map((d) => d.id).join('-')}` : `validity-${day}-${[...validity].join('-')}`;
    await invalidate([...new Set([...invalidations, ...indexPages])], reference.slice(0, 120));
  }
  for (const id of pending) if (rendered.settled.has(id)) await clearValidityPending(id);
  if (cursorDay) await setValidityCursor(cursorDay);
  // Every page is written: the documents move on, side by side (each its own item).
  const finishing = sideBySide(DOC_CONCURRENCY);
  for (const d of published) finishing.add(() => finish(d, 'PUBLISHED', 'PUBLISHED'));
  for (const d of withdrawn) finishing.add(() => finish(d, 'WITHDRAWN', 'WITHDRAWN'));
  await finishing.done();
  clock.end('finish');
  return { published: published.map((d) => d.id), withdrawn: withdrawn.map((d) => d.id), written, phases: clock.phases, ...(searchPhases ? { searchPhases } : {}) };
}

const renderSiteHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const messages: SiteMessage[] = [];
  for (const r of event.Records) {
    const parsed = SiteMessage.safeParse(
      (() => {
        try {
          return JSON.parse(r.body);
        } catch {
          return undefined;
        }
      })(),
    );
    // A message of an unknown shape (an older release's render request) is answered by a refresh.
    if (parsed.success) messages.push(parsed.data);
    else {
      log.warn('unrecognised site message: treated as a refresh', { body: r.body.slice(0, 200) });
      messages.push({ op: 'refresh', cause: 'unrecognised message' });
    }
  }
  const result = await processSiteBatch(messages);
  log.info('site updated', {
    requests: messages.length,
    published: result.published.length,
    withdrawn: result.withdrawn.length,
    written: result.written.length,
    // Keys written more than once in the batch (expected 0: each page is rendered once, from the batch's final state).
    rewritten: result.written.length - new Set(result.written).size,
    ms: result.phases,
    ...(result.searchPhases ? { search: result.searchPhases } : {}),
  });
  // A failure throws: the whole batch is retried, which is right — every step is idempotent.
  return { batchItemFailures: [] };
};

export const handler = observe('render-site', middy(renderSiteHandler));

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Page } from 'playwright-core';

/**
 * Audits of the public site as it sits in the site bucket: every key, broken internal
 * links and references to other hosts, HTML conformance (the Nu validator), accessibility
 * (axe-core in a real page) and layout on small screens and with large text.
 */

/** The site's files by key (`documents/x.html`), as bytes. */
export type SiteFiles = Map<string, Uint8Array>;

const nodeModules = fileURLToPath(new URL('../../node_modules/', import.meta.url));
export const VNU_JAR = join(nodeModules, 'vnu-jar/build/dist/vnu.jar');
export const AXE_JS = join(nodeModules, 'axe-core/axe.min.js');

const isHtmlKey = (key: string): boolean => key.endsWith('.html') || key.endsWith('.htm');
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

// ---------------------------------------------------------------------------------------
// Reading the bucket
// ---------------------------------------------------------------------------------------

/** Every key of the bucket (all pages of ListObjectsV2), sorted. */
export async function listSite(s3: S3Client, bucket: string, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token, ...(prefix ? { Prefix: prefix } : {}) }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Downloads the site (or `keys` of it), a few objects at a time. */
export async function readSite(s3: S3Client, bucket: string, keys?: readonly string[]): Promise<SiteFiles> {
  const all = keys ?? (await listSite(s3, bucket));
  const out: SiteFiles = new Map();
  const queue = [...all];
  const worker = async () => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
      const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      out.set(key, await obj.Body!.transformToByteArray());
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return new Map([...all].map((k) => [k, out.get(k)!]));
}

/** Only the files whose key passes `keep` (e.g. to leave out the web apps under app/). */
export const selectFiles = (files: SiteFiles, keep: (key: string) => boolean): SiteFiles => new Map([...files].filter(([k]) => keep(k)));

/** The site without the separate web apps (app/**). */
export const withoutApps = (files: SiteFiles): SiteFiles => selectFiles(files, (k) => !k.startsWith('app/'));

// ---------------------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------------------

/** One reference found in a page: the element and attribute it came from, and its value. */
export interface Reference {
  readonly page: string;
  readonly tag: string;
  readonly attr: string;
  readonly value: string;
}

export interface LinkProblem extends Reference {
  /** The key the reference resolves to (internal references), or the URL (outside ones). */
  readonly target: string;
  readonly why: 'missing' | 'outside' | 'scheme';
}

export interface LinkReport {
  /** Internal references to keys that do not exist. */
  readonly broken: LinkProblem[];
  /** References to other hosts (absolute http(s) or protocol-relative URLs), or to schemes such as javascript:. */
  readonly outside: LinkProblem[];
  /** Internal references ending in '/' (counted as their index.html), with the key they mean. */
  readonly directoryLinks: (Reference & { readonly target: string })[];
  /** How many references were checked. */
  readonly checked: number;
}

const REF_ATTRS: Record<string, readonly string[]> = {
  a: ['href'],
  area: ['href'],
  link: ['href'],
  script: ['src'],
  img: ['src'],
  iframe: ['src'],
  source: ['src'],
  audio: ['src'],
  video: ['src', 'poster'],
  form: ['action'],
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decodeEntities = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });

/** The attributes of one start tag's source (`<a href="x" rel=related>`). */
function attributesOf(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  const inner = tag.replace(/^<[a-zA-Z0-9-]+/, '').replace(/\/?>$/, '');
  for (const m of inner.matchAll(re)) {
    const name = m[1]!.toLowerCase();
    if (!out.has(name)) out.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

/** Every href/src/action of the elements that load or link something, in one HTML page. */
export function referencesOf(page: string, html: string): Reference[] {
  // Comments, and the contents of script, style and template elements, hold no markup.
  const source = html.replace(/<!--[\s\S]*?-->/g, '').replace(/(<(script|style|template)\b[^>]*>)[\s\S]*?(<\/\2\s*>)/gi, '$1$3');
  const out: Reference[] = [];
  for (const m of source.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)\b(?:[^>"']|"[^"]*"|'[^']*')*>/g)) {
    const tag = m[1]!.toLowerCase();
    const attrs = REF_ATTRS[tag];
    if (!attrs) continue;
    const parsed = attributesOf(m[0]);
    for (const attr of attrs) {
      const value = parsed.get(attr);
      if (value !== undefined) out.push({ page, tag, attr, value: value.trim() });
    }
  }
  return out;
}

const BASE = 'https://site.invalid/';

/**
 * Broken internal links and outside references across the site. References are resolved
 * relative to the page's key; mailto:, tel:, data:, fragments and query strings are
 * ignored; a path ending in '/' means its index.html. An absolute URL on `siteOrigin`
 * counts as internal; any other host is an outside reference.
 */
export function checkLinks(files: SiteFiles, options: { siteOrigin?: string } = {}): LinkReport {
  const broken: LinkProblem[] = [];
  const outside: LinkProblem[] = [];
  const directoryLinks: (Reference & { target: string })[] = [];
  let checked = 0;
  const siteOrigin = options.siteOrigin ? new URL(options.siteOrigin).origin : undefined;
  for (const [page, body] of files) {
    if (!isHtmlKey(page)) continue;
    for (const ref of referencesOf(page, text(body))) {
      checked++;
      const v = ref.value;
      if (v === '' || v.startsWith('#')) continue; // the page itself (an empty action submits to itself)
      if (/^(mailto|tel|data|blob|about):/i.test(v)) continue;
      let url: URL;
      try {
        url = new URL(v, BASE + page.split('/').map(encodeURIComponent).join('/'));
      } catch {
        broken.push({ ...ref, target: v, why: 'missing' });
        continue;
      }
      const internal = url.origin === new URL(BASE).origin || (siteOrigin !== undefined && url.origin === siteOrigin);
      if (!internal) {
        outside.push({ ...ref, target: url.href, why: /^https?:$/.test(url.protocol) ? 'outside' : 'scheme' });
        continue;
      }
      let key: string;
      try {
        key = decodeURIComponent(url.pathname.slice(1));
      } catch {
        broken.push({ ...ref, target: url.pathname, why: 'missing' });
        continue;
      }
      if (key === '' || key.endsWith('/')) {
        key += 'index.html';
        directoryLinks.push({ ...ref, target: key });
      }
      if (!files.has(key)) broken.push({ ...ref, target: key, why: 'missing' });
    }
  }
  return { broken, outside, directoryLinks, checked };
}

/** The internal key a reference on `page` leads to ('' for fragments, other schemes and other hosts). */
export function targetOf(page: string, value: string): string {
  if (value === '' || value.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//')) return '';
  try {
    const url = new URL(value, BASE + page.split('/').map(encodeURIComponent).join('/'));
    if (url.origin !== new URL(BASE).origin) return '';
    const key = decodeURIComponent(url.pathname.slice(1));
    return key === '' || key.endsWith('/') ? `${key}index.html` : key;
  } catch {
    return '';
  }
}

/** The HTML pages a reader can reach from `start` by following links (a[href]) from page to page. */
export function reachablePages(files: SiteFiles, start = 'index.html'): Set<string> {
  const seen = new Set<string>();
  const queue = files.has(start) ? [start] : [];
  for (let page = queue.shift(); page !== undefined; page = queue.shift()) {
    if (seen.has(page)) continue;
    seen.add(page);
    for (const ref of referencesOf(page, text(files.get(page)!))) {
      if (ref.tag !== 'a' && ref.tag !== 'area') continue;
      const key = targetOf(page, ref.value);
      if (key && isHtmlKey(key) && files.has(key) && !seen.has(key)) queue.push(key);
    }
  }
  return seen;
}

/** One line per problem, for assertion messages. */
export const describeLinks = (problems: readonly (Reference & { target: string })[], limit = 60): string =>
  problems
    .slice(0, limit)
    .map((p) => `${p.page}: <${p.tag} ${p.attr}="${p.value}"> → ${p.target}`)
    .join('\n') + (problems.length > limit ? `\n… and ${problems.length - limit} more` : '');

// ---------------------------------------------------------------------------------------
// The Nu HTML Checker
// ---------------------------------------------------------------------------------------

export interface HtmlError {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  readonly extract?: string;
}

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  firstColumn?: number;
  lastColumn?: number;
  message: string;
  extract?: string;
}

/**
 * Validates every HTML file of `files` with one run of vnu (the files are written to a
 * temporary folder under their keys). Returns the errors (and fatal errors), with the key
 * of the file each is in. Warnings are left out unless `warnings` is set.
 */
export async function validateHtml(files: SiteFiles, options: { warnings?: boolean } = {}): Promise<HtmlError[]> {
  const html = [...files].filter(([k]) => isHtmlKey(k));
  if (html.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'gongkai-vnu-'));
  try {
    for (const [key, body] of html) {
      const path = join(dir, ...key.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body);
    }
    const args = ['-jar', VNU_JAR, '--format', 'json', '--stdout', '--skip-non-html', ...(options.warnings ? [] : ['--errors-only']), dir];
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile('java', args, { maxBuffer: 256 * 1024 * 1024, timeout: 180_000 }, (err, out, errOut) => {
        // vnu exits 1 when it found errors; anything else without JSON is a failure to run.
        if (out.trim().startsWith('{')) resolve(out);
        else reject(new Error(`vnu did not run: ${String(err)}\n${errOut}`));
      });
    });
    const messages = (JSON.parse(stdout) as { messages: VnuMessage[] }).messages;
    const prefix = `file:${dir}/`;
    const keyOf = (url: string | undefined): string => {
      if (!url) return '(vnu)';
      const path = url.startsWith(prefix) ? url.slice(prefix.length) : url.startsWith('file://') ? url.slice(`file://${dir}/`.length) : url;
      try {
        return decodeURIComponent(path);
      } catch {
        return path;
      }
    };
    return messages
      .filter((m) => m.type === 'error' || m.type === 'non-document-error' || (options.warnings && m.type === 'info'))
      .map((m) => ({
        file: keyOf(m.url),
        ...(m.lastLine !== undefined ? { line: m.lastLine } : {}),
        ...(m.firstColumn !== undefined || m.lastColumn !== undefined ? { column: m.firstColumn ?? m.lastColumn } : {}),
        message: m.subType ? `${m.subType}: ${m.message}` : m.message,
        ...(m.extract ? { extract: m.extract } : {}),
      }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const describeHtmlErrors = (errors: readonly HtmlError[], limit = 60): string =>
  errors
    .slice(0, limit)
    .map((e) => `${e.file}:${e.line ?? '?'}:${e.column ?? '?'} ${e.message}${e.extract ? `  «${e.extract.replace(/\s+/g, ' ')}»` : ''}`)
    .join('\n') + (errors.length > limit ? `\n… and ${errors.length - limit} more` : '');

// ---------------------------------------------------------------------------------------
// axe-core
// ---------------------------------------------------------------------------------------

export interface AxeViolation {
  readonly url: string;
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly helpUrl: string;
  /** The CSS targets and the failure summary of each offending node. */
  readonly nodes: { readonly target: string; readonly html: string; readonly summary: string }[];
}

let axeSource: string | undefined;

/** Every impact axe reports: the site and the web apps are held to all of them. */
export const AXE_IMPACTS = ['minor', 'moderate', 'serious', 'critical'] as const;

/**
 * Runs axe-core (WCAG 2 A/AA, 2.1 AA and best practices) on the page as it is now, and
 * returns its violations of every impact (or only of `impacts`). The pages forbid scripts by CSP: the page
 * must come from a context created with `bypassCSP: true`.
 */
export async function axeAudit(page: Page, options: { impacts?: readonly string[] } = {}): Promise<AxeViolation[]> {
  axeSource ??= await readFile(AXE_JS, 'utf8');
  const impacts = options.impacts ?? AXE_IMPACTS;
  if (!(await page.evaluate('typeof window.axe === "object"'))) {
    // Added for the audit and taken out again: the page's DOM stays the app's own (vnu reads it after).
    const tag = await page.addScriptTag({ content: axeSource });
    await tag.evaluate((el: { remove(): void }) => el.remove());
  }
  const result = (await page.evaluate(`window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    resultTypes: ['violations'],
  })`)) as {
    url: string;
    violations: { id: string; impact: string | null; help: string; helpUrl: string; nodes: { target: unknown[]; html: string; failureSummary?: string }[] }[];
  };
  return result.violations
    .filter((v) => v.impact !== null && impacts.includes(v.impact))
    .map((v) => ({
      url: result.url,
      id: v.id,
      impact: v.impact!,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), html: n.html.slice(0, 200), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300) })),
    }));
}

export const describeAxe = (violations: readonly AxeViolation[]): string =>
  violations
    .map(
      (v) =>
        `${v.url} [${v.impact}] ${v.id}: ${v.help}\n${v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target}  ${n.html}\n      ${n.summary}`)
          .join('\n')}`,
    )
    .join('\n');

// ---------------------------------------------------------------------------------------
// Layout: small screens and large text
// ---------------------------------------------------------------------------------------

export interface OverflowReport {
  readonly url: string;
  readonly viewport: number;
  readonly scrollWidth: number;
  /** Visible elements reaching past the right edge of the viewport, outside any scrolling container. */
  readonly overflowing: { readonly element: string; readonly right: number; readonly text: string }[];
}

/**
 * What sticks out to the right of the viewport: the document's scroll width, and every
 * visible element whose right edge is past the viewport's, unless an ancestor scrolls it
 * horizontally (a table inside a `.scroll` wrapper is meant to scroll). An ancestor with
 * overflow:hidden does not excuse it: what it clips cannot be read.
 */
export async function horizontalOverflow(page: Page): Promise<OverflowReport> {
  return page.evaluate(`(() => {
    const vw = window.innerWidth;
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += '#' + el.id;
      if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\\s+/).join('.');
      const p = el.parentElement;
      return (p && p !== document.body && p !== document.documentElement ? describe(p) + ' > ' : '') + s;
    };
    const clipped = (el) => {
      for (let a = el.parentElement; a && a !== document.documentElement && a !== document.body; a = a.parentElement) {
        // Only a container the reader can scroll: content clipped by overflow:hidden is lost, not wrapped.
        const o = getComputedStyle(a).overflowX;
        if (o === 'auto' || o === 'scroll') return true;
      }
      return false;
    };
    const overflowing = [];
    const seen = new Set();
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const st = getComputedStyle(el);
      if (st.visibility === 'hidden' || st.display === 'none') continue;
      // Positioned off-screen on purpose to the left (a skip link until focused).
      if (r.right <= 0) continue;
      if (r.right > vw + 1 && !clipped(el)) {
        seen.add(el);
        // Only the outermost element that sticks out: its descendants follow it.
        if (!seen.has(el.parentElement)) overflowing.push({ element: describe(el), right: Math.round(r.right), text: (el.textContent || '').trim().slice(0, 40) });
      }
    }
    return { url: location.href, viewport: vw, scrollWidth: document.documentElement.scrollWidth, overflowing: overflowing.slice(0, 20) };
  })()`);
}

/** Whether the page overflows: a wider document, or elements past the right edge. */
export const overflows = (r: OverflowReport): boolean => r.scrollWidth > r.viewport + 1 || r.overflowing.length > 0;

export const describeOverflow = (reports: readonly OverflowReport[]): string =>
  reports
    .filter(overflows)
    .map((r) => `${r.url}: scrollWidth ${r.scrollWidth} > viewport ${r.viewport}\n${r.overflowing.map((o) => `    ${o.element} (right ${o.right}px) «${o.text}»`).join('\n')}`)
    .join('\n');

/** Font sizes (px) of the elements that hold text directly, in document order, keyed by their position. */
export async function textSizes(page: Page): Promise<{ element: string; size: number; text: string }[]> {
  return page.evaluate(`(() => {
    const out = [];
    const all = [...document.body.querySelectorAll('*')];
    all.forEach((el, i) => {
      const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(' ');
      if (!own) return;
      const st = getComputedStyle(el);
      if (st.display === 'none' || st.visibility === 'hidden') return;
      out.push({ element: i + ':' + el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : ''), size: parseFloat(st.fontSize), text: own.slice(0, 30) });
    });
    return out;
  })()`);
}

/**
 * The text that did not grow with the reader's font size: compares the sizes of the same
 * elements before and after the root size was raised by `factor` (e.g. 2 for 200 %).
 * Text set in px (or fixed viewport units) stays small for readers who need it large.
 */
export function unscaledText(
  before: readonly { element: string; size: number; text: string }[],
  after: readonly { element: string; size: number; text: string }[],
  factor: number,
): { element: string; before: number; after: number; text: string }[] {
  const sizes = new Map(after.map((a) => [a.element, a.size]));
  return before
    .filter((b) => sizes.has(b.element) && sizes.get(b.element)! < b.size * (1 + (factor - 1) * 0.75))
    .map((b) => ({ element: b.element, before: b.size, after: sizes.get(b.element)!, text: b.text }));
}

// ---------------------------------------------------------------------------------------
// A page in one of its states (the web apps change as they are used)
// ---------------------------------------------------------------------------------------

/** What one state of a live page was found to have. */
export interface StateAudit {
  readonly state: string;
  /** The DOM as it is in this state, for vnu (serialised by the browser). */
  readonly html: string;
  readonly axe: AxeViolation[];
  /** At 375 px, with the text as set and with the root font size doubled. */
  readonly phone: OverflowReport;
  readonly largeText: OverflowReport;
  /** Text that did not grow when the root font size was doubled. */
  readonly unscaled: string[];
}

/**
 * Audits the page as it is now, as the site's pages are audited: axe with every impact
 * (minor and moderate too), the layout at 375 px with the text as set and twice as large.
 * The page's own viewport is put back after. The page must come from a context created
 * with `bypassCSP: true` (axe and the large-text style are added to it).
 */
export async function auditState(page: Page, state: string): Promise<StateAudit> {
  const html = await page.content();
  const axe = (await axeAudit(page, { impacts: AXE_IMPACTS })).map((v) => ({ ...v, url: `${state}: ${v.url}` }));
  const size = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 740 });
  try {
    const phone = { ...(await horizontalOverflow(page)), url: state };
    const before = await textSizes(page);
    const style = await page.addStyleTag({ content: 'html{font-size:200% !important}' });
    try {
      const unscaled = unscaledText(before, await textSizes(page), 2).map((u) => `${state}: ${u.element} stays ${u.after}px (was ${u.before}px) «${u.text}»`);
      const largeText = { ...(await horizontalOverflow(page)), url: `${state} (200 % text)` };
      return { state, html, axe, phone, largeText, unscaled };
    } finally {
      await style.evaluate((el: { remove(): void }) => el.remove());
    }
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

/**
 * Asserts what the audits of a page's states found: valid HTML in every state (vnu, on the
 * served files and on each state's DOM), no axe finding of any impact, nothing wider than
 * a 375 px screen with the text as set or twice as large, all text scaling with the root.
 */
export async function problemsOf(audits: readonly StateAudit[], served: SiteFiles): Promise<Record<string, string[]>> {
  const files: SiteFiles = new Map(served);
  audits.forEach((a, i) => files.set(`states/${i}-${a.state.replace(/[^a-z0-9-]+/gi, '-')}.html`, new TextEncoder().encode(a.html)));
  const html = await validateHtml(files);
  return {
    html: html.map((e) => describeHtmlErrors([e])),
    axe: audits.flatMap((a) => a.axe).map((v) => describeAxe([v])),
    phone: audits
      .map((a) => a.phone)
      .filter(overflows)
      .map((r) => describeOverflow([r])),
    largeText: audits
      .map((a) => a.largeText)
      .filter(overflows)
      .map((r) => describeOverflow([r])),
    unscaled: audits.flatMap((a) => a.unscaled),
  };
}

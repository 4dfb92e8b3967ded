import { byPosition, compact, compactAfter, compactBefore, foldLookalikes, linesOf, smallNumber, spaced, WS, type Span } from './scan.ts';

/**
 * Disclosure and secrecy MARKERS printed on a document — not mentions of them.
 *
 * The notices discuss 依申请公开 / 不予公开 / 秘密 in prose all the time ("防止依申请公开、
 * 不予公开属性的滥用", "商业秘密", "国家秘密"); none of that is a marker. A marker is one of:
 *
 * 1. The bracketed attribute note, anywhere in the text: （此件公开发布） （此件主动公开）
 *    （此件依申请公开） （此件不予公开） （此件不公开）, in any brackets, mixed or not (( ) （ ） 【 】
 *    ［ ］ 〔 〕 〖 〗…, all folded to ( ) by foldLookalikes: OCR reads （此件不予公开） as
 *    (此件不予公开) or 【此件不予公开]) and any whitespace or line break between its characters
 *    (PDF extraction). It is a mention,
 *    not a marker, when quoted (“（此件主动公开）”, 「…」, "…"), when preceded by
 *    注明/标注/标明/标有/标示/写明/加注/印有/注有 ("文末标注（此件公开发布）"), or followed
 *    by 字样.
 *
 * 2. A marker LINE: a line that consists only of marker tokens (and separators: blanks,
 *    ， 、 ； · /), each token optionally in brackets (【内部资料】). Tokens:
 *    - 内部资料, 注意保存 (kinds internal, keep-safe);
 *    - 此件公开发布 / 此件主动公开 / 此件依申请公开 / 此件不予公开 / 此件不公开 without brackets;
 *    - a labelled attribute: 公开方式 / 公开属性 / 公开类型 / 公开类别 / 公开选项 / 信息公开选项 /
 *      信息公开属性 + ：+ 主动公开 / 依申请公开 / 不予公开 / 不公开 / 公开发布 (the footer line
 *      "公开方式：主动公开" that many governments print above 抄送);
 *    - a secrecy mark: [密级：]绝密|机密|秘密, then optionally ★ and a 保密期限 (1年, 10年,
 *      长期, 6个月) and/or "保密期限：…";
 *    - header tokens that are not markers but share the line: 紧急程度 (特急, 加急, 特提,
 *      平急, 紧急程度：特急) and a 份号: 6 digits, or 份号[：] + 1–6 digits (GB/T 9704-2012 版头).
 *    Where: the self-describing tokens — 此件…, 公开方式：…, and secrecy marks with 密级, ★
 *    or 保密期限 — count on a token line anywhere (the attribute is often printed in the
 *    footer above 抄送). 内部资料, 注意保存 and a bare 秘密 / 机密 / 绝密 count only in the
 *    header zone (the first HEADER_LINES non-blank lines), where GB/T 9704 prints them:
 *    lower down, a short line "内部资料" or "秘密" is far more likely a table cell or a
 *    wrapped phrase ("商业\n秘密") than a mark on this document.
 *
 * 3. A secrecy mark in running text: a 密级 with ★ or with the label 密级：, anywhere (inside a
 *    sentence, beside a 份号, after a title), unless quoted or named as a mention (标注“秘密★1年”
 *    字样). See inlineSecrecy.
 *
 * The text is read through foldLookalikes first: any star look-alike (☆ ⭐ ✩ ✦ ✱ ⋆ ∗ ＊ 🌟…) is
 * ★, variation selectors and zero-width characters are blanks. Periods may be written in
 * Chinese numerals (一年, 三十年, 六个月), 半年 (read 6个月), 长期, 启用前 / 解密前; the levels
 * also in traditional forms (絕密, 機密, 祕密) and letter-spaced (机　密). A missed mark is the
 * costliest miss of this system: where a form is ambiguous it is read as a mark.
 *
 * Everything else is not a marker: 依申请公开 / 不予公开 / 内部资料 inside a sentence, a
 * line that lists attributes ("公开属性：主动公开、依申请公开、不予公开"), 国家秘密,
 * 商业秘密, 涉密, 保密 in prose.
 */

export type MarkerKind = 'public-release' | 'proactive' | 'on-application' | 'not-public' | 'internal' | 'keep-safe' | 'top-secret' | 'confidential' | 'secret';

export interface Marker extends Span {
  readonly kind: MarkerKind;
  /** 保密期限 of a secrecy mark, whitespace removed and digits half-width: '1年', '10年', '长期', '6个月'. */
  readonly secrecyPeriod?: string;
}

/** Non-blank lines at the top of a text where a bare 秘密/机密/绝密 counts as a mark. */
export const HEADER_LINES = 10;

const ATTRIBUTE_KIND: Readonly<Record<string, MarkerKind>> = {
  公开发布: 'public-release',
  主动公开: 'proactive',
  依申请公开: 'on-application',
  不予公开: 'not-public',
  不公开: 'not-public',
};

const ATTRIBUTE_WORDS = Object.keys(ATTRIBUTE_KIND)
  .sort((a, b) => b.length - a.length)
  .map(spaced)
  .join('|');

// --------------------------------------------------------------------- 1. bracketed notes

// foldLookalikes has folded every bracket (（） 【】 ［］ 〔〕 〖〗…, mixed as OCR and extractors write them) to ( ).
const BRACKETED = new RegExp(`\\(${WS}${spaced('此件')}${WS}(${ATTRIBUTE_WORDS})${WS}\\)`, 'g');
const QUOTE_OPEN = /[“"「『‘'《〈]$/;
const QUOTE_CLOSE = /^[”"」』’'》〉]/;
const MENTION_BEFORE = /(?:注明|标注|标明|标有|标示|写明|加注|印有|注有|署明)$/;
const MENTION_AFTER = /^字样/;

function bracketedNotes(text: string, f: string): Marker[] {
  const out: Marker[] = [];
  for (const m of f.matchAll(BRACKETED)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = compactBefore(f, start, 4);
    const after = compactAfter(f, end, 2);
    if (QUOTE_OPEN.test(before) || QUOTE_CLOSE.test(after) || MENTION_BEFORE.test(before) || MENTION_AFTER.test(after)) continue;
    out.push({ start, end, text: text.slice(start, end), kind: ATTRIBUTE_KIND[compact(m[1]!)]! });
  }
  return out;
}

// --------------------------------------------------------------------- 2. marker lines

/**
 * A 保密期限: 长期, N年 / N个月 in digits or Chinese numerals (1年, 10年, 一年, 十年, 三十年,
 * 六个月), 半年, or 启用前 / 解密前 (exam papers and drafts: 绝密★启用前).
 */
const PERIOD_SOURCE = '长\\s*期|[启解]\\s*[用密]\\s*前|半\\s*年|(?:\\d{1,2}|[一二两三四五六七八九十〇零]{1,3})\\s*(?:个\\s*月|年)';
const PERIOD = `(${PERIOD_SOURCE})`;
/** The three 密级, in simplified and traditional forms (祕 is a variant of 秘). */
const LEVEL = '([绝絕][\\s]*密|[机機][\\s]*密|[秘祕][\\s]*密)';
const levelKind = (level: string): MarkerKind => {
  const c = compact(level)[0];
  return c === '绝' || c === '絕' ? 'top-secret' : c === '机' || c === '機' ? 'confidential' : 'secret';
};
/** '1年', '10年', '6个月', '长期', '启用前': whitespace removed, Chinese numerals read. */
export function normalisePeriod(period: string): string {
  const p = compact(period);
  if (p === '半年') return '6个月';
  const m = /^(.+?)(个月|年)$/.exec(p);
  if (!m) return p;
  const n = smallNumber(m[1]!);
  return n === undefined ? p : `${n}${m[2]}`;
}
interface Token {
  readonly re: RegExp;
  /** Marker(s) a match stands for; none for header tokens that are not markers. */
  readonly read: (m: RegExpExecArray) => { kind: MarkerKind; secrecyPeriod?: string; strong: boolean } | undefined;
}

const TOKENS: readonly Token[] = [
  {
    re: /内部资料|注意保存/y,
    read: (m) => ({ kind: m[0] === '内部资料' ? 'internal' : 'keep-safe', strong: false }),
  },
  {
    re: new RegExp(`此件\\s*(${ATTRIBUTE_WORDS})`, 'y'),
    read: (m) => ({ kind: ATTRIBUTE_KIND[compact(m[1]!)]!, strong: true }),
  },
  {
    re: new RegExp(`(?:信息)?公开(?:方式|属性|类型|选项|类别)\\s*[:]\\s*(${ATTRIBUTE_WORDS})`, 'y'),
    read: (m) => ({ kind: ATTRIBUTE_KIND[compact(m[1]!)]!, strong: true }),
  },
  {
    re: new RegExp(`(密\\s*级\\s*[:]?\\s*)?${LEVEL}(?:\\s*(★)\\s*${PERIOD}?)?(?:\\s*[,，、]?\\s*保\\s*密\\s*期\\s*限\\s*[:]?\\s*${PERIOD})?`, 'y'),
    read: (m) => {
      const period = m[4] ?? m[5];
      return {
        kind: levelKind(m[2]!),
        ...(period !== undefined ? { secrecyPeriod: normalisePeriod(period) } : {}),
        strong: m[1] !== undefined || m[3] !== undefined || period !== undefined,
      };
    },
  },
  { re: /(?:紧急程度\s*[:]?\s*)?(?:特急|加急|特提|平急)/y, read: () => undefined },
  { re: /份\s*号\s*[:]?\s*\d{1,6}(?!\d)|\d{6}(?!\d)/y, read: () => undefined },
];
const SEPARATORS = /[\s,，、;；·•/|]*/y;
const OPENERS = /\(?\s*/y;
const CLOSERS = /\s*\)?/y;

interface LineToken {
  readonly start: number;
  readonly end: number;
  readonly kind: MarkerKind;
  readonly secrecyPeriod?: string;
  /** Counts outside the header zone too (see the module comment). */
  readonly strong: boolean;
}

function sticky(re: RegExp, s: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(s);
}

/**
 * If the folded line f[from, to) consists only of tokens and separators, its marker tokens
 * (offsets in f); otherwise undefined.
 */
export function parseMarkerLine(f: string, from: number, to: number): LineToken[] | undefined {
  const line = f.slice(from, to);
  const out: LineToken[] = [];
  let at = 0;
  let tokens = 0;
  while (true) {
    at += sticky(SEPARATORS, line, at)![0].length;
    if (at >= line.length) break;
    const tokenAt = at + sticky(OPENERS, line, at)![0].length;
    let matched: RegExpExecArray | null = null;
    let token: Token | undefined;
    for (const t of TOKENS) {
      const m = sticky(t.re, line, tokenAt);
      if (m && m[0].length > 0) {
        matched = m;
        token = t;
        break;
      }
    }
    if (!matched || !token) return undefined;
    const tokenEnd = tokenAt + matched[0].length;
    const read = token.read(matched);
    if (read) out.push({ start: from + tokenAt, end: from + tokenEnd, ...read });
    tokens++;
    at = tokenEnd + sticky(CLOSERS, line, tokenEnd)![0].length;
  }
  return tokens > 0 ? out : undefined;
}

function markerLines(text: string, f: string): Marker[] {
  const out: Marker[] = [];
  let nonBlank = 0;
  for (const line of linesOf(f)) {
    if (line.contentStart === line.contentEnd) continue;
    nonBlank++;
    const tokens = parseMarkerLine(f, line.contentStart, line.contentEnd);
    if (!tokens) continue;
    for (const t of tokens) {
      if (!t.strong && nonBlank > HEADER_LINES) continue;
      out.push({
        start: t.start,
        end: t.end,
        text: text.slice(t.start, t.end),
        kind: t.kind,
        ...(t.secrecyPeriod !== undefined ? { secrecyPeriod: t.secrecyPeriod } : {}),
      });
    }
  }
  return out;
}

// --------------------------------------------------------------------- 3. secrecy marks in running text

/**
 * A 密级 with ★ (or a look-alike, folded to ★) or with the label 密级：, anywhere — inside a
 * sentence, before a 份号, after a title: "本文件定为机密★5年", "密级：秘密". No prose writes
 * 秘密★ or 密级：机密 except to mark a document, so these need no line of their own. A quoted
 * mention (“秘密★1年”, 标注“机密★”字样) is not a mark.
 */
const INLINE_SECRECY = new RegExp(
  `(密${WS}级${WS}[:]?${WS})?${LEVEL.replace(/\[\\s\]\*/g, WS)}(?:${WS}(★)${WS}${PERIOD.replace(/\\s\*/g, WS)}?)?(?:${WS}[,，、]?${WS}保${WS}密${WS}期${WS}限${WS}[:]?${WS}${PERIOD.replace(/\\s\*/g, WS)})?`,
  'g',
);

function inlineSecrecy(text: string, f: string): Marker[] {
  const out: Marker[] = [];
  for (const m of f.matchAll(INLINE_SECRECY)) {
    if (m[1] === undefined && m[3] === undefined) continue;
    const start = m.index;
    const end = start + m[0].length;
    const before = compactBefore(f, start, 4);
    const after = compactAfter(f, end, 2);
    if (QUOTE_OPEN.test(before) || QUOTE_CLOSE.test(after) || MENTION_BEFORE.test(before) || MENTION_AFTER.test(after)) continue;
    const period = m[4] ?? m[5];
    out.push({
      start,
      end,
      text: text.slice(start, end),
      kind: levelKind(m[2]!),
      ...(period !== undefined ? { secrecyPeriod: normalisePeriod(period) } : {}),
    });
  }
  return out;
}

/**
 * Every disclosure/secrecy marker in the text (see the module comment), sorted by position.
 * The text is read through foldLookalikes (look-alike stars, invisible characters) first;
 * spans quote the caller's text.
 */
export function findMarkers(text: string): Marker[] {
  const f = foldLookalikes(text);
  const all = [...bracketedNotes(text, f), ...markerLines(text, f), ...inlineSecrecy(text, f)].sort(byPosition);
  // A bracketed note on its own line is found by both passes, a secrecy mark on a marker
  // line by two: keep the outer span once.
  const out: Marker[] = [];
  for (const m of all) {
    const last = out[out.length - 1];
    if (last && m.start < last.end) continue;
    out.push(m);
  }
  return out;
}

// --------------------------------------------------------------------- 4. possible secrecy marks

/**
 * What may be a secrecy mark but is not read as one (a warning for the approver to confirm
 * or dismiss, never a silent pass):
 * - a quoted or named form (“秘密★1年”, 标注“机密★”字样) — prose about marking, or a mark
 *   an editor put in quotes;
 * - a 密级 followed directly by a 保密期限 with no ★ (机密5年, 秘密 一年), not part of a longer
 *   word (国家秘密, 商业秘密…);
 * - a bare 绝密 / 机密 / 秘密 alone on a line below the header zone.
 * Spans that findMarkers returns are never repeated here.
 */
const POSSIBLE_PERIOD = new RegExp(`${LEVEL.replace(/\[\\s\]\*/g, WS)}${WS}${PERIOD.replace(/\\s\*/g, WS)}`, 'g');
const WORD_BEFORE_LEVEL = /(?:国家|商业|工作|军事|技术|经济|核心|内部|个人|涉及|属于|保守|泄露|窃取)$/;

export function findPossibleSecrecyMarks(text: string): Marker[] {
  const f = foldLookalikes(text);
  const certain = findMarkers(text);
  const overlaps = (a: number, b: number) => certain.some((m) => m.start < b && a < m.end);
  const out: Marker[] = [];
  const push = (start: number, end: number, level: string, period?: string) => {
    if (overlaps(start, end) || out.some((m) => m.start < end && start < m.end)) return;
    out.push({ start, end, text: text.slice(start, end), kind: levelKind(level), ...(period !== undefined ? { secrecyPeriod: normalisePeriod(period) } : {}) });
  };
  for (const m of f.matchAll(INLINE_SECRECY)) {
    if (m[1] === undefined && m[3] === undefined) continue;
    push(m.index, m.index + m[0].length, m[2]!, m[4] ?? m[5]);
  }
  for (const m of f.matchAll(POSSIBLE_PERIOD)) {
    if (WORD_BEFORE_LEVEL.test(compactBefore(f, m.index, 4))) continue;
    push(m.index, m.index + m[0].length, m[1]!, m[2]);
  }
  for (const line of linesOf(f)) {
    const t = compact(f.slice(line.contentStart, line.contentEnd)).replace(/^\(|\)$/g, '');
    if (/^(?:[绝絕]密|[机機]密|[秘祕]密)$/.test(t)) push(line.contentStart, line.contentEnd, t);
  }
  return out.sort(byPosition);
}

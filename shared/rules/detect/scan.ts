/**
 * Low-level helpers shared by the detectors. Everything here works on a *folded* copy of
 * the input that has exactly the same length (UTF-16 units) as the input, so an offset
 * found in the folded copy is the same offset in the string the caller passed in:
 *
 * - full-width ASCII (U+FF01–FF5E: ０-９, Ａ-Ｚ, （）, ：, ＠, －, ．…) → the ASCII character;
 * - the ideographic space U+3000 → an ASCII space.
 *
 * Each of these is one UTF-16 unit before and after, so the fold never moves an offset.
 * (normaliseText already folds digits and letters; raw extractor output may not have been
 * normalised, and the detectors must work on both.)
 */

export interface Span {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const WIDE = /[\uFF01-\uFF5E\u3000]/g;

/** Length-preserving fold (see module comment). */
export function foldWide(s: string): string {
  return s.replace(WIDE, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/**
 * Look-alikes and invisible characters, folded for the detectors where a miss is costly
 * (secrecy marks, document numbers), again without moving any offset:
 *
 * - every star a document may carry in place of ★ (☆ ⭐ ✩–✰ ✦ ✧ ✱–✹ ⋆ ∗ ⁎ ﹡ ٭ *, and the
 *   astral 🌟 ⭐-likes, two UTF-16 units → "★" + a space) → ★;
 * - every bracket that may stand for another → one pair, "(" and ")": the round brackets
 *   （） and (), the square 【】 ［］ [], the hexagonal 〔〕 of a year and its look-alikes
 *   〖〗 〘〙 〚〛 ﹝﹞ ﹙﹚ ⦅⦆ ｟｠ {} ｛｝. Writers and extractors mix them, and OCR models that
 *   lack 〔〕 read 古政办发〔2022〕30号 as 古政办发【2022]30号 and （此件不予公开） as
 *   (此件不予公开) or 【此件不予公开]: after the fold every detector sees one bracket pair,
 *   whatever the source (a text layer or OCR) wrote, and its patterns name "(" and ")" only.
 *   Quotation brackets (「」『』) and title marks (《》〈〉) are not brackets here;
 * - invisible characters (variation selectors U+FE00–FE0F, zero-width space/joiners
 *   U+200B–200D, word joiner U+2060, BOM U+FEFF, soft hyphen, Mongolian vowel separator,
 *   bidi marks U+200E/200F/202A–202E/2066–2069) → a space, which every detector already
 *   skips like a PDF's blank.
 *
 * This fold is for detection only: findings quote the caller's text (offsets map 1:1), and
 * nothing folded here is ever written back into the text that is stored or published.
 */
const STAR_BMP = /[☆⭐✩✪✫✬✭✮✯✰✦✧✱✲✳✴✵✶✷✸✹⋆∗⁎﹡٭*]/g;
const STAR_ASTRAL = /\u{1F31F}|[\u{1F7C9}-\u{1F7D4}]/gu;
/** Opening and closing brackets (after foldWide: （ ［ ｛ are ( [ { already). */
const BRACKET_OPEN = /[[【〔〖〘〚﹝﹙{⦅｟]/g;
const BRACKET_CLOSE = /[\]】〕〗〙〛﹞﹚}⦆｠]/g;
const INVISIBLE = /[\uFE00-\uFE0F\u200B-\u200F\u2060-\u2064\uFEFF\u00AD\u180E\u202A-\u202E\u2066-\u2069]/g;

export function foldLookalikes(s: string): string {
  return foldWide(s).replace(STAR_ASTRAL, '★ ').replace(STAR_BMP, '★').replace(BRACKET_OPEN, '(').replace(BRACKET_CLOSE, ')').replace(INVISIBLE, ' ');
}

/** A span of the caller's string. */
export const spanOf = (input: string, start: number, end: number): Span => ({ start, end, text: input.slice(start, end) });

/**
 * Whitespace a PDF or Word extractor may leave between the characters of one token:
 * blanks, line breaks, and the invisible characters normaliseText removes. As a regex
 * fragment (zero or more).
 */
export const WS = '[\\s\\u200B\\u2060\\u00AD]*';

/** Line-break characters (what ends a line for the "standalone line" rules). */
export const isLineBreak = (c: string | undefined): boolean => c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u0085' || c === '\u2028' || c === '\u2029';

/** Horizontal blank (not a line break). */
export const isBlank = (c: string | undefined): boolean => c !== undefined && !isLineBreak(c) && /[\s\u200B\u2060\u00AD]/.test(c);

export const isSpace = (c: string | undefined): boolean => c !== undefined && /[\s\u200B\u2060\u00AD]/.test(c);

const HAN = /^\p{Script=Han}$/u;
/** One Han character (BMP; astral ideographs never occur in 机关代字). */
export const isHan = (c: string | undefined): boolean => c !== undefined && HAN.test(c);

/** Interleave WS between the characters of a literal phrase: "此件" → "此WS件". */
export const spaced = (phrase: string): string => [...phrase].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(WS);

/** Up to n non-whitespace characters immediately before index i (in text order). */
export function compactBefore(s: string, i: number, n: number): string {
  let out = '';
  for (let k = i - 1; k >= 0 && out.length < n; k--) {
    const c = s[k]!;
    if (!isSpace(c)) out = c + out;
  }
  return out;
}

/** Up to n non-whitespace characters from index i on. */
export function compactAfter(s: string, i: number, n: number): string {
  let out = '';
  for (let k = i; k < s.length && out.length < n; k++) {
    const c = s[k]!;
    if (!isSpace(c)) out += c;
  }
  return out;
}

export interface Line {
  /** Offset of the line's first character. */
  readonly start: number;
  /** Offset after its last character (before the line break). */
  readonly end: number;
  /** Offset of the first non-blank character (=== end for a blank line). */
  readonly contentStart: number;
  /** Offset after the last non-blank character. */
  readonly contentEnd: number;
}

/** The lines of s (any line-break convention), with their trimmed content bounds. */
export function linesOf(s: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  const push = (end: number) => {
    let cs = start;
    while (cs < end && isBlank(s[cs])) cs++;
    let ce = end;
    while (ce > cs && isBlank(s[ce - 1])) ce--;
    out.push({ start, end, contentStart: cs, contentEnd: ce });
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (isLineBreak(c)) {
      push(i);
      if (c === '\r' && s[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  push(s.length);
  return out;
}

/** Remove all whitespace. */
export const compact = (s: string): string => s.replace(/[\s\u200B\u2060\u00AD]+/g, '');

const CN_DIGITS: Readonly<Record<string, number>> = {
  〇: 0,
  零: 0,
  O: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/**
 * A small number written in Arabic digits or Chinese numerals: "5", "五", "十", "十二",
 * "二十", "二十五". Year-style digit strings ("二〇二二") read digit by digit.
 */
export function smallNumber(s: string): number | undefined {
  const t = compact(s);
  if (/^\d+$/.test(t)) return Number(t);
  if (t === '') return undefined;
  if (!t.includes('十')) {
    let n = 0;
    for (const ch of t) {
      const d = CN_DIGITS[ch];
      if (d === undefined) return undefined;
      n = n * 10 + d;
    }
    return n;
  }
  const m = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(t);
  if (!m) return undefined;
  return (m[1] ? CN_DIGITS[m[1]]! : 1) * 10 + (m[2] ? CN_DIGITS[m[2]]! : 0);
}

/** A real calendar date? */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

export const isoDate = (y: number, m: number, d: number): string => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Sort by start, then longer first. */
export const byPosition = <T extends Span>(a: T, b: T): number => a.start - b.start || b.end - a.end;

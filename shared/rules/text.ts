import type { Located } from './types.ts';

/**
 * Small text helpers for the rules. The texts the rules see are normalised (see
 * shared/extract/normalise.ts) but keep their line breaks, so a PDF can still have wrapped
 * a phrase across two lines ("背\n景"). Rules search a squeezed copy (whitespace, or
 * everything but letters and digits, removed) and map the match back to offsets in the
 * text they were given, so evidence positions stay usable for highlighting and masking.
 */

export interface Squeezed {
  /** The text with the dropped characters removed. */
  readonly text: string;
  /** map[i] is the offset in the original text of squeezed.text[i] (UTF-16 units). */
  readonly map: readonly number[];
}

const WHITESPACE = /\s/u;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/u;

function squeezeBy(text: string, drop: RegExp): Squeezed {
  let out = '';
  const map: number[] = [];
  let i = 0;
  for (const ch of text) {
    if (!drop.test(ch)) {
      out += ch;
      for (let k = 0; k < ch.length; k++) map.push(i + k);
    }
    i += ch.length;
  }
  return { text: out, map };
}

/** Whitespace (line breaks included) removed. */
export const squeezeWhitespace = (text: string): Squeezed => squeezeBy(text, WHITESPACE);

/** Only letters and digits kept (whitespace and punctuation removed): for comparing wording. */
export const squeezeToWords = (text: string): Squeezed => squeezeBy(text, NOT_LETTER_OR_DIGIT);

/** Maps [from, to) in a squeezed text back to a span of the original text. */
export function unsqueeze(original: string, sq: Squeezed, from: number, to: number): Located {
  const start = sq.map[from] ?? original.length;
  const last = sq.map[to - 1];
  const end = last === undefined ? start : last + 1;
  return { start, end, text: original.slice(start, end) };
}

/** Every match of `re` in `text`, ignoring whitespace (a line break cannot split a match). Offsets are in `text`. */
export function findAll(text: string, re: RegExp): Located[] {
  const sq = squeezeWhitespace(text);
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  const out: Located[] = [];
  for (const m of sq.text.matchAll(g)) {
    if (m[0].length === 0) continue;
    out.push(unsqueeze(text, sq, m.index, m.index + m[0].length));
  }
  return out;
}

/** The first match of `re` in `text`, ignoring whitespace; undefined if none. */
export const findFirst = (text: string, re: RegExp): Located | undefined => findAll(text, re)[0];

/** Chinese numerals and digits to a number: 十四 → 14, 二十一 → 21, 16 → 16. */
export function chineseNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  const digits: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  let total = 0;
  let current = 0;
  for (const ch of s) {
    if (ch in digits) current = digits[ch]!;
    else if (ch === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else if (ch === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else return undefined;
  }
  return total + current;
}

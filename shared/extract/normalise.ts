/**
 * Text normalisation for matching (rules, document numbers, markers).
 *
 * The raw extracted text is always kept as it came from the extractor; this derives a
 * normalised text from it. What PDF and Word tools do to Chinese text, and what we undo:
 *
 * - Full-width ASCII digits and letters (０-９ Ａ-Ｚ ａ-ｚ) are folded to half-width. Nothing
 *   else is folded: NFKC would also turn （）〔〕：， into ASCII and change the text people
 *   read, so it is deliberately NOT used.
 * - Line endings (\r\n, \r, form feed, vertical tab, U+0085/2028/2029) become \n.
 * - Invisible characters (C0 controls other than \t/\n, DEL, zero-width space, word joiner,
 *   soft hyphen, BOM) are removed.
 * - Blank space (space, tab, NBSP, U+2000–200A, U+202F, U+205F, ideographic space U+3000)
 *   is collapsed to one ASCII space, trimmed at both ends of each line, and removed when it
 *   sits between two CJK characters or between a CJK character and an ASCII digit/letter.
 *   PDF tools insert such spaces at Chinese–digit gaps ("2022 年", "〔2020〕60 号"); in
 *   Chinese text they carry no meaning. ("CJK" here is Han, kana, bopomofo and the CJK and
 *   full-width punctuation such as 〔〕（），。、 — not Hangul, which uses spaces between
 *   words.) Spaces between Latin words are kept.
 *
 * Line breaks. PDF extraction breaks at every visual line (and pdf-parse separates pages
 * with a blank line); Word gives one line per paragraph followed by a blank line; the
 * plain-text sources have one line per paragraph. normaliseText keeps the line structure
 * (so "a marker on its own line" stays checkable) but drops empty lines, so the same
 * document from .docx and .txt normalises to the same string. A line break therefore
 * still separates the two halves of a phrase that a PDF wrapped across lines
 * (e.g. "（运\n政办发〔2020〕2 号）" in seed 000). For matching phrases and document numbers,
 * use compactText (all whitespace removed, both sides) — matching must not depend on
 * where a PDF happened to wrap a line.
 */

const LINE_BREAKS = /\r\n|[\r\f\v\u0085\u2028\u2029]/g;
const INVISIBLE = /[\u0000-\u0008\u000E-\u001F\u007F\u00AD\u200B\u2060\uFEFF]/g;
const FULLWIDTH_ALNUM = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;
const BLANK_RUN = /[ \t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;

/** Character class body (for use inside [...]) of what counts as CJK for spacing. */
const CJK =
  '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Bopomofo}' +
  '\\u3001-\\u303F\\uFE10-\\uFE1F\\uFE30-\\uFE4F\\uFF01-\\uFF0F\\uFF1A-\\uFF20\\uFF3B-\\uFF40\\uFF5B-\\uFF65';
const ALNUM = 'A-Za-z0-9';
/** A single space (blank runs are already collapsed) between CJK–CJK, CJK–alnum, alnum–CJK. */
const CJK_GAP = new RegExp(`(?<=[${CJK}]) (?=[${CJK}${ALNUM}])|(?<=[${ALNUM}]) (?=[${CJK}])`, 'gu');

/** Fold full-width ASCII digits and letters only (０→0, Ａ→A, ａ→a). */
export function foldFullWidthAlnum(s: string): string {
  return s.replace(FULLWIDTH_ALNUM, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** See the module comment. Idempotent: normaliseText(normaliseText(x)) === normaliseText(x). */
export function normaliseText(raw: string): string {
  const folded = foldFullWidthAlnum(raw.replace(LINE_BREAKS, '\n').replace(INVISIBLE, ''));
  const lines: string[] = [];
  for (const line of folded.split('\n')) {
    const l = line.replace(BLANK_RUN, ' ').trim().replace(CJK_GAP, '');
    if (l !== '') lines.push(l);
  }
  return lines.join('\n');
}

/**
 * The normalised text with ALL whitespace removed (line breaks included): the form to match
 * phrases and document numbers in, so a PDF line wrap cannot split a match. Compact both
 * sides: `compactText(doc).includes(compactText(phrase))`.
 */
export function compactText(raw: string): string {
  return normaliseText(raw).replace(/[ \n]/g, '');
}

/** True if `phrase` occurs in `text` once both are compacted (whitespace-insensitive). */
export function containsPhrase(text: string, phrase: string): boolean {
  const p = compactText(phrase);
  return p !== '' && compactText(text).includes(p);
}

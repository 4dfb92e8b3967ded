import { foldLookalikes, isBlank, isHan, isLineBreak, isSpace, WS, type Span } from './scan.ts';

/**
 * 发文字号 (document numbers): 机关代字 + 〔年份〕 + 序号 + 号, e.g. 运盐政办发〔2020〕60号.
 *
 * What is a number here:
 * - a bracketed four-digit year 19xx/20xx, in any of 〔〕 [] 【】 () （） ［］ 〖〗 ﹝﹞… (the two
 *   brackets need not match: extractors mix them, and OCR reads 〔2022〕 as 【2022]; all are
 *   folded to ( ) by foldLookalikes), then the serial (1–6 digits, an optional
 *   第 before it) and 号;
 * - preceded by the 机关代字: at least 2 Han characters (at most MAX_ORGAN are kept).
 * - Whitespace (blanks, line breaks) may sit between ANY two characters (PDF tools insert
 *   spaces at Chinese–digit gaps and wrap lines anywhere); digits may be full-width.
 *
 * What is not: a year in brackets alone (〔2020〕), a year range (2020—2022年), a court
 * case number （2020）晋0802民初12号 (the organ comes after the year), and numbers without
 * a bracketed year: 省政府令第274号, 国务院令第711号 (orders are numbered 第N号 in one
 * series, with no year; they are not 〔year〕 document numbers and are not returned here:
 * findOrderNumbers below reads them).
 *
 * Where the organ starts. The Han characters before the bracket are read backwards; the
 * organ is what is left after cutting everything up to the last "stop word" (a verb or
 * function word that never occurs inside a 机关代字: 根据, 按照, 落实, 印发, 的, 和, 及,
 * 见…, and document-type words such as 通知, 意见, 文件). So 根据运政办发〔2020〕2号 gives
 * 运政办发. A line break inside the organ (（运\n政办发〔2020〕2号）, seed 000's PDF) is
 * crossed only when (a) the organ part on the number's line starts that line, (b) the
 * previous line is long enough to be a wrapped line (WRAP_MIN characters: a PDF wraps at
 * the right margin; "签发人：张三" above a number is not a wrap), and (c) the Han run at the
 * end of the previous line is bounded there by punctuation or a bracket ("…（运") or
 * contains a stop word ("…根据运"). So a title (…实施意见 — cut at 意见 anyway), a
 * letterhead (…办公室文件) or an organ name on the line above is never glued to the
 * number, nor is a join kept that would make the organ longer than MAX_ORGAN. Only ONE line
 * break inside an organ is crossed (a PDF wraps a 2–6 character organ at most once); a
 * table cell too narrow for its organ yields the part on the number's line. If the organ
 * on its own line is longer than MAX_ORGAN, the last MAX_ORGAN characters are kept.
 */

export interface DocumentNumber extends Span {
  /** 机关代字 incl. 发/办/函 etc. as written (whitespace removed), e.g. 运盐政办发, 国办发, 尤政办. */
  readonly organ: string;
  readonly year: number;
  readonly serial: number;
  /** The 规 numbering of 行政规范性文件 (古政规〔2022〕1号, 晋政办规〔2021〕3号, 建城规〔2021〕4号). */
  readonly normative: boolean;
  /** organ + '〔' + year + '〕' + serial + '号' (brackets normalised, serial without leading zeros). */
  readonly canonical: string;
}

/** Longest organ kept (国办公开办函 is 6; real codes rarely exceed 6). */
export const MAX_ORGAN = 8;
/**
 * A line this long (non-blank characters) can be a wrapped line; a shorter one ended where
 * its author ended it ("签发人：张三", a table cell) and is never joined to the next line.
 */
export const WRAP_MIN = 10;

// foldLookalikes has folded every bracket (〔〕 【】 ［］ [] （） () 〖〗 ﹝﹞…, mixed as OCR and extractors write them) to ( ).
const OPEN = '\\(';
const CLOSE = '\\)';
const NUMBER_TAIL = new RegExp(`${OPEN}${WS}(\\d${WS}\\d${WS}\\d${WS}\\d)${WS}${CLOSE}${WS}(?:第${WS})?(\\d(?:${WS}\\d){0,5})${WS}号`, 'g');

/**
 * Cut up to and including the LAST stop word. Multi-character stops are verbs and
 * document-type words; single characters are function words, never part of a 机关代字.
 * (发, 办, 函, 规, 字, 政, 府, 厅… are organ characters and are never stops.)
 */
const STOP = new RegExp(
  '^.*(?:' +
    [
      '根据',
      '按照',
      '依据',
      '依照',
      '参照',
      '遵照',
      '对照',
      '比照',
      '详见',
      '参见',
      '落实',
      '贯彻',
      '执行',
      '印发',
      '转发',
      '下发',
      '制发',
      '发布',
      '公布',
      '通过',
      '文件',
      '意见',
      '通知',
      '方案',
      '办法',
      '规定',
      '决定',
      '要点',
      '报告',
      '请示',
      '批复',
      '纪要',
      '通报',
      '公告',
      '通告',
      '精神',
      '要求',
      '关于',
      '同意',
      '以及',
      '包括',
      '结合',
      '学习',
      '领会',
      '附件',
      // 文种 that end a title and never occur inside a 机关代字 (a title line above the number):
      '复函',
      '答复',
      '细则',
      '规则',
      '纲要',
      '预案',
      '名单',
      '清单',
      '公报',
      '议案',
      '条例',
      '指引',
      '指南',
      '章程',
      '守则',
      '须知',
      '[的了和及与或据照见即是在于将对把被等年月日第号为由以向从至如请所其该此本这个条款并之也]',
    ].join('|') +
    ')',
  'u',
);

const stripStops = (organ: string): string => organ.replace(STOP, '');

/** A normative (规-numbered) organ: ends in 规, or 规 + 发/字/函. */
const NORMATIVE = /规[发字函]?$/;

interface Collected {
  /** Offsets of the Han characters, in text order. */
  readonly idx: number[];
  /** Index of the character that stopped the backward scan (-1 at the start of text). */
  readonly stop: number;
}

/** Han characters read back at most (enough to find the last stop word before any organ). */
const SCAN_BACK = 64;

/** Han characters (blanks between them skipped) going back from i, within one line. */
function collectBack(f: string, i: number): Collected {
  const idx: number[] = [];
  let j = i;
  for (; j >= 0 && idx.length < SCAN_BACK; j--) {
    const c = f[j];
    if (isHan(c)) idx.push(j);
    else if (!isBlank(c)) break;
  }
  idx.reverse();
  return { idx, stop: j };
}

/** Skip whitespace (line breaks included) going back from i. */
function skipSpaceBack(f: string, i: number): number {
  let j = i;
  while (j >= 0 && isSpace(f[j])) j--;
  return j;
}

/** Non-blank characters of the line that ends at index i (inclusive). */
function lineLengthBefore(f: string, i: number): number {
  let n = 0;
  for (let j = i; j >= 0 && n < WRAP_MIN && !isLineBreak(f[j]); j--) if (!isSpace(f[j])) n++;
  return n;
}

/**
 * 文种 a title can end with. Cut at a gap (a blank or a line break between two Han
 * characters) when the part before the gap ends with one: "…的复函⏎国办函〔2005〕21号",
 * "…工作计划 国办发〔…〕". Some of them are also organ characters or prefixes (函, 规划 in
 * 发改规划〔2019〕), so they cut only at a gap, never inside a run.
 */
const TITLE_END = /(?:函|令|规划|计划|标准|规范|制度|目录|决议|公示|建议|方案|办法|规定|决定|意见|通知|报告|请示|批复|纪要|通报|公告|通告|要点|命令)$/;

/** The organ characters among idx (Han offsets): stop words cut, then a title's 文种 at a gap. */
function organOf(f: string, idx: readonly number[]): number[] {
  // No 机关代字 begins with 函: a leading 函 is a title's last word run into the number
  // with no blank between ("…的函国办函〔2005〕21号").
  const organ = stripStops(idx.map((k) => f[k]).join('')).replace(/^函(?=..)/, '');
  let out = idx.slice(idx.length - organ.length);
  for (let k = out.length - 1; k > 0; k--) {
    if (
      out[k]! - out[k - 1]! > 1 &&
      TITLE_END.test(
        out
          .slice(0, k)
          .map((j) => f[j])
          .join(''),
      )
    ) {
      out = out.slice(k);
      break;
    }
  }
  return out;
}

/**
 * An organ part that cannot begin a 机关代字: it starts with the 发文 suffix (发, 发明电, 函,
 * 字, 电, 办发, 办函…). On a number's line it means the organ was wrapped ("国⏎办发〔1997〕11号",
 * "国办⏎发明电〔2018〕15号"), however short the line above. 发改 (发改规划, 发改办…, the
 * NDRC's own organ) does begin one.
 */
const INCOMPLETE = /^(?:办?[发函字电](?!改)|明电)/;

/** Non-blank characters of the whole line that ends at index i. */
function wholeLineBefore(f: string, i: number): string {
  let out = '';
  for (let j = i; j >= 0 && !isLineBreak(f[j]); j--) if (!isSpace(f[j])) out = f[j] + out;
  return out;
}

/** The organ before an opening bracket at b: its character offsets, or undefined. */
function organBefore(f: string, b: number): number[] | undefined {
  const a = collectBack(f, skipSpaceBack(f, b - 1));
  if (a.idx.length === 0) return undefined;
  let idx = organOf(f, a.idx);
  // The organ reaches the start of its line: maybe it was wrapped from the previous line.
  if (idx.length === a.idx.length && (a.stop < 0 || isLineBreak(f[a.stop]))) {
    const prevEnd = skipSpaceBack(f, a.stop);
    const p = collectBack(f, prevEnd);
    const bounded = p.stop >= 0 && !isLineBreak(f[p.stop]);
    const incomplete = INCOMPLETE.test(idx.map((k) => f[k]).join(''));
    const prevHan = p.idx.map((k) => f[k]).join('');
    const wrapped = lineLengthBefore(f, prevEnd) >= WRAP_MIN;
    if (p.idx.length > 0 && (wrapped || (incomplete && wholeLineBefore(f, prevEnd) === prevHan))) {
      const joinedIdx = [...p.idx, ...a.idx];
      const joined = organOf(f, joinedIdx);
      const stopInPrevious = joined.length < joinedIdx.length;
      if ((bounded || stopInPrevious || incomplete) && joined.length > idx.length && joined.length <= MAX_ORGAN) idx = joined;
    }
  }
  if (idx.length < 2) return undefined;
  return idx.slice(idx.length - Math.min(idx.length, MAX_ORGAN));
}

/** Every document number in the text, in order. */
export function findDocumentNumbers(text: string): DocumentNumber[] {
  const f = foldLookalikes(text);
  const out: DocumentNumber[] = [];
  for (const m of f.matchAll(NUMBER_TAIL)) {
    const year = Number(m[1]!.replace(/\D/g, ''));
    if (year < 1900 || year > 2099) continue;
    const idx = organBefore(f, m.index);
    if (idx === undefined) continue;
    const organ = idx.map((k) => f[k]).join('');
    const serial = Number(m[2]!.replace(/\D/g, ''));
    const start = idx[0]!;
    const end = m.index + m[0].length;
    out.push({
      start,
      end,
      text: text.slice(start, end),
      organ,
      year,
      serial,
      normative: NORMATIVE.test(organ),
      canonical: `${organ}〔${year}〕${serial}号`,
    });
  }
  return out;
}

/**
 * Canonical form of a number typed by a person (e.g. the form's 发文字号 field), or
 * undefined if it is not one: `canonicalDocumentNumber('运盐政办发[2020]60号')`.
 */
export function canonicalDocumentNumber(s: string): string | undefined {
  const found = findDocumentNumbers(s);
  return found.length === 1 ? found[0]!.canonical : undefined;
}

/**
 * 令 numbering: the orders of a government (规章 are issued by order) and of the State
 * Council are numbered 第N号 in one series with no year: 国务院令第707号 (国令第707号),
 * 中华人民共和国国务院令⏎第707号 (the header of the order itself), 某某市人民政府令第3号,
 * 省政府令第274号. The organ is the Han run ending in 令 (stop words cut as for 机关代字;
 * 中华人民共和国 is kept whole), at most MAX_ORDER_ORGAN characters; whitespace may sit
 * anywhere, line breaks included.
 */
export interface OrderNumber extends Span {
  /** e.g. 国务院令, 国令, 中华人民共和国国务院令, 某某市人民政府令 (whitespace removed). */
  readonly organ: string;
  readonly serial: number;
  /** organ + '第' + serial + '号'. */
  readonly canonical: string;
}

export const MAX_ORDER_ORGAN = 16;
const ORDER_TAIL = new RegExp(`令${WS}第${WS}(\\d(?:${WS}\\d){0,5})${WS}号`, 'g');
const PRC = '中华人民共和国';

/** Every 令 number in the text, in order. */
export function findOrderNumbers(text: string): OrderNumber[] {
  const f = foldLookalikes(text);
  const out: OrderNumber[] = [];
  for (const m of f.matchAll(ORDER_TAIL)) {
    const back = collectBack(f, skipSpaceBack(f, m.index - 1)).idx;
    const run = back.map((k) => f[k]).join('');
    const prc = run.lastIndexOf(PRC);
    const organRun = prc >= 0 ? run.slice(prc) : stripStops(run);
    if (organRun.length === 0 || organRun.length >= MAX_ORDER_ORGAN) continue;
    const idx = back.slice(back.length - organRun.length);
    const start = idx[0]!;
    const end = m.index + m[0].length;
    const organ = `${organRun}令`;
    const serial = Number(m[1]!.replace(/\D/g, ''));
    out.push({ start, end, text: text.slice(start, end), organ, serial, canonical: `${organ}第${serial}号` });
  }
  return out;
}

/** Is `b` obtained from `a` by deleting characters? */
const subsequence = (a: string, b: string): boolean => {
  let i = 0;
  for (const c of a) if (c === b[i]) i++;
  return i === b.length;
};

/**
 * Two 令 numbers name the same order: same serial, and one organ is an abbreviation of the
 * other (国令 ≈ 国务院令 ≈ 中华人民共和国国务院令; 某某市政府令 ≈ 某某市人民政府令): same first
 * character (after 中华人民共和国) and the shorter is a subsequence of the longer.
 */
export function sameOrder(a: Pick<OrderNumber, 'organ' | 'serial'>, b: Pick<OrderNumber, 'organ' | 'serial'>): boolean {
  if (a.serial !== b.serial) return false;
  const x = a.organ.replace(PRC, '') || a.organ;
  const y = b.organ.replace(PRC, '') || b.organ;
  if (x[0] !== y[0]) return false;
  return x.length >= y.length ? subsequence(x, y) : subsequence(y, x);
}

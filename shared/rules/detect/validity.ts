import { foldWide, isoDate, isRealDate, smallNumber, WS, type Span } from './scan.ts';

/**
 * The validity period a normative document states at its end (古县 notice 002 §一(二):
 * 行政规范性文件要在文件正文末尾注明本文有效期限).
 *
 * Statements recognised (whitespace and line breaks allowed anywhere, Arabic or Chinese
 * numerals, full-width digits):
 * - start:  (自|从|于)2022年1月1日起(施行|实施|执行|生效|试行)      → from
 *           自(印发|发布|公布|签发)之日起施行                       → (no date: from stays undefined)
 * - years:  有效期(限)(为|是)5年 / 五年 / 两年 / 十年                 → years
 * - until:  有效期(限)(至|到|截至|截止|截止至|截止到)2026年12月31日(止) → until
 * - range:  有效期(限)(为|自)2022年1月1日(起)(至|到|—|-|~)2026年12月31日(止) → from, until
 *
 * Only statements ABOUT THIS DOCUMENT count: the sentence (up to 。！？) must name the
 * document (本办法, 本规定, 本细则, 本意见, 本通知, 本方案, 本决定, 本文件, 本文, 此件…), or
 * the statement must stand in the last END_ZONE characters of the text (the usual closing
 * "有效期5年。" without subject). So a prose instruction ("在文件正文末尾注明本文有效期限":
 * no period at all) and a licence's term in the middle of a text ("许可证有效期为3年") are
 * not found. When several sentences qualify, the LAST one is returned, merged with the
 * sentence just before it if that one qualifies too ("本办法自2022年1月1日起施行。有效期
 * 5年。"). Dates are not derived: until is given only when stated.
 */
export interface Validity extends Span {
  /** YYYY-MM-DD */
  readonly from?: string;
  /** YYYY-MM-DD */
  readonly until?: string;
  readonly years?: number;
}

/** Characters at the end of a text where a validity statement needs no explicit subject. */
export const END_ZONE = 400;

const NUM = '[〇零一二三四五六七八九O]';
const DATE = `((?:\\d${WS}){4}|(?:${NUM}${WS}){4})年${WS}(\\d{1,2}|[一二三四五六七八九十]{1,3})${WS}月${WS}(\\d{1,2}|[一二三四五六七八九十]{1,3})${WS}日`;
const TERM = `有${WS}效${WS}期(?:${WS}限)?${WS}`;
const START_VERB = `起${WS}(?:施${WS}行|实${WS}施|执${WS}行|生${WS}效|试${WS}行)`;

type Part = { start: number; end: number; from?: string; until?: string; years?: number };

const PATTERNS: ReadonlyArray<{ re: RegExp; read: (m: RegExpExecArray) => Omit<Part, 'start' | 'end'> | undefined }> = [
  {
    // range first: it contains the other shapes
    re: new RegExp(`${TERM}(?:为|是|自|从)?${WS}${DATE}${WS}(?:起${WS})?(?:至|到|—|–|-|~|～)${WS}${DATE}(?:${WS}止)?`, 'g'),
    read: (m) => {
      const from = dateOf(m[1]!, m[2]!, m[3]!);
      const until = dateOf(m[4]!, m[5]!, m[6]!);
      return from && until ? { from, until } : undefined;
    },
  },
  {
    re: new RegExp(`${TERM}(?:至|到|截${WS}至|截${WS}止(?:${WS}[至到])?)${WS}${DATE}(?:${WS}止)?`, 'g'),
    read: (m) => {
      const until = dateOf(m[1]!, m[2]!, m[3]!);
      return until ? { until } : undefined;
    },
  },
  {
    re: new RegExp(`${TERM}(?:为|是)?${WS}(\\d{1,2}|[一二两三四五六七八九十]{1,2})${WS}年`, 'g'),
    read: (m) => {
      const years = smallNumber(m[1]!);
      return years !== undefined && years > 0 && years <= 50 ? { years } : undefined;
    },
  },
  {
    re: new RegExp(`(?:[自从于]${WS})?${DATE}${WS}${START_VERB}`, 'g'),
    read: (m) => {
      const from = dateOf(m[1]!, m[2]!, m[3]!);
      return from ? { from } : undefined;
    },
  },
  {
    re: new RegExp(`[自从]${WS}(?:印${WS}发|发${WS}布|公${WS}布|签${WS}发)${WS}之${WS}日${WS}${START_VERB}`, 'g'),
    read: () => ({}),
  },
];

function dateOf(y: string, m: string, d: string): string | undefined {
  const year = smallNumber(y.replace(/\s/g, ''));
  const month = smallNumber(m);
  const day = smallNumber(d);
  if (year === undefined || month === undefined || day === undefined) return undefined;
  if (year < 1900 || year > 2199 || !isRealDate(year, month, day)) return undefined;
  return isoDate(year, month, day);
}

const SENTENCE_END = /[。！？!?]/;
const SELF = new RegExp(
  `(?:本${WS}(?:实${WS}施${WS})?(?:办${WS}法|规${WS}定|细${WS}则|规${WS}则|意${WS}见|通${WS}知|方${WS}案|决${WS}定|文${WS}件|文|制${WS}度|公${WS}告|通${WS}告|规${WS}划|要${WS}点|指${WS}引|目${WS}录|清${WS}单|标${WS}准)|此${WS}件)`,
  'g',
);

interface Sentence {
  start: number;
  end: number;
  parts: Part[];
}

/** The validity statement of the text, if any (see the module comment). */
export function findValidity(text: string): Validity | undefined {
  const f = foldWide(text);
  // 1. every statement part, longest shapes first, without overlaps
  const parts: Part[] = [];
  for (const p of PATTERNS) {
    for (const m of f.matchAll(p.re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (parts.some((q) => start < q.end && q.start < end)) continue;
      const read = p.read(m);
      if (read) parts.push({ start, end, ...read });
    }
  }
  if (parts.length === 0) return undefined;
  parts.sort((a, b) => a.start - b.start);

  // 2. group them by sentence
  const sentences: Sentence[] = [];
  for (const part of parts) {
    let s = part.start;
    while (s > 0 && !SENTENCE_END.test(f[s - 1]!)) s--;
    let e = part.end;
    while (e < f.length && !SENTENCE_END.test(f[e]!)) e++;
    const last = sentences[sentences.length - 1];
    if (last && last.start === s) last.parts.push(part);
    else sentences.push({ start: s, end: e, parts: [part] });
  }

  // 3. keep those about this document
  const selfAt = (s: Sentence): number | undefined => {
    SELF.lastIndex = s.start;
    const m = SELF.exec(f);
    return m && m.index < s.parts[0]!.start ? m.index : undefined;
  };
  const qualifies = (s: Sentence): boolean => selfAt(s) !== undefined || s.parts[0]!.start >= f.length - END_ZONE;
  let k = sentences.length - 1;
  while (k >= 0 && !qualifies(sentences[k]!)) k--;
  if (k < 0) return undefined;
  const chosen = [sentences[k]!];
  const prev = sentences[k - 1];
  if (prev && qualifies(prev) && /^\s*$/.test(f.slice(prev.end + 1, sentences[k]!.start))) chosen.unshift(prev);

  // 4. the span: from the subject (if close before the first part) to the end of the last part
  const first = chosen[0]!;
  const subject = selfAt(first);
  const firstPart = first.parts[0]!;
  const start = subject !== undefined && firstPart.start - subject <= 24 ? subject : firstPart.start;
  const allParts = chosen.flatMap((s) => s.parts);
  const end = allParts[allParts.length - 1]!.end;
  const from = allParts.find((p) => p.from !== undefined)?.from;
  const until = allParts.find((p) => p.until !== undefined)?.until;
  const years = allParts.find((p) => p.years !== undefined)?.years;
  return {
    start,
    end,
    text: text.slice(start, end),
    ...(from !== undefined ? { from } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(years !== undefined ? { years } : {}),
  };
}

import type { DocumentType } from '#shared/domain/form';
import { findDocumentNumbers, type DocumentNumber } from './document-number.ts';
import { parseMarkerLine } from './markers.ts';
import { compact, compactBefore, foldLookalikes, isSpace, linesOf, WS, type Span } from './scan.ts';

/**
 * 文种 of a title, and the titles a text names.
 *
 * documentTypeOfTitle reads the LAST type word of a title (after removing whitespace — PDF
 * wraps and "通 知"-style letter spacing —, 《》 and quotes, and trailing qualifiers in
 * brackets such as （试行） （征求意见稿） （2021年修订）): 关于印发…方案的通知 is a 通知.
 * The words of 《党政机关公文处理工作条例》 and the normative forms map to their
 * DOCUMENT_TYPES entry (纲要 → 规划, 令 → 命令, 复函 → 函); other administrative document
 * words (细则, 规则, 指引, 指南, 制度, 计划, 预案, 章程, 决议, 公示, 目录, 清单, 标准, 守则,
 * 须知, 规范, 建议) map to 其他. Laws and regulations (…法, …条例), forms (…表) and anything
 * else give undefined. The title alone never says 行政规范性文件: that is the 规 numbering
 * (DocumentNumber.normative) or the declaration.
 */

const TYPE_SUFFIXES: ReadonlyArray<readonly [string, DocumentType]> = (
  [
    ['通知', '通知'],
    ['意见', '意见'],
    ['办法', '办法'],
    ['决定', '决定'],
    ['请示', '请示'],
    ['报告', '报告'],
    ['方案', '方案'],
    ['要点', '要点'],
    ['纪要', '纪要'],
    ['规定', '规定'],
    ['通告', '通告'],
    ['公告', '公告'],
    ['批复', '批复'],
    ['通报', '通报'],
    ['规划', '规划'],
    ['纲要', '规划'],
    ['公报', '公报'],
    ['议案', '议案'],
    ['命令', '命令'],
    ['令', '命令'],
    ['函', '函'],
    ['细则', '其他'],
    ['规则', '其他'],
    ['指引', '其他'],
    ['指南', '其他'],
    ['制度', '其他'],
    ['计划', '其他'],
    ['预案', '其他'],
    ['章程', '其他'],
    ['决议', '其他'],
    ['公示', '其他'],
    ['目录', '其他'],
    ['清单', '其他'],
    ['标准', '其他'],
    ['守则', '其他'],
    ['须知', '其他'],
    ['规范', '其他'],
    ['建议', '其他'],
  ] as const
)
  .slice()
  .sort((a, b) => b[0].length - a[0].length);

// After foldLookalikes every bracket is ( ).
const TRAILING_QUALIFIER = /\([^()]*\)$/;
const EDGE_PUNCTUATION = /^[《〈“"'‘「『\s]+|[》〉”"'’」』\s。．.，,；;：:、]+$/g;

/** The document type a title names, or undefined (see the module comment). */
export function documentTypeOfTitle(title: string): DocumentType | undefined {
  let t = compact(foldLookalikes(title)).replace(EDGE_PUNCTUATION, '');
  for (let i = 0; i < 3 && TRAILING_QUALIFIER.test(t); i++) t = t.replace(TRAILING_QUALIFIER, '').replace(EDGE_PUNCTUATION, '');
  if (t.length < 2) return undefined;
  for (const [suffix, type] of TYPE_SUFFIXES) {
    if (t.endsWith(suffix)) return type;
  }
  return undefined;
}

/**
 * Titles a text names: two sources.
 *
 * - 'quoted': every 《…》 whose title names a 文种 other than 其他 (通知, 意见, 方案,
 *   办法…), or, whatever its last word, that is immediately followed by its document number
 *   (《政府网站发展指引》(国办发〔2017〕47号)). Laws (《政府信息公开条例》, 《档案法》), forms
 *   (《…申报表》), templates and generic document kinds (《办事指南》) are not cited
 *   notices and are not returned, nor are aliases (以下简称《意见》) and bare type words
 *   (《通知》). The span is the title INSIDE the 《》.
 * - 'heading': the document's own title, if recognisable: in the first OWN_TITLE_LINES
 *   non-blank lines, the first run of up to 5 consecutive "title-like" lines (no 。，；：
 *   , ; : ! ?, not a document-number line, not a marker/版头 token line, not a date, not a
 *   letterhead ending in 文件, not 附件…) whose joined text names a 文种 (其他 only with
 *   关于; a line that is only a 《…》 quotation is not a heading). The organ line above 关于… belongs to it (运城市盐湖区人民政府办公室 / 关于印发… /
 *   …的通知). The span runs from the first to the last character of those lines.
 *
 * `title` is the span's text without whitespace (what a person would type).
 */
export interface CitedTitle extends Span {
  readonly title: string;
  readonly documentType: DocumentType;
  readonly source: 'quoted' | 'heading';
}

/** How far down the own title is looked for. */
export const OWN_TITLE_LINES = 15;

const QUOTED = /《([^《》]{1,200})》/g;
const OPEN_BRACKET = /\(/;

function quotedTitles(text: string, f: string, numbers: readonly DocumentNumber[]): CitedTitle[] {
  const numberStarts = new Set(numbers.map((n) => n.start));
  const out: CitedTitle[] = [];
  for (const m of f.matchAll(QUOTED)) {
    let start = m.index + 1;
    let end = m.index + m[0].length - 1;
    while (start < end && isSpace(f[start])) start++;
    while (end > start && isSpace(f[end - 1])) end--;
    if (start === end) continue;
    const title = compact(text.slice(start, end));
    // an alias ("以下简称《通知》") or a bare type word is a reference, not a title
    if (compactBefore(f, m.index, 2) === '简称' || TYPE_SUFFIXES.some(([w]) => w === title)) continue;
    const type = documentTypeOfTitle(title);
    let cited = type !== undefined && type !== '其他';
    if (!cited) {
      // followed by its own number: 《…》(国办发〔2017〕47号) or 《…》国办发〔2017〕47号
      let k = m.index + m[0].length;
      while (k < f.length && isSpace(f[k])) k++;
      if (OPEN_BRACKET.test(f[k] ?? '')) k++;
      while (k < f.length && isSpace(f[k])) k++;
      cited = numberStarts.has(k);
    }
    if (!cited) continue;
    out.push({ start, end, text: text.slice(start, end), title, documentType: type ?? '其他', source: 'quoted' });
  }
  return out;
}

const SENTENCE_PUNCTUATION = /[。，；：,;:!?！？]/;
const DATE_LINE = new RegExp(`^(?:\\d{4}|[〇零一二三四五六七八九O]{4})${WS}年`);

function ownTitle(text: string, f: string, numbers: readonly DocumentNumber[]): CitedTitle | undefined {
  const lines = linesOf(f)
    .filter((l) => l.contentStart < l.contentEnd)
    .slice(0, OWN_TITLE_LINES);
  const titleLike = lines.map((l) => {
    const content = f.slice(l.contentStart, l.contentEnd);
    const c = compact(content);
    if (SENTENCE_PUNCTUATION.test(c)) return false;
    if (DATE_LINE.test(c) || /^附件/.test(c) || /文件$/.test(c) || !/\p{Script=Han}/u.test(c)) return false;
    if (numbers.some((n) => n.start < l.contentEnd && n.end > l.contentStart)) return false;
    if (parseMarkerLine(f, l.contentStart, l.contentEnd) !== undefined) return false;
    return true;
  });
  for (let i = 0; i < lines.length; i++) {
    if (!titleLike[i]) continue;
    let j = i;
    while (j + 1 < lines.length && titleLike[j + 1] && j + 1 - i < 5) j++;
    const first = lines[i]!;
    const last = lines[j]!;
    const title = compact(text.slice(first.contentStart, last.contentEnd));
    const type = documentTypeOfTitle(title);
    const quotation = title.startsWith('《') && title.endsWith('》');
    if (type !== undefined && (type !== '其他' || title.includes('关于')) && title.length >= 5 && !quotation) {
      return {
        start: first.contentStart,
        end: last.contentEnd,
        text: text.slice(first.contentStart, last.contentEnd),
        title,
        documentType: type,
        source: 'heading',
      };
    }
    i = j;
  }
  return undefined;
}

/** The document's own title (if recognisable) and the notices it cites, sorted by position. */
export function findCitedTitles(text: string): CitedTitle[] {
  // Folded as the marker lines it skips are read (parseMarkerLine expects foldLookalikes' text).
  const f = foldLookalikes(text);
  const numbers = findDocumentNumbers(text);
  const own = ownTitle(text, f, numbers);
  const quoted = quotedTitles(text, f, numbers);
  return (own ? [own, ...quoted] : quoted).sort((a, b) => a.start - b.start || b.end - a.end);
}

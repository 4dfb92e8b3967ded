import type { Evidence, Severity } from '#shared/domain/finding';
import { findFirst, squeezeToWords, unsqueeze } from './text.ts';
import { at, type Located, type Rule } from './types.ts';

// ---------------------------------------------------------------------------------------
// INT-1
// ---------------------------------------------------------------------------------------

export const INT_1: Rule = {
  id: 'INT-1',
  title: { zh: '政策性文件须随文提交解读', en: 'A policy document carries its interpretation' },
  source: '000 §二(五)1（谁起草、谁解读；同步起草、同步审签、同步发布；非政策性文件不需解读的，要在文件报审时予以说明）；003 §三(3)3；004 §八',
  severity: 'block',
  needs: 'form',
  check: ({ form }) => {
    const decl = form.interpretation;
    if (form.isPolicy) {
      if (decl?.mode === 'attached') return [];
      return [
        {
          zh:
            decl?.mode === 'not-needed'
              ? '政策性文件必须由起草单位同步起草解读材料，随文件一并报批、同步发布，不能声明“无需解读”。请上传解读材料。'
              : '政策性文件未附解读材料。按照“谁起草、谁解读”的原则，请上传解读材料后再提交。',
          en: 'A policy document must be submitted with its interpretation (drafted by the same unit, approved and published together); upload one.',
          evidence: [{ in: 'form.interpretation' }],
        },
      ];
    }
    if (decl) return [];
    return [
      {
        zh: '未说明是否需要政策解读。非政策性文件请在申报表中声明“无需解读”并写明理由。',
        en: 'The form neither attaches an interpretation nor states that none is needed; for a non-policy document, declare "not needed" with a reason.',
        evidence: [{ in: 'form.interpretation' }],
      },
    ];
  },
};

// ---------------------------------------------------------------------------------------
// INT-2
// ---------------------------------------------------------------------------------------

/**
 * The elements of an interpretation, from 000 §二(五)2 ("解读材料的内容主要包括文件出台的背景依据、
 * 目标任务、主要内容、具体举措、适用对象，以及注意事项、关键词解释、新旧政策差异、解读机关等"),
 * 004 §八 ("政策背景、主要内容、执行标准、惠民利民举措、新旧政策差异以及后续工作考虑") and 002 §一(一)
 * ("突出核心概念、新旧政策差异、惠企利民举措及享受条件"). Each is found by a family of words
 * that headings and sentences use for it; matching ignores line breaks.
 */
export const INTERPRETATION_ELEMENTS = [
  { id: 'background', zh: '背景依据', en: 'background and basis', pattern: /背景|出台依据|制定依据|起草依据|政策依据|法律依据|依据|缘由|出台原因|起草过程/ },
  { id: 'targets', zh: '目标任务', en: 'targets', pattern: /目标|任务|目的/ },
  { id: 'content', zh: '主要内容', en: 'main content', pattern: /主要内容|核心内容|基本内容|重点内容|主要条款|主要规定|共分.{1,4}(章|部分|条)|分为.{1,4}(章|部分)/ },
  { id: 'measures', zh: '具体举措', en: 'measures', pattern: /措施|举措|具体做法|主要做法|执行标准|享受条件|惠企|惠民|利民/ },
  { id: 'audience', zh: '适用对象', en: 'who it applies to', pattern: /适用对象|适用范围|适用于|适用主体|实施对象|服务对象|受益对象|覆盖范围/ },
  { id: 'terms', zh: '关键词解释', en: 'key terms', pattern: /关键词|关键字|名词解释|术语|核心概念|概念解释|词语解释|“[^”]{1,20}”(是)?指/ },
  { id: 'changes', zh: '新旧政策差异', en: 'differences from earlier policy', pattern: /新旧政策|差异|变化|区别|不同之处|与以往|与原|相比|新增|调整了|修订/ },
  { id: 'organ', zh: '解读机关', en: 'the interpreting organ', pattern: /解读(机关|单位|部门|人)|负责解读|解读责任人|起草单位/ },
] as const;

export type InterpretationElement = (typeof INTERPRETATION_ELEMENTS)[number]['id'];

/** Which elements the interpretation covers, with the first words that show each. */
export function interpretationElements(text: string): { found: Map<InterpretationElement, Located>; missing: InterpretationElement[] } {
  const found = new Map<InterpretationElement, Located>();
  const missing: InterpretationElement[] = [];
  for (const e of INTERPRETATION_ELEMENTS) {
    const m = findFirst(text, e.pattern);
    if (m) found.set(e.id, m);
    else missing.push(e.id);
  }
  return { found, missing };
}

const elementOf = (id: InterpretationElement) => INTERPRETATION_ELEMENTS.find((e) => e.id === id)!;

export const INT_2: Rule = {
  id: 'INT-2',
  title: { zh: '解读材料要素齐全', en: 'The interpretation covers the required elements' },
  source: '000 §二(五)2（背景依据、目标任务、主要内容、具体举措、适用对象，以及注意事项、关键词解释、新旧政策差异、解读机关等）；004 §八',
  severity: 'warn',
  needs: 'text',
  check: ({ interpretation }) => {
    if (!interpretation) return [];
    const { found, missing } = interpretationElements(interpretation.text);
    if (missing.length === 0) return [];
    return [
      {
        zh: `解读材料缺少以下要素：${missing.map((m) => elementOf(m).zh).join('、')}。请补充（要素依次为：背景依据、目标任务、主要内容、具体举措、适用对象、关键词解释、新旧政策差异、解读机关）。`,
        en: `The interpretation lacks: ${missing.map((m) => elementOf(m).en).join(', ')}. Add them.`,
        evidence: [...found.values()].map((s) => at('interpretation', s)),
      },
    ];
  },
};

// ---------------------------------------------------------------------------------------
// INT-3
// ---------------------------------------------------------------------------------------

/**
 * How much of the interpretation is copied from the document: the share of the
 * interpretation's letters and digits (punctuation and whitespace ignored, so re-wrapping
 * or re-punctuating a pasted paragraph changes nothing) that lie in a run of at least
 * COPY_NGRAM characters also found in the document.
 *
 * Why 13 characters: a Chinese clause. Shorter shared runs are the common vocabulary of
 * every text on the subject ("政务公开事项标准目录" 10, "政府信息公开条例" 8, "谁起草、谁解读"
 * 6): an interpretation must be able to use them. Runs of 13 and more are copied clauses,
 * titles and lists.
 */
export const COPY_NGRAM = 13;

/**
 * Thresholds. Measured on the corpus (13-grams, cited titles left out): the sample
 * interpretation of 004 (infra/local/samples/004-interpretation.txt, written with the eight
 * headings the notices ask for) scores 12%: it repeats the document's target sentence and
 * the statutory list of catalogue elements (名称、内容、依据、时限…), as an honest
 * interpretation does. The sample followed by as much pasted body text (55% of the
 * characters pasted) scores 63%; a paste of the body scores 100%.
 *
 * - Blocking at 70%: less than 30% of the interpretation is then the unit's own words, i.e.
 *   fewer than one sentence in three explains anything; that is what 002 §一(一) forbids:
 *   "解读材料不能停留在粘原文的层面，要突出核心概念、新旧政策差异、惠企利民举措及享受条件等实质性内容".
 *   A draft is stopped only when it is mostly the document itself; an interpretation that is
 *   half the unit's own explanation (63%) is not stopped but warned.
 * - Warning from 40%: more than three times the quoting of the sample, so honest quotation
 *   of a target or a list is not flagged, and the drafter hears about a half-paste before
 *   an approver does.
 */
export const COPY_BLOCK_SHARE = 0.7;
export const COPY_WARN_SHARE = 0.4;

export interface CopyMeasure {
  /** Share of the interpretation's letters and digits in runs copied from the document (0..1). */
  readonly share: number;
  /** Letters and digits compared (cited titles left out). */
  readonly length: number;
  /** The copied runs, longest first, as offsets in the interpretation text. */
  readonly runs: readonly Located[];
}

/**
 * Any title in 《》, laws included (the detectors' findCitedTitles keeps only notices that
 * name a 文种; here every cited name is a reference, 《中华人民共和国政府信息公开条例》 too).
 */
const CITED_TITLE = /《[^《》]{1,200}》/g;

/**
 * Measures how much of `interpretation` is copied from `document` (see COPY_NGRAM). Titles
 * cited in 《》 are left out of the measure (numerator and denominator): naming the document
 * and the documents it implements is a reference, not a paste, and titles are long enough
 * (30 characters and more) to dominate the share of a short interpretation. Pure.
 */
export function copiedShare(interpretation: string, document: string, n = COPY_NGRAM): CopyMeasure {
  const i = squeezeToWords(interpretation);
  const d = squeezeToWords(document).text;
  const titles = [...interpretation.matchAll(CITED_TITLE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const excluded = i.map.map((offset) => titles.some((t) => offset >= t.start && offset < t.end));
  const grams = new Set<string>();
  for (let k = 0; k + n <= d.length; k++) grams.add(d.slice(k, k + n));
  const covered = new Uint8Array(i.text.length);
  let nextExcluded = -1; // first excluded index at or after k (windows may not span a title)
  for (let k = 0; k + n <= i.text.length; k++) {
    if (nextExcluded < k) {
      nextExcluded = k;
      while (nextExcluded < excluded.length && !excluded[nextExcluded]) nextExcluded++;
    }
    if (nextExcluded < k + n) continue;
    if (grams.has(i.text.slice(k, k + n))) covered.fill(1, k, k + n);
  }
  const runs: Located[] = [];
  let count = 0;
  for (let k = 0; k < covered.length;) {
    if (!covered[k]) {
      k++;
      continue;
    }
    let e = k;
    while (e < covered.length && covered[e]) e++;
    count += e - k;
    runs.push(unsqueeze(interpretation, i, k, e));
    k = e;
  }
  runs.sort((a, b) => b.text.length - a.text.length);
  const length = excluded.filter((x) => !x).length;
  return { share: length ? count / length : 0, length, runs };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * Evidence: the beginning (EVIDENCE_CHARS characters) of each of the EVIDENCE_RUNS longest
 * copied runs. A whole pasted document would otherwise be stored in the finding (and in the
 * draft record, which has a size limit); the share in the message says how much there is.
 */
const EVIDENCE_RUNS = 3;
const EVIDENCE_CHARS = 80;
const head = (text: string, r: Located): Located =>
  r.end - r.start <= EVIDENCE_CHARS ? r : { start: r.start, end: r.start + EVIDENCE_CHARS, text: text.slice(r.start, r.start + EVIDENCE_CHARS) };

export const INT_3: Rule = {
  id: 'INT-3',
  title: { zh: '解读材料不能照搬原文', en: 'The interpretation is not a paste of the document' },
  source: '002 §一(一)（解读材料不能停留在粘原文的层面，要突出核心概念、新旧政策差异、惠企利民举措及享受条件等实质性内容）',
  severity: 'block',
  needs: 'text',
  check: ({ document, interpretation }) => {
    if (!document || !interpretation) return [];
    const m = copiedShare(interpretation.text, document.text);
    const severity: Severity = m.share >= COPY_BLOCK_SHARE ? 'block' : m.share >= COPY_WARN_SHARE ? 'warn' : 'info';
    const evidence: Evidence[] = m.runs.length ? m.runs.slice(0, EVIDENCE_RUNS).map((r) => at('interpretation', head(interpretation.text, r))) : [{ in: 'interpretation' }];
    const measured = `解读材料中与原文连续${COPY_NGRAM}字以上相同的文字占 ${pct(m.share)}`;
    const enMeasured = `${pct(m.share)} of the interpretation repeats the document in runs of ${COPY_NGRAM} or more characters`;
    if (severity === 'block')
      return [
        {
          severity,
          zh: `${measured}，达到 ${pct(COPY_BLOCK_SHARE)} 的上限：解读材料不能停留在粘原文的层面。请用自己的话重写，突出核心概念、新旧政策差异、惠企利民举措及享受条件等实质性内容。`,
          en: `${enMeasured}, at or above the ${pct(COPY_BLOCK_SHARE)} limit: an interpretation must not be a paste of the document. Rewrite it in your own words: key concepts, what changed, measures and who qualifies.`,
          evidence,
        },
      ];
    if (severity === 'warn')
      return [
        {
          severity,
          zh: `${measured}（${pct(COPY_WARN_SHARE)} 起提示，${pct(COPY_BLOCK_SHARE)} 起不予通过）。请减少照搬原文，多用解释、案例、数据和问答说明政策。`,
          en: `${enMeasured} (warned from ${pct(COPY_WARN_SHARE)}, blocked from ${pct(COPY_BLOCK_SHARE)}); quote less and explain more, with examples, figures and questions and answers.`,
          evidence,
        },
      ];
    return [
      {
        severity,
        zh: `${measured}（${pct(COPY_WARN_SHARE)} 起提示，${pct(COPY_BLOCK_SHARE)} 起不予通过）。`,
        en: `${enMeasured} (warned from ${pct(COPY_WARN_SHARE)}, blocked from ${pct(COPY_BLOCK_SHARE)}).`,
        evidence,
      },
    ];
  },
};

// ---------------------------------------------------------------------------------------
// INT-4
// ---------------------------------------------------------------------------------------

/**
 * 000 §二(五)2: "鼓励采用图片、图表、图解、动漫、音频、视频等多样化方式解读……各单位多样化方式
 * 解读量2020年不得少于70%，自2021年起不得少于90%". Text, and questions and answers (a way of
 * writing a text interpretation: "以文字形式进行解读的，应当采用案例、数据、问答等方式"), are not
 * diversified; '其他' is not counted, since nothing says what it is.
 */
export const DIVERSIFIED_FORMATS: ReadonlySet<string> = new Set(['图片', '图表', '图解', '动漫', '音频', '视频']);
export const DIVERSIFIED_TARGET = 0.9;
/** The 2020 target was 70%; from 2021 on it is 90%. */
export const diversifiedTarget = (year: number): number => (year <= 2020 ? 0.7 : DIVERSIFIED_TARGET);

export const isDiversified = (format: string): boolean => DIVERSIFIED_FORMATS.has(format);

/** Share (0..1) of interpretations in a diversified format; 0 when there are none. */
export function diversifiedShare(formats: readonly string[]): number {
  if (formats.length === 0) return 0;
  return formats.filter(isDiversified).length / formats.length;
}

export const INT_4: Rule = {
  id: 'INT-4',
  title: { zh: '记录解读形式（多样化解读比例）', en: 'The interpretation format is recorded for the diversified-share report' },
  source: '000 §二(五)2（多样化方式解读量自2021年起不得少于90%）；003 §三(3)3；004 §八',
  severity: 'info',
  needs: 'text',
  check: ({ form, interpretation }) => {
    const decl = form.interpretation;
    if (!interpretation || decl?.mode !== 'attached') return [];
    const diversified = isDiversified(decl.format);
    return [
      {
        zh: diversified
          ? `已记录解读形式：${decl.format}（多样化方式，计入多样化解读比例）。`
          : `已记录解读形式：${decl.format}（不计入多样化解读比例；多样化方式解读量自2021年起不得少于90%，鼓励同时制作图解、图表、音频、视频等；以文字解读的，应采用案例、数据、问答等方式）。`,
        en: diversified
          ? 'Interpretation format recorded; it counts as diversified.'
          : 'Interpretation format recorded; it does not count as diversified (target 90% from 2021): consider a graphic, chart, audio or video version as well.',
        evidence: [{ in: 'form.interpretation', text: decl.format }],
      },
    ];
  },
};

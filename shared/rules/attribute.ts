import type { Attribute, DeclarationForm, DocumentType } from '#shared/domain/form';
import { isNonPublic } from '#shared/domain/form';
import type { Evidence } from '#shared/domain/finding';
import {
  documentTypeOfTitle,
  findDocumentNumbers,
  findMarkers,
  findOrderNumbers,
  findPossibleSecrecyMarks,
  sameOrder,
  findValidity,
  type DocumentNumber,
  type Marker,
  type MarkerKind,
  type Validity,
} from '#shared/rules/detect/index';
import { compactText } from '#shared/extract/normalise';
import { foldLookalikes } from '#shared/rules/detect/scan';
import { citeGrounds, GROUNDS_LIST_ZH, STATE_SECRET_WORDS, VAGUE_REASONS, vaguePhrases } from './grounds.ts';
import { at, type Rule, type RuleFinding } from './types.ts';

/** The attributes in English, for the glosses (ASCII only). */
export const ATTRIBUTE_EN: Record<Attribute, string> = {
  主动公开: 'proactive disclosure',
  依申请公开: 'disclosure on application',
  不予公开: 'non-disclosure',
};

// ---------------------------------------------------------------------------------------
// ATTR-1
// ---------------------------------------------------------------------------------------

export const ATTR_1: Rule = {
  id: 'ATTR-1',
  title: { zh: '必须明确唯一的公开属性', en: 'Exactly one disclosure attribute is declared' },
  source: '000 §二(三)1（无明确公开属性建议……不予发文）；002 §一(一)；003 §三(3)1',
  severity: 'block',
  needs: 'form',
  check: ({ form }) =>
    form.attribute
      ? []
      : [
          {
            zh: '未明确公开属性，不予发文。请在申报表中选择“主动公开”“依申请公开”或“不予公开”之一。',
            en: 'No disclosure attribute declared; a draft without one is not issued. Choose proactive disclosure, disclosure on application or non-disclosure.',
            evidence: [{ in: 'form.attribute' }],
          },
        ],
};

// ---------------------------------------------------------------------------------------
// ATTR-2
// ---------------------------------------------------------------------------------------

const GROUNDS_EN = 'Art. 14, 15 or 16 of the Regulations on Open Government Information, or a named law and its article';

export const ATTR_2: Rule = {
  id: 'ATTR-2',
  title: { zh: '不主动公开须说明理由和依据', en: 'A non-public attribute needs a reason and a legal basis' },
  source:
    '000 §二(三)1（未说明不主动公开依据和理由的，不予发文）；002 §一(一)（没有明确依据和理由的，不得将文件属性认定为“不予公开”或“依申请公开”）；003 §三(3)1；条例第十四至十六条',
  severity: 'block',
  needs: 'form',
  check: ({ form }) => {
    if (!isNonPublic(form.attribute)) return [];
    const attribute = form.attribute!;
    const out: RuleFinding[] = [];
    const reason = (form.nonPublicReason ?? '').trim();
    const basis = (form.legalBasis ?? '').trim();
    const stripped = VAGUE_REASONS.reduce((s, v) => s.replaceAll(v, ''), reason).replace(/[\s，。、；,.;：:！!]/g, '');
    if (reason === '') {
      out.push({
        zh: `公开属性为“${attribute}”，但未说明理由。请写明不主动公开的具体理由（涉及哪类信息、公开会造成什么后果）。`,
        en: `Declared ${ATTRIBUTE_EN[attribute]} without a reason; state the concrete reason for not disclosing proactively.`,
        evidence: [{ in: 'form.nonPublicReason' }],
      });
    } else if (stripped.length < 6) {
      const vague = vaguePhrases(reason);
      out.push({
        zh: `理由“${reason}”过于笼统，不能作为不主动公开的理由。请具体说明涉及哪类信息、为何不能主动公开，并对应以下依据之一：${GROUNDS_LIST_ZH}。`,
        en: `The reason given is too vague to justify non-disclosure; say what information is involved and which ground applies: ${GROUNDS_EN}.`,
        evidence: vague.length ? vague.map((v) => at('form.nonPublicReason', v)) : [{ in: 'form.nonPublicReason', text: reason }],
      });
    }
    const cites = citeGrounds(basis);
    const grounds = cites.flatMap((c) => (c.kind === 'ground' ? [c] : []));
    if (grounds.length === 0) {
      const other = cites.find((c) => c.kind === 'other-article');
      const bare = cites.find((c) => c.kind === 'law-without-article');
      const why =
        basis === ''
          ? '未写明法律依据。'
          : other
            ? `所引“${other.span.text}”不是不予公开的依据（《政府信息公开条例》第十四至十六条规定不予公开的情形，第十九至二十一条规定的是应当主动公开的信息）。`
            : bare
              ? `所引${bare.span.text}未写明条款。`
              : `依据“${basis}”不明确。`;
      out.push({
        zh: `${why}请引用以下依据之一并写明条款：${GROUNDS_LIST_ZH}。`,
        en: `No recognisable legal basis; cite ${GROUNDS_EN}.`,
        evidence: [other ? at('form.legalBasis', other.span) : bare ? at('form.legalBasis', bare.span) : { in: 'form.legalBasis', ...(basis ? { text: basis } : {}) }],
      });
    } else if (attribute === '依申请公开') {
      const secret = grounds.find((g) => g.ground.neverOnApplication);
      const secretWords = STATE_SECRET_WORDS.exec(reason);
      if (secret || secretWords) {
        out.push({
          zh: '依据第十四条（国家秘密、法律行政法规禁止公开等）或《保守国家秘密法》不予公开的信息，不能定为“依申请公开”。请改为“不予公开”，涉及国家秘密的按保密规定处理。',
          en: 'Information withheld under Art. 14 (state secrets, disclosure forbidden by law) or the Law on Guarding State Secrets cannot be disclosed on application; declare non-disclosure.',
          evidence: secret
            ? [at('form.legalBasis', secret.span)]
            : [{ in: 'form.nonPublicReason', text: secretWords![0], start: secretWords!.index, end: secretWords!.index + secretWords![0].length }],
        });
      }
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------
// ATTR-3
// ---------------------------------------------------------------------------------------

/**
 * 000 §二(三)1: "对拟定为依申请公开或不予公开的政策性文件，要依法依规说明理由，于报批前送区政府办
 * 信息中心备案。" True when the draft must be filed with the information centre before approval.
 */
export const needsInfocenterFiling = (form: Pick<DeclarationForm, 'isPolicy' | 'attribute'>): boolean => form.isPolicy && isNonPublic(form.attribute);

export const ATTR_3: Rule = {
  id: 'ATTR-3',
  title: { zh: '不主动公开的政策性文件报批前送信息中心备案', en: 'A non-public policy document is filed with the information centre before approval' },
  source: '000 §二(三)1（于报批前送区政府办信息中心备案）',
  severity: 'info',
  needs: 'form',
  check: ({ form }) =>
    needsInfocenterFiling(form)
      ? [
          {
            zh: `政策性文件拟定为“${form.attribute}”，须于报批前连同理由送政府办信息中心备案。本系统已记录备案要求，信息中心可在审批前查看。`,
            en: `A policy document declared ${ATTRIBUTE_EN[form.attribute!]} is filed, with its reason, with the information centre before approval; the filing is recorded for that role.`,
            evidence: [
              { in: 'form.attribute', text: form.attribute! },
              { in: 'form.isPolicy', text: 'true' },
            ],
          },
        ]
      : [],
};

// ---------------------------------------------------------------------------------------
// ATTR-4
// ---------------------------------------------------------------------------------------

const ATTRIBUTE_MARKERS: readonly MarkerKind[] = ['public-release', 'proactive', 'on-application', 'not-public', 'internal', 'keep-safe'];

const MARKER_EN: Record<MarkerKind, string> = {
  'public-release': 'the marker "this document is released publicly"',
  proactive: 'the marker "this document is disclosed proactively"',
  'on-application': 'a "disclosed on application" marker',
  'not-public': 'a "not to be disclosed" marker',
  internal: 'an "internal material" marker',
  'keep-safe': 'a "keep safe" marker',
  'top-secret': 'a top-secret mark',
  confidential: 'a confidential mark',
  secret: 'a secret mark',
};

/** Which declared attributes each marker contradicts, and what to change. */
function contradiction(kind: MarkerKind, attribute: Attribute): { zh: string; en: string } | undefined {
  const pub = kind === 'public-release' || kind === 'proactive';
  if (pub && isNonPublic(attribute))
    return {
      zh: `请删除该标注，或将公开属性改为“主动公开”。标注“公开发布/主动公开”的文件不能按“${attribute}”处理。`,
      en: `Remove the marker, or declare proactive disclosure; a document marked for publication cannot be handled as ${ATTRIBUTE_EN[attribute]}.`,
    };
  if ((kind === 'on-application' && attribute !== '依申请公开') || (kind === 'not-public' && attribute !== '不予公开'))
    return {
      zh: `请使正文标注与申报一致：删除或改正该标注，或将公开属性改为“${kind === 'on-application' ? '依申请公开' : '不予公开'}”（须说明理由和依据）。`,
      en: `Make the marker and the declaration agree: remove or correct the marker, or declare ${kind === 'on-application' ? 'disclosure on application' : 'non-disclosure'} (with a reason and a legal basis).`,
    };
  if ((kind === 'internal' || kind === 'keep-safe') && attribute === '主动公开')
    return {
      zh: '标注“内部资料”“注意保存”的文件不公开发布。如文件确应主动公开，请删除该标注；否则请改为“依申请公开”或“不予公开”并说明理由和依据。',
      en: 'A document marked internal or keep-safe is never published: remove the marker if it really is for proactive disclosure, otherwise declare disclosure on application or non-disclosure with a reason and a legal basis.',
    };
  return undefined;
}

const groupBy = <T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> => {
  const m = new Map<K, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
};

/**
 * The document's own number: a number standing alone on one of the first lines (the header
 * of a 公文), as opposed to the numbers of documents it cites. 001 has none of its own. A
 * number wrapped inside its organ ("国⏎办发〔1997〕11号") stands alone on the lines it spans.
 */
export function ownDocumentNumber(text: string): DocumentNumber | undefined {
  const HEADER_LINES = 15;
  const lines: { start: number; end: number }[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    if (lines.length >= HEADER_LINES) break;
    lines.push({ start, end: start + line.length });
    start += line.length + 1;
  }
  return findDocumentNumbers(text).find((n) => {
    const first = lines.find((l) => n.start >= l.start && n.start <= l.end);
    const last = lines.find((l) => n.end >= l.start && n.end <= l.end);
    if (!first || !last) return false;
    // Brackets around it (（运政办发〔2020〕2号）, however written: folded to ( )) are not other text.
    const rest = foldLookalikes(text.slice(first.start, n.start) + text.slice(n.end, last.end)).replace(/[\s()]/g, '');
    return rest.length <= 2;
  });
}

/**
 * The declared 发文字号, parsed. The form field is typed by a person (or pasted from a PDF):
 * it is compacted first (full-width digits folded, spaces removed), as the texts are.
 */
export const parseDeclaredNumber = (declared: string): DocumentNumber | undefined => findDocumentNumbers(compactText(declared))[0];

function markerFindings(markers: readonly Marker[], attribute: Attribute): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const [kind, ms] of groupBy(
    markers.filter((m) => ATTRIBUTE_MARKERS.includes(m.kind)),
    (m) => m.kind,
  )) {
    const fix = contradiction(kind, attribute);
    if (!fix) continue;
    out.push({
      zh: `正文标注“${ms[0]!.text}”，与申报的公开属性“${attribute}”不一致。${fix.zh}`,
      en: `The text carries ${MARKER_EN[kind]}, which contradicts the declared ${ATTRIBUTE_EN[attribute]}. ${fix.en}`,
      evidence: [{ in: 'form.attribute', text: attribute }, ...ms.map((m) => at('document', m))],
    });
  }
  return out;
}

function numberFindings(form: DeclarationForm, text: string): RuleFinding[] {
  const declared = form.documentNumber?.trim();
  const own = ownDocumentNumber(text);
  if (!declared) {
    return own
      ? [
          {
            severity: 'warn',
            zh: `正文的发文字号为“${own.canonical}”，申报表未填写发文字号。请在申报表中补填。`,
            en: 'The text carries a document number but the form gives none; add it to the form.',
            evidence: [{ in: 'form.documentNumber' }, at('document', own)],
          },
        ]
      : [];
  }
  const parsed = parseDeclaredNumber(declared);
  if (!parsed) {
    // 令 numbering (国令第707号, 某某市人民政府令第3号): a standard form, with no year.
    const order = findOrderNumbers(compactText(declared))[0];
    if (order) {
      if (findOrderNumbers(text).some((n) => sameOrder(n, order))) return [];
      return [
        {
          severity: 'warn',
          zh: `申报表的令号“${order.canonical}”未出现在正文中。请核对令号；如正文尚未编号，请在印发前补上。`,
          en: 'The declared order number does not occur in the text; check it, and number the text before it is issued.',
          evidence: [{ in: 'form.documentNumber', text: declared }],
        },
      ];
    }
  }
  if (!parsed)
    return [
      {
        severity: 'warn',
        zh: `申报表的发文字号“${declared}”不是规范格式。发文字号由发文机关代字、年份（用六角括号“〔〕”）和序号组成，如“运盐政办发〔2020〕60号”；规章和命令用令号，如“某某市人民政府令第3号”。请改正。`,
        en: 'The declared document number is not in the standard form (organ abbreviation, year in hexagonal brackets, serial), e.g. "Yun Yan Zheng Ban Fa [2020] No. 60", or an order number such as "Order of the X Municipal Government No. 3"; correct it.',
        evidence: [{ in: 'form.documentNumber', text: declared }],
      },
    ];
  const out: RuleFinding[] = [];
  const inText = findDocumentNumbers(text);
  if (!inText.some((n) => n.canonical === parsed.canonical)) {
    out.push({
      severity: 'warn',
      zh: own
        ? `申报表的发文字号“${parsed.canonical}”与正文的发文字号“${own.canonical}”不一致。请核对后改正其中之一。`
        : `申报表的发文字号“${parsed.canonical}”未出现在正文中。请核对文号；如正文尚未编号，请在印发前补上。`,
      en: own
        ? 'The declared document number differs from the number in the text; check and correct one of them.'
        : 'The declared document number does not occur in the text; check it, and number the text before it is issued.',
      evidence: [{ in: 'form.documentNumber', text: declared }, ...(own ? [at('document', own)] : [])],
    });
  }
  const year = Number(form.documentDate.slice(0, 4));
  if (parsed.year !== year) {
    out.push({
      severity: 'warn',
      zh: `发文字号的年份〔${parsed.year}〕与成文日期 ${form.documentDate} 的年份不一致。请核对文号或成文日期。`,
      en: 'The year in the document number differs from the year of the document date; check one of them.',
      evidence: [
        { in: 'form.documentNumber', text: declared },
        { in: 'form.documentDate', text: form.documentDate },
      ],
    });
  }
  return out;
}

export const ATTR_4: Rule = {
  id: 'ATTR-4',
  title: { zh: '正文标注与申报一致', en: 'Markers in the text agree with the declaration' },
  source: '000 §二(三)1；001（此件公开发布）；002（此件公开发布）；003（此件主动公开）；004（此件主动公开）',
  severity: 'block',
  needs: 'text',
  check: ({ form, document }) => {
    if (!document) return [];
    return [...(form.attribute ? markerFindings(findMarkers(document.text), form.attribute) : []), ...numberFindings(form, document.text)];
  },
};

// ---------------------------------------------------------------------------------------
// ATTR-5
// ---------------------------------------------------------------------------------------

const SECRECY_KINDS: readonly MarkerKind[] = ['top-secret', 'confidential', 'secret'];

export const ATTR_5: Rule = {
  id: 'ATTR-5',
  title: { zh: '涉密文件不经本系统公开，移交保密机关', en: 'Classified documents are never published here; they go to the secrecy authority' },
  source: '000 §二(三)1（确需不予公开的，经保密机关视情转为涉密文件处理；存在既不确定密级也不确定公开属性现象的，发现一起通报一起）；《保守国家秘密法》',
  severity: 'block',
  needs: 'form',
  check: ({ form, document }) => {
    const out: RuleFinding[] = [];
    const declared = form.secrecyLevel && form.secrecyLevel !== 'none' ? form.secrecyLevel : undefined;
    const markers = document ? findMarkers(document.text) : [];
    const marks = markers.filter((m) => SECRECY_KINDS.includes(m.kind));
    if (declared || marks.length) {
      const shown = marks[0] ? `正文标有密级“${marks[0].text}”${marks[0].secrecyPeriod ? `（保密期限${marks[0].secrecyPeriod}）` : ''}` : `申报表填写密级为“${declared}”`;
      const contradicts = form.secrecyLevel === 'none' && marks.length ? '，与申报表填写的“非涉密”不一致' : '';
      out.push({
        zh: `${shown}${contradicts}。涉密文件不得通过本系统报批和公开发布，请按《保守国家秘密法》和保密规定交保密机关（保密工作部门）处理；如文件不涉密，请删除密级标志并在申报表中填写“非涉密”。`,
        en: 'The document is classified (a secrecy mark in the text or a declared secrecy level); classified documents are never approved or published through this system: route it to the secrecy authority. If it is not classified, remove the mark and declare none.',
        evidence: [...(declared ? [{ in: 'form.secrecyLevel', text: declared }] : []), ...marks.map((m) => at('document', m))],
      });
      return out;
    }
    // What may be a mark but is not read as one: a warning for the approver, never a silent pass.
    const possible = document ? findPossibleSecrecyMarks(document.text) : [];
    if (possible.length > 0) {
      out.push({
        severity: 'warn',
        zh: `正文中“${possible[0]!.text}”可能是密级标志${possible.length > 1 ? `（共 ${possible.length} 处）` : ''}。请核实：如文件涉密，不得通过本系统报批和公开，请交保密机关处理；如只是文字表述，审批人确认后可忽略本提示。`,
        en: 'The text contains what may be a secrecy mark; check it. A classified document is never approved or published here (route it to the secrecy authority); if it is only wording, the approver may dismiss this warning.',
        evidence: possible.map((m) => at('document', m)),
      });
    }
    // 000: "存在既不确定密级也不确定公开属性现象的，发现一起通报一起". The attribute is determined on
    // the declaration form (000: 明确拟发文件的…属性，随公文一并报批), not necessarily by a marker in
    // the text: 000 itself carries no marker, and a draft with a declared attribute and no
    // mark has settled both questions (no mark = not classified). Only a draft whose form
    // has no attribute and whose text has neither a secrecy mark nor an attribute marker is
    // undetermined on both counts. ATTR-1 already blocks it; this warn is the report
    // (通报) the notice asks for, so the workflow can count and notify these cases.
    if (document && !form.attribute && form.secrecyLevel === undefined && !markers.some((m) => ATTRIBUTE_MARKERS.includes(m.kind))) {
      out.push({
        severity: 'warn',
        zh: '本文件既未确定密级，也未确定公开属性（申报表和正文均无标注），按规定予以通报。请在申报表中明确公开属性，并填写密级（非涉密填“非涉密”）。',
        en: 'Neither the secrecy level nor the disclosure attribute is determined (nothing on the form or in the text); this is reported. Declare the attribute and the secrecy level (none if not classified).',
        evidence: [{ in: 'form.attribute' }, { in: 'form.secrecyLevel' }, { in: 'document' }],
      });
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------
// ATTR-6
// ---------------------------------------------------------------------------------------

/** Reports that must be published (条例 Art. 49-50; 政府工作报告): not the internal 报告 ATTR-6 warns about. */
const PUBLIC_REPORTS = /政府信息公开工作年度报告|政府工作报告|年度报告|统计公报/;

/** Whether a draft is a 行政规范性文件, and what says so. */
export function normativeEvidence(form: DeclarationForm, text?: string): Evidence[] {
  const out: Evidence[] = [];
  if (form.documentType === '行政规范性文件') out.push({ in: 'form.documentType', text: form.documentType });
  const declared = form.documentNumber ? parseDeclaredNumber(form.documentNumber) : undefined;
  if (declared?.normative) out.push({ in: 'form.documentNumber', text: form.documentNumber! });
  const own = text !== undefined ? ownDocumentNumber(text) : undefined;
  if (own?.normative) out.push(at('document', own));
  return out;
}

const sameValidity = (declared: NonNullable<DeclarationForm['validity']>, found: Validity): boolean =>
  (declared.from === undefined || found.from === undefined || declared.from === found.from) &&
  (declared.until === undefined || found.until === undefined || declared.until === found.until) &&
  (declared.years === undefined || found.years === undefined || declared.years === found.years);

export const ATTR_6: Rule = {
  id: 'ATTR-6',
  title: { zh: '文种与公开属性相符', en: 'Document type and attribute agree' },
  source: '002 §一(一)（审查发文文种）、§一(二)（行政规范性文件要在文件正文末尾注明本文有效期限）；条例第二十条第（一）项、第十六条',
  severity: 'warn',
  needs: 'form',
  check: ({ form, document }) => {
    const out: RuleFinding[] = [];
    const titleType: DocumentType | undefined = documentTypeOfTitle(form.title);
    // 其他 from a title (细则, 指南, 计划…) names no type of the list: nothing to compare.
    if (titleType && titleType !== '其他' && form.documentType !== '行政规范性文件' && titleType !== form.documentType) {
      out.push({
        zh: `标题表明文种为“${titleType}”，申报表填写为“${form.documentType}”。请规范使用发文文种，使申报表与标题一致。`,
        en: 'The type named by the title differs from the declared document type; make them agree.',
        evidence: [
          { in: 'form.title', text: form.title },
          { in: 'form.documentType', text: form.documentType },
        ],
      });
    }
    const type = [form.documentType, titleType].find((t) => t === '请示' || t === '报告');
    if (type && form.attribute === '主动公开' && !PUBLIC_REPORTS.test(form.title)) {
      out.push({
        zh: `“${type}”是向上级机关行文，通常属于过程性信息（条例第十六条：请示报告等过程性信息可以不予公开），一般不主动公开。请确认公开属性；如确应主动公开，可忽略本提示。`,
        en: 'Requests and reports to a higher authority are usually process information (Art. 16) and not disclosed proactively; confirm the attribute.',
        evidence: [
          { in: 'form.documentType', text: form.documentType },
          { in: 'form.attribute', text: form.attribute! },
        ],
      });
    }
    const normative = normativeEvidence(form, document?.text);
    if (normative.length === 0) return out;
    if (isNonPublic(form.attribute)) {
      out.push({
        zh: `行政规范性文件属于应当主动公开的政府信息（条例第二十条第（一）项：行政法规、规章和规范性文件），不应定为“${form.attribute}”。请改为“主动公开”。`,
        en: 'Normative documents must be disclosed proactively (Art. 20 (1) of the Regulations); declare proactive disclosure.',
        evidence: [{ in: 'form.attribute', text: form.attribute! }, ...normative],
      });
    }
    if (document) {
      const found = findValidity(document.text);
      if (!found) {
        out.push({
          zh: '行政规范性文件要在文件正文末尾注明本文有效期限（如“本办法自2022年7月1日起施行，有效期5年”）。请在正文末尾补充有效期。',
          en: 'A normative document states its period of validity at the end of the text; add it.',
          evidence: [...normative, { in: 'document' }],
        });
      } else if (form.validity && !sameValidity(form.validity, found)) {
        out.push({
          zh: `申报表填写的有效期与正文“${found.text}”不一致。请核对后改正其中之一。`,
          en: 'The validity period on the form differs from the one stated in the text; correct one of them.',
          evidence: [{ in: 'form.validity' }, at('document', found)],
        });
      }
    }
    return out;
  },
};

import type { Severity } from '#shared/domain/finding';
import { findPersonalData, type PersonalData, type PersonalDataKind } from '#shared/rules/detect/index';
import { recordNamesAndAddresses } from './person-record.ts';
import { at, type Rule, type RuleFinding } from './types.ts';

/**
 * PUB-4, the detection half: personal information in a text that will be published.
 * 002 §二(五): "严格落实《个人信息保护法》，对行政违法行为的曝光，除法律有特别规定外，不得曝光敏感
 * 个人信息。属法定公开事项或依法确有必要公开的，应做去标识化处理（包括私家车牌号）"; 条例 Art. 15
 * (个人隐私). The site issue masks what the detectors find; this rule tells the drafter first.
 *
 * What is masked. ID numbers, bank cards, mobile numbers (real-name registered, so they
 * identify a person) and vehicle plates (002 names 私家车牌号) are personal: masked on
 * publication. Landline numbers and e-mail addresses in a government document are almost
 * always the office's own contact details, which must be published (003 §三(3)4 requires
 * 投诉电话、咨询电话 in every 办事指南): they are recorded (info), not masked, and the drafter is
 * asked to remove a private one. `mask` is the policy the publishing stage applies; a
 * landline or e-mail in a private person's record is masked with it (spansToMask).
 */
export const PERSONAL_DATA_POLICY: Record<PersonalDataKind, { readonly zh: string; readonly en: string; readonly mask: boolean; readonly severity: Severity }> = {
  'resident-id': { zh: '居民身份证号码', en: 'resident ID number', mask: true, severity: 'warn' },
  'bank-card': { zh: '银行卡号', en: 'bank card number', mask: true, severity: 'warn' },
  mobile: { zh: '手机号码', en: 'mobile number', mask: true, severity: 'warn' },
  plate: { zh: '机动车号牌', en: 'vehicle plate', mask: true, severity: 'warn' },
  landline: { zh: '固定电话号码', en: 'landline number', mask: false, severity: 'info' },
  email: { zh: '电子邮箱地址', en: 'e-mail address', mask: false, severity: 'info' },
};

/** What the publishing stage masks: the detectors' kinds, and a record's name and home address. */
export type MaskKind = PersonalDataKind | 'name' | 'address';
export interface MaskSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly kind: MaskKind;
}

const ORDER: readonly PersonalDataKind[] = ['resident-id', 'bank-card', 'mobile', 'plate', 'landline', 'email'];

/** Identifiers only a private person has: a record that carries one is a private person's record. */
const PRIVATE_IDENTIFIERS: readonly PersonalDataKind[] = ['resident-id', 'bank-card', 'plate'];
/** What ends a record: a line (a roster row), a sentence, a clause closed by ；. */
const RECORD_END = /[\n\r\u2028\u2029。；;！!？?]/;
/** A label in front of a contact that makes it an office's contact point, published as it is. */
const OFFICIAL_LABEL = /(?:监督|咨询|投诉|举报|服务|办公|值班|受理|政务|传真|热线|单位|科室|办公室|中心)[^，,、\s]{0,4}[:：]?\s*$/;

/** [start, end) of the record (see RECORD_END) around offset i. */
function recordAround(text: string, i: number): readonly [number, number] {
  let a = i;
  while (a > 0 && !RECORD_END.test(text[a - 1]!)) a--;
  let b = i;
  while (b < text.length && !RECORD_END.test(text[b]!)) b++;
  return [a, b];
}

/**
 * Which parts of the texts the publishing stage masks (offsets in the normalised text): the
 * kinds PERSONAL_DATA_POLICY masks, and — a person's record is masked as a whole (issue 15)
 * — every landline and e-mail address in the same record (roster row, sentence or clause)
 * as a resident ID, bank card or plate, unless labelled as an office's contact point
 * (举报电话, 咨询电话, 办公室邮箱…). Office contacts elsewhere stay readable.
 */
export function spansToMask(text: string): MaskSpan[] {
  const found = findPersonalData(text);
  const records = found.filter((p) => PRIVATE_IDENTIFIERS.includes(p.kind)).map((p) => recordAround(text, p.start));
  const inRecord = (p: PersonalData) => records.some(([a, b]) => p.start >= a && p.end <= b);
  const data: MaskSpan[] = found.filter(
    (p) => PERSONAL_DATA_POLICY[p.kind].mask || (inRecord(p) && !OFFICIAL_LABEL.test(text.slice(Math.max(recordAround(text, p.start)[0], p.start - 12), p.start))),
  );
  // The record's names and home addresses (person-record.ts), where no detector span lies.
  const seen = new Set<string>();
  const more: MaskSpan[] = [];
  for (const [a, b] of records) {
    if (seen.has(`${a}:${b}`)) continue;
    seen.add(`${a}:${b}`);
    for (const r of recordNamesAndAddresses(text, a, b, found)) if (!found.some((p) => p.start < r.end && r.start < p.end)) more.push(r);
  }
  return [...data, ...more].sort((x, y) => x.start - y.start);
}

function findingsIn(where: 'document' | 'interpretation', text: string): RuleFinding[] {
  const found = findPersonalData(text);
  const toMask = spansToMask(text);
  const masked = new Set(toMask.map((x) => x.start));
  const place = where === 'document' ? '文件正文' : '解读材料';
  // Names and home addresses in a private person's record (person-record.ts).
  const persons = toMask.filter((x) => x.kind === 'name' || x.kind === 'address');
  const recordFinding: RuleFinding[] =
    persons.length === 0
      ? []
      : [
          {
            severity: 'warn',
            zh: `${place}中有 ${persons.length} 处个人姓名或住址与身份证号码、银行卡号或车牌号在同一条个人记录中，公开发布时姓名改为“某”（如张某）、住址只保留到街道（乡镇）；请在发布预览中核对，可确认或更正。`,
            en: `The ${where} contains ${persons.length} private person's name(s) or home address(es) in a record with an ID, card or plate; on publication a name becomes surname + 某 and an address is cut to the street/township. Check them in the preview, where each can be confirmed or corrected.`,
            evidence: persons.map((x) => at(where, x)),
          },
        ];
  return [
    ...recordFinding,
    ...ORDER.flatMap((kind) => {
      const all = found.filter((p) => p.kind === kind);
      if (all.length === 0) return [];
      const p = PERSONAL_DATA_POLICY[kind];
      const out: RuleFinding[] = [];
      // A contact in a private person's record is masked with the record (spansToMask).
      const inRecord = p.mask ? [] : all.filter((x) => masked.has(x.start));
      const xs = all.filter((x) => !inRecord.includes(x));
      if (inRecord.length > 0)
        out.push({
          severity: 'warn',
          zh: `${place}中有 ${inRecord.length} 处${p.zh}与身份证号码、银行卡号或车牌号在同一条个人记录中，公开发布时将随该记录一并遮盖；如该信息本不应出现在文件中，请在报批前删除。`,
          en: `The ${where} contains ${inRecord.length} ${p.en}(s) in the same record as a private person's ID, card or plate; they will be masked with the record on publication. Remove them before approval if they should not be there at all.`,
          evidence: inRecord.map((x) => at(where, x)),
        });
      if (xs.length > 0)
        out.push({
          severity: p.severity,
          zh: p.mask
            ? `${place}中有 ${xs.length} 处${p.zh}。公开发布时将做去标识化处理（遮盖）；如该信息本不应出现在文件中，请在报批前删除。`
            : `${place}中有 ${xs.length} 处${p.zh}，一般为单位对外公开的联系方式，发布时保留。如属个人的${p.zh}，请在报批前删除。`,
          en: p.mask
            ? `The ${where} contains ${xs.length} ${p.en}(s); they will be masked on publication. Remove them before approval if they should not be there at all.`
            : `The ${where} contains ${xs.length} ${p.en}(s), usually an office contact kept on publication; remove any that belong to a private person.`,
          evidence: xs.map((x) => at(where, x)),
        });
      return out;
    }),
  ];
}

export const PUB_4: Rule = {
  id: 'PUB-4',
  title: { zh: '公开前对个人信息去标识化', en: 'Personal information is de-identified before publication' },
  source: '002 §二(五)（严格落实《个人信息保护法》……应做去标识化处理（包括私家车牌号））；条例第十五条',
  severity: 'warn',
  needs: 'text',
  check: ({ document, interpretation }) => [
    ...(document ? findingsIn('document', document.text) : []),
    ...(interpretation ? findingsIn('interpretation', interpretation.text) : []),
  ],
};

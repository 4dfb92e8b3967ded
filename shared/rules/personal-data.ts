import type { Severity } from '#shared/domain/finding';
import { findPersonalData, type PersonalData, type PersonalDataKind } from '#shared/rules/detect/index';
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
 * asked to remove a private one. `mask` is the policy the publishing stage applies.
 */
export const PERSONAL_DATA_POLICY: Record<PersonalDataKind, { readonly zh: string; readonly en: string; readonly mask: boolean; readonly severity: Severity }> = {
  'resident-id': { zh: '居民身份证号码', en: 'resident ID number', mask: true, severity: 'warn' },
  'bank-card': { zh: '银行卡号', en: 'bank card number', mask: true, severity: 'warn' },
  mobile: { zh: '手机号码', en: 'mobile number', mask: true, severity: 'warn' },
  plate: { zh: '机动车号牌', en: 'vehicle plate', mask: true, severity: 'warn' },
  landline: { zh: '固定电话号码', en: 'landline number', mask: false, severity: 'info' },
  email: { zh: '电子邮箱地址', en: 'e-mail address', mask: false, severity: 'info' },
};

const ORDER: readonly PersonalDataKind[] = ['resident-id', 'bank-card', 'mobile', 'plate', 'landline', 'email'];

/** Which parts of the texts the publishing stage masks (offsets in the normalised text). */
export const spansToMask = (text: string): PersonalData[] => findPersonalData(text).filter((p) => PERSONAL_DATA_POLICY[p.kind].mask);

function findingsIn(where: 'document' | 'interpretation', text: string): RuleFinding[] {
  const found = findPersonalData(text);
  const place = where === 'document' ? '文件正文' : '解读材料';
  return ORDER.flatMap((kind) => {
    const xs = found.filter((p) => p.kind === kind);
    if (xs.length === 0) return [];
    const p = PERSONAL_DATA_POLICY[kind];
    return [
      {
        severity: p.severity,
        zh: p.mask
          ? `${place}中有 ${xs.length} 处${p.zh}。公开发布时将做去标识化处理（遮盖）；如该信息本不应出现在文件中，请在报批前删除。`
          : `${place}中有 ${xs.length} 处${p.zh}，一般为单位对外公开的联系方式，发布时保留。如属个人的${p.zh}，请在报批前删除。`,
        en: p.mask
          ? `The ${where} contains ${xs.length} ${p.en}(s); they will be masked on publication. Remove them before approval if they should not be there at all.`
          : `The ${where} contains ${xs.length} ${p.en}(s), usually an office contact kept on publication; remove any that belong to a private person.`,
        evidence: xs.map((x) => at(where, x)),
      },
    ];
  });
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

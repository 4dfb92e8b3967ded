import { describe, expect, it } from 'vitest';
import { blocks, type Finding } from '#shared/domain/finding';
import { normaliseText } from '#shared/extract/normalise';
import { evaluate, PERSONAL_DATA_POLICY, spansToMask, type RuleContext } from '#shared/rules/index';
import { expectWellFormed, formOf, NOTICE_IDS, noticeDraft, noticeText } from '../support/rule-drafts.ts';

/**
 * PUB-4 (detection): 002 §二(五) "严格落实《个人信息保护法》……属法定公开事项或依法确有必要公开的，
 * 应做去标识化处理（包括私家车牌号）". Test data: ID numbers with a correct MOD 11-2 check
 * character, a card number with a correct Luhn digit, and their one-digit-off twins.
 */
const ID = '140802198805120012'; // 运城市盐湖区 region code, 1988-05-12, check character 2
const ID_X = '11010519491231002X';
const ID_BAD = '140802198805120013'; // check character wrong
const CARD = '6222021234567890128'; // UnionPay, Luhn-valid
const CARD_BAD = '6222021234567890127';

const pub4 = (ctx: RuleContext): Finding[] => {
  const all = evaluate(ctx);
  expectWellFormed(all, ctx);
  return all.filter((f) => f.ruleId === 'PUB-4');
};

/** 002 with a 行政执法 paragraph that exposes a person, as the notice warns against. */
const exposed = normaliseText(
  noticeText('002_6bc38a5105b87f60').replace(
    '（六）做好财政信息公开。',
    `经查，当事人王某（身份证号${ID}，手机 138 1234 5678）驾驶晋M·12345号小型汽车违规运输，罚款通过账户${CARD}缴纳；另一当事人身份证号${ID_X}，手机13912345678，车牌晋MD12345。举报电话0357-6281234，邮箱gxzwgk@163.com。（六）做好财政信息公开。`,
  ),
);
const ctx = (text: string, interpretation?: string): RuleContext => ({
  form: formOf({ documentNumber: '古政办发〔2022〕30号', documentDate: '2022-06-09' }),
  document: { text },
  ...(interpretation !== undefined ? { interpretation: { text: interpretation } } : {}),
});

describe('PUB-4: personal data in a text to be published, each kind one finding with every occurrence', () => {
  it('reports ID numbers, mobiles, plates and bank cards (warn: masked on publication), each with every position', () => {
    const f = pub4(ctx(exposed));
    const byKind = (zh: string) => f.find((x) => x.zh.includes(zh))!;
    expect(f.map((x) => [x.severity, x.evidence!.length])).toEqual([
      ['warn', 2], // 居民身份证号码
      ['warn', 1], // 银行卡号
      ['warn', 2], // 手机号码
      ['warn', 2], // 机动车号牌
      ['info', 1], // 固定电话号码
      ['info', 1], // 电子邮箱地址
    ]);
    expect(byKind('居民身份证号码').evidence!.map((e) => e.text)).toEqual([ID, ID_X]);
    expect(byKind('银行卡号').evidence!.map((e) => e.text)).toEqual([CARD]);
    expect(byKind('手机号码').evidence!.map((e) => e.text)).toEqual(['138 1234 5678', '13912345678']);
    expect(byKind('机动车号牌').evidence!.map((e) => e.text)).toEqual(['晋M·12345', '晋MD12345']);
    for (const e of f.flatMap((x) => x.evidence!)) expect(exposed.slice(e.start, e.end)).toBe(e.text);
    expect(byKind('居民身份证号码').zh).toContain('去标识化处理');
    expect(byKind('居民身份证号码').zh).toContain('请在报批前删除');
    expect(byKind('居民身份证号码').zh).toContain('2 处');
  });

  it('records office landlines and mailboxes (info), kept on publication, and asks to remove private ones', () => {
    const f = pub4(ctx(exposed));
    const landline = f.find((x) => x.zh.includes('固定电话'))!;
    expect(landline.evidence![0]!.text).toBe('0357-6281234');
    expect(landline.zh).toContain('发布时保留');
    expect(landline.zh).toContain('如属个人的');
    expect(PERSONAL_DATA_POLICY.landline.mask).toBe(false);
    expect(PERSONAL_DATA_POLICY.email.mask).toBe(false);
  });

  it('gives publishing exactly the spans to mask', () => {
    expect(spansToMask(exposed).map((s) => s.kind)).toEqual(['resident-id', 'mobile', 'plate', 'bank-card', 'resident-id', 'mobile', 'plate']);
    for (const s of spansToMask(exposed)) expect(exposed.slice(s.start, s.end)).toBe(s.text);
  });

  it('does not report numbers that only look like personal data (wrong check digit, amounts, dates, document numbers)', () => {
    const text = normaliseText(`当事人身份证号${ID_BAD}，卡号${CARD_BAD}。共发放补贴13812345678元，涉及2022-06-09至2022-12-31期间，依据古政办发〔2022〕30号。`);
    expect(pub4(ctx(text))).toEqual([]);
  });

  it('checks the interpretation as well: it is published too', () => {
    const f = pub4(ctx(noticeText('002_6bc38a5105b87f60'), `解读机关：古县人民政府办公室\n解读人：张三，手机13812345678`));
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence).toEqual([expect.objectContaining({ in: 'interpretation', text: '13812345678' })]);
    expect(f[0]!.zh).toContain('解读材料中');
  });

  it('never blocks', () => {
    expect(blocks(pub4(ctx(exposed)))).toBe(false);
    expect(blocks(evaluate(ctx(exposed)))).toBe(false);
  });

  it.each(NOTICE_IDS)('finds nothing in the real notice %s', (id) => {
    expect(pub4(noticeDraft(id))).toEqual([]);
  });
});

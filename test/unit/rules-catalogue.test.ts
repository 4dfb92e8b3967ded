import { describe, expect, it } from 'vitest';
import type { Finding } from '#shared/domain/finding';
import { domainsOfTitle, evaluate, type RuleContext } from '#shared/rules/index';
import { expectWellFormed, formOf, NOTICE_IDS, noticeDraft } from '../support/rule-drafts.ts';

/** CAT-1: 000 §二(二)2 "目录至少应包括公开事项的名称、内容、依据、时限、主体、方式、渠道、公开对象等要素"; the 26 pilot domains. */
const cat1 = (ctx: RuleContext, only: 'form' | 'all' = 'all'): Finding[] => {
  const all = evaluate(ctx, only);
  expectWellFormed(all, ctx);
  return all.filter((f) => f.ruleId === 'CAT-1');
};
const complete = {
  name: '义务教育招生入学政策',
  content: '招生范围、招生对象、报名条件、录取规则',
  basis: '《中华人民共和国义务教育法》第十二条',
  timeLimit: '信息形成或变更之日起20个工作日内',
  subject: '县教育局',
  method: '主动公开',
  channel: '政府网站、政务新媒体、公开栏',
  audience: '全社会',
};

describe('CAT-1: catalogue elements and the pilot domain', () => {
  it('passes a complete catalogue entry with its domain, already at submission', () => {
    expect(cat1({ form: formOf({ domain: '义务教育', catalogue: complete }) }, 'form')).toEqual([]);
  });

  it('names the missing elements of a catalogue entry (warn)', () => {
    const { timeLimit: _t, channel: _c, ...partial } = complete;
    const f = cat1({ form: formOf({ domain: '义务教育', catalogue: { ...partial, audience: '  ' } }) }, 'form');
    expect(f.map((x) => x.severity)).toEqual(['warn']);
    expect(f[0]!.zh).toContain('缺少：时限、渠道、公开对象');
    expect(f[0]!.evidence!.map((e) => e.in)).toEqual(['form.catalogue.timeLimit', 'form.catalogue.channel', 'form.catalogue.audience']);
  });

  it('asks for the domain when the title names one, suggesting it', () => {
    expect(domainsOfTitle('古县教育局关于做好2022年义务教育招生入学工作的通知')).toEqual(['义务教育']);
    expect(domainsOfTitle('关于印发古县城镇保障性住房（公租房）分配管理办法的通知')).toEqual(['保障性住房']);
    const f = cat1({ form: formOf({ title: '古县教育局关于做好2022年义务教育招生入学工作的通知' }) }, 'form');
    expect(f.map((x) => x.severity)).toEqual(['warn']);
    expect(f[0]!.zh).toContain('标题涉及“义务教育”');
  });

  it('asks for the domain of a catalogue entry', () => {
    expect(cat1({ form: formOf({ catalogue: complete }) })).toHaveLength(1);
  });

  it('does not ask documents that belong to no pilot domain (the five notices are about 政务公开 as a whole)', () => {
    expect(cat1({ form: formOf() })).toEqual([]);
    for (const id of NOTICE_IDS) expect(cat1(noticeDraft(id))).toEqual([]);
  });
});

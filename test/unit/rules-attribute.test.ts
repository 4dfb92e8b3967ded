import { describe, expect, it } from 'vitest';
import { blocks, type Finding } from '#shared/domain/finding';
import type { DeclarationForm } from '#shared/domain/form';
import { normaliseText } from '#shared/extract/normalise';
import { citeGrounds, evaluate, needsInfocenterFiling, ownDocumentNumber, type RuleContext } from '#shared/rules/index';
import { expectWellFormed, formOf, noticeDraft, noticeText, variant } from '../support/rule-drafts.ts';

const run = (ctx: RuleContext, only: 'form' | 'all' = 'all'): Finding[] => {
  const f = evaluate(ctx, only);
  expectWellFormed(f, ctx);
  return f;
};
const of = (ruleId: string, f: readonly Finding[]) => f.filter((x) => x.ruleId === ruleId);
const concrete = { nonPublicReason: '涉及第三方商业秘密，公开会损害其合法权益', legalBasis: '《中华人民共和国政府信息公开条例》第十五条' } as const;

// ---------------------------------------------------------------------------------------

describe('ATTR-2: the catalogue of legal grounds (条例第十四、十五、十六条, named laws)', () => {
  const ids = (basis: string) => citeGrounds(basis).map((c) => (c.kind === 'ground' ? c.ground.id : c.kind === 'other-article' ? `art-${c.article}` : `bare:${c.ground.id}`));

  it.each([
    ['《中华人民共和国政府信息公开条例》第十四条', ['OGI-14']],
    ['《政府信息公开条例》第15条', ['OGI-15']],
    ['条例第16条', ['OGI-16']],
    ['第十六条第一款', ['OGI-16']],
    ['《中华人民共和国保守国家秘密法》第九条', ['LAW-SECRETS']],
    // The article belongs to the law named before it, not to the Regulations.
    ['《中华人民共和国保守国家秘密法》第十四条', ['LAW-SECRETS']],
    ['《中华人民共和国个人信息保护法》第二十八条', ['LAW-PIPL']],
    ['《中华人民共和国政府信息公开条例》第十五条、《中华人民共和国个人信息保护法》第二十八条', ['OGI-15', 'LAW-PIPL']],
    ['《中华人民共和国统计法》第三十九条', ['LAW']],
    ['《中华人民共和国政府信息公开条例》第二十条', ['art-20']],
    ['《中华人民共和国个人信息保护法》', ['bare:LAW-PIPL']],
    ['《关于进一步加强保密工作的通知》第三条', []],
    ['有关规定', []],
  ] as const)('%s → %j', (basis, expected) => {
    expect(ids(basis)).toEqual(expected);
  });

  it('gives each citation its position in the basis', () => {
    const basis = '依据《中华人民共和国政府信息公开条例》第十六条';
    const [c] = citeGrounds(basis);
    expect(basis.slice(c!.span.start, c!.span.end)).toBe('《中华人民共和国政府信息公开条例》第十六条');
  });

  it('blocks an article of the Regulations that is not a ground (Art. 20 lists what MUST be disclosed)', () => {
    const f = of('ATTR-2', run({ form: formOf({ attribute: '不予公开', nonPublicReason: concrete.nonPublicReason, legalBasis: '《中华人民共和国政府信息公开条例》第二十条' }) }));
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('block');
    expect(f[0]!.zh).toContain('所引“《中华人民共和国政府信息公开条例》第二十条”不是不予公开的依据');
    expect(f[0]!.evidence![0]).toMatchObject({ in: 'form.legalBasis', text: '《中华人民共和国政府信息公开条例》第二十条' });
  });

  it('blocks a law named without its article, and passes it with one', () => {
    const bare = of('ATTR-2', run({ form: formOf({ attribute: '不予公开', nonPublicReason: '含有申请人的身份信息和联系方式', legalBasis: '《中华人民共和国个人信息保护法》' }) }));
    expect(bare).toHaveLength(1);
    expect(bare[0]!.zh).toContain('未写明条款');
    expect(
      of('ATTR-2', run({ form: formOf({ attribute: '不予公开', nonPublicReason: '含有申请人的身份信息和联系方式', legalBasis: '《中华人民共和国个人信息保护法》第二十八条' }) })),
    ).toEqual([]);
  });

  it('lists the grounds in the message for a vague reason, with the vague words as evidence', () => {
    const [f] = of('ATTR-2', run({ form: formOf({ attribute: '依申请公开', nonPublicReason: '内部文件，不宜公开', legalBasis: concrete.legalBasis }) }));
    for (const ground of ['第十四条', '第十五条', '第十六条', '保守国家秘密法', '个人信息保护法']) expect(f!.zh).toContain(ground);
    expect(f!.evidence!.map((e) => e.text)).toEqual(['内部文件', '不宜公开']);
  });

  it('does not let state secrets be disclosed on application, whichever way they are cited', () => {
    const secretsLaw = of(
      'ATTR-2',
      run({ form: formOf({ attribute: '依申请公开', nonPublicReason: '文件内容已依法定为秘密级', legalBasis: '《中华人民共和国保守国家秘密法》第九条' }) }),
    );
    expect(secretsLaw.map((f) => f.severity)).toEqual(['block']);
    expect(secretsLaw[0]!.zh).toContain('不予公开');
    const inReason = of('ATTR-2', run({ form: formOf({ attribute: '依申请公开', nonPublicReason: '该文件属于国家秘密，公开会危害国家安全', legalBasis: '条例第十六条' }) }));
    expect(inReason).toHaveLength(1);
    expect(inReason[0]!.evidence![0]).toMatchObject({ in: 'form.nonPublicReason', text: '属于国家秘密' });
    // "不涉及国家秘密" is not a claim that it is one.
    expect(of('ATTR-2', run({ form: formOf({ attribute: '依申请公开', nonPublicReason: '不涉及国家秘密，但含第三方商业秘密', legalBasis: concrete.legalBasis }) }))).toEqual([]);
    // The same grounds are fine for 不予公开.
    expect(
      of('ATTR-2', run({ form: formOf({ attribute: '不予公开', nonPublicReason: '文件内容已依法定为秘密级', legalBasis: '《中华人民共和国保守国家秘密法》第九条' }) })),
    ).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------

describe('ATTR-3: a non-public policy document is filed with the information centre (000: 于报批前送区政府办信息中心备案)', () => {
  it('records the filing for a policy document declared 依申请公开 or 不予公开, without blocking', () => {
    for (const attribute of ['依申请公开', '不予公开'] as const) {
      const form = formOf({ attribute, isPolicy: true, interpretation: { mode: 'attached', format: '图解' }, ...concrete });
      expect(needsInfocenterFiling(form)).toBe(true);
      const f = run({ form }, 'form');
      expect(f.map((x) => [x.ruleId, x.severity])).toEqual([['ATTR-3', 'info']]);
      expect(f[0]!.zh).toContain('信息中心备案');
      expect(blocks(f)).toBe(false);
    }
  });
  it('does not apply to proactive or non-policy documents', () => {
    expect(needsInfocenterFiling(formOf({ attribute: '主动公开', isPolicy: true }))).toBe(false);
    expect(needsInfocenterFiling(formOf({ attribute: '不予公开', isPolicy: false }))).toBe(false);
    expect(of('ATTR-3', run({ form: formOf({ attribute: '不予公开', isPolicy: false, ...concrete }) }))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------

describe('ATTR-4: markers in the text agree with the declaration', () => {
  it.each(['001_635c498a68e213e6', '002_6bc38a5105b87f60'] as const)('blocks （此件公开发布） in %s declared 不予公开 or 依申请公开', (id) => {
    for (const attribute of ['不予公开', '依申请公开'] as const) {
      const ctx = noticeDraft(id, { attribute, ...concrete });
      const f = of('ATTR-4', run(ctx)).filter((x) => x.severity === 'block');
      expect(f).toHaveLength(1);
      expect(f[0]!.zh).toMatch(/此件公开发布/);
      expect(f[0]!.zh).toContain('请删除该标注，或将公开属性改为“主动公开”');
      const marker = f[0]!.evidence!.find((e) => e.in === 'document')!;
      expect(marker.text).toMatch(/此件公开发布/);
    }
  });

  it.each(['003_947bd769dad19b2f', '004_a31f9dc5403041b8'] as const)('blocks （此件主动公开） in %s declared 依申请公开', (id) => {
    const f = of('ATTR-4', run(noticeDraft(id, { attribute: '依申请公开', ...concrete }))).filter((x) => x.severity === 'block');
    expect(f).toHaveLength(1);
    expect(f[0]!.zh).toContain('此件主动公开');
  });

  it('passes a marker that matches the declaration', () => {
    for (const id of ['001_635c498a68e213e6', '002_6bc38a5105b87f60', '003_947bd769dad19b2f', '004_a31f9dc5403041b8'] as const)
      expect(of('ATTR-4', run(noticeDraft(id, { attribute: '主动公开' })))).toEqual([]);
    const onApplication = variant('002_6bc38a5105b87f60', '（此件公开发布）', '（此件依申请公开）');
    expect(
      of(
        'ATTR-4',
        run({ form: formOf({ attribute: '依申请公开', documentNumber: '古政办发〔2022〕30号', documentDate: '2022-06-09', ...concrete }), document: { text: onApplication } }),
      ),
    ).toEqual([]);
  });

  it('blocks a 依申请公开 or 不予公开 marker on a 主动公开 declaration, and the two non-public markers on each other', () => {
    const form = (attribute: DeclarationForm['attribute']) => formOf({ attribute, documentNumber: '古政办发〔2022〕30号', documentDate: '2022-06-09', ...concrete });
    const onApplication = variant('002_6bc38a5105b87f60', '（此件公开发布）', '（此件依申请公开）');
    const notPublic = variant('002_6bc38a5105b87f60', '（此件公开发布）', '（此件不予公开）');
    const cases = [
      [onApplication, '主动公开', '依申请公开'],
      [notPublic, '主动公开', '不予公开'],
      [onApplication, '不予公开', '依申请公开'],
      [notPublic, '依申请公开', '不予公开'],
    ] as const;
    for (const [text, attribute, marked] of cases) {
      const f = of('ATTR-4', run({ form: form(attribute), document: { text } }));
      expect(
        f.map((x) => x.severity),
        `${marked} marker on ${attribute}`,
      ).toEqual(['block']);
      expect(f[0]!.zh).toContain(marked);
      expect(f[0]!.zh).toContain(`与申报的公开属性“${attribute}”不一致`);
    }
  });

  it('never publishes 内部资料 or 注意保存: blocks them on 主动公开, accepts them on a non-public declaration', () => {
    for (const mark of ['内部资料', '注意保存']) {
      const text = normaliseText(`${mark}\n${noticeText('003_947bd769dad19b2f').replace('（此件主动公开）', '')}`);
      const pub = of('ATTR-4', run({ form: formOf({ attribute: '主动公开', documentNumber: '尤政办〔2020〕31号', documentDate: '2020-08-24' }), document: { text } }));
      expect(
        pub.map((x) => x.severity),
        mark,
      ).toEqual(['block']);
      expect(pub[0]!.zh).toContain('不公开发布');
      expect(pub[0]!.evidence!.find((e) => e.in === 'document')).toMatchObject({ text: mark, start: 0 });
      const filed = of(
        'ATTR-4',
        run({
          form: formOf({
            attribute: '不予公开',
            documentNumber: '尤政办〔2020〕31号',
            documentDate: '2020-08-24',
            nonPublicReason: '附件含各成员单位负责人内部分工，属于内部事务信息',
            legalBasis: '条例第十六条',
          }),
          document: { text },
        }),
      );
      expect(filed).toEqual([]);
    }
  });

  it('leaves a draft without an attribute to ATTR-1', () => {
    const f = run(noticeDraft('002_6bc38a5105b87f60', { attribute: undefined }));
    expect(of('ATTR-4', f)).toEqual([]);
    expect(of('ATTR-1', f)).toHaveLength(1);
  });

  describe('the document number (发文字号) declared vs the text', () => {
    it("finds the document's own number in its header, not the numbers it cites", () => {
      expect(ownDocumentNumber(noticeText('000_70017f665202e428'))?.canonical).toBe('运盐政办发〔2020〕60号');
      expect(ownDocumentNumber(noticeText('002_6bc38a5105b87f60'))?.canonical).toBe('古政办发〔2022〕30号');
      expect(ownDocumentNumber(noticeText('003_947bd769dad19b2f'))?.canonical).toBe('尤政办〔2020〕31号');
      expect(ownDocumentNumber(noticeText('004_a31f9dc5403041b8'))?.canonical).toBe('赣府厅发〔2020〕17号');
      // 001 has no number of its own; 国办发〔2019〕54号 is its attachment's.
      expect(ownDocumentNumber(noticeText('001_635c498a68e213e6'))).toBeUndefined();
    });

    it('passes the real declarations, and a declared number written full-width or spaced', () => {
      for (const id of ['000_70017f665202e428', '002_6bc38a5105b87f60', '003_947bd769dad19b2f', '004_a31f9dc5403041b8'] as const)
        expect(of('ATTR-4', run(noticeDraft(id)))).toEqual([]);
      expect(of('ATTR-4', run(noticeDraft('000_70017f665202e428', { documentNumber: '运盐政办发〔２０２０〕６０号' })))).toEqual([]);
      expect(of('ATTR-4', run(noticeDraft('000_70017f665202e428', { documentNumber: '运盐政办发 〔2020〕 60 号' })))).toEqual([]);
    });

    it('warns when the declared number differs from the one in the text', () => {
      const f = of('ATTR-4', run(noticeDraft('002_6bc38a5105b87f60', { documentNumber: '古政办发〔2022〕31号' })));
      expect(f.map((x) => x.severity)).toEqual(['warn']);
      expect(f[0]!.zh).toContain('古政办发〔2022〕31号');
      expect(f[0]!.zh).toContain('古政办发〔2022〕30号');
      expect(f[0]!.evidence!.find((e) => e.in === 'document')!.text).toMatch(/古政办发〔2022〕30号/);
    });

    it('warns when the declared number is not in a text that has none, or the text has one the form lacks', () => {
      const missing = of('ATTR-4', run(noticeDraft('001_635c498a68e213e6', { documentNumber: '李政办发〔2020〕12号' })));
      expect(missing.map((x) => x.severity)).toEqual(['warn']);
      expect(missing[0]!.zh).toContain('未出现在正文中');
      const undeclared = of('ATTR-4', run(noticeDraft('003_947bd769dad19b2f', { documentNumber: undefined })));
      expect(undeclared.map((x) => x.severity)).toEqual(['warn']);
      expect(undeclared[0]!.zh).toContain('尤政办〔2020〕31号');
    });

    it('warns about a malformed number and a year that is not the year of the document date', () => {
      const bad = of('ATTR-4', run(noticeDraft('003_947bd769dad19b2f', { documentNumber: '尤政办31号' })));
      expect(bad.map((x) => x.severity)).toEqual(['warn']);
      expect(bad[0]!.zh).toContain('不是规范格式');
      const year = of('ATTR-4', run(noticeDraft('003_947bd769dad19b2f', { documentDate: '2021-01-05' })));
      expect(year.map((x) => x.severity)).toEqual(['warn']);
      expect(year[0]!.zh).toContain('年份');
    });
  });
});

// ---------------------------------------------------------------------------------------

describe('ATTR-5: secrecy marks are never published; routed to the secrecy authority (保密机关)', () => {
  const classified = (mark: string) => normaliseText(`${mark}\n${noticeText('002_6bc38a5105b87f60').replace('（此件公开发布）', '')}`);

  it.each(['秘密★1年', '机密★5年', '绝密★', '秘密★6个月'])('blocks a draft marked %s, whatever its attribute', (mark) => {
    for (const attribute of ['主动公开', '依申请公开', '不予公开'] as const) {
      const ctx: RuleContext = {
        form: formOf({ attribute, documentNumber: '古政办发〔2022〕30号', documentDate: '2022-06-09', ...concrete }),
        document: { text: classified(mark) },
      };
      const f = of('ATTR-5', run(ctx));
      expect(f.map((x) => x.severity)).toEqual(['block']);
      expect(f[0]!.zh).toContain('保密机关');
      expect(f[0]!.zh).toContain('不得通过本系统');
      expect(f[0]!.evidence!.find((e) => e.in === 'document')).toMatchObject({ start: 0 });
      expect(blocks(run(ctx))).toBe(true);
    }
  });

  it('blocks a declared secrecy level already at submission (preflight), and a mark that contradicts a declared 非涉密', () => {
    const f = of('ATTR-5', run({ form: formOf({ secrecyLevel: '机密' }) }, 'form'));
    expect(f.map((x) => x.severity)).toEqual(['block']);
    expect(f[0]!.evidence![0]).toMatchObject({ in: 'form.secrecyLevel', text: '机密' });
    const contradicted = of(
      'ATTR-5',
      run({ form: formOf({ secrecyLevel: 'none', documentNumber: '古政办发〔2022〕30号', documentDate: '2022-06-09' }), document: { text: classified('秘密★1年') } }),
    );
    expect(contradicted[0]!.zh).toContain('不一致');
  });

  it('does not take prose about secrets for a mark', () => {
    const text = variant(
      '002_6bc38a5105b87f60',
      '一、优化政务公开基础工作',
      '一、优化政务公开基础工作\n严禁在政府网站发布涉及国家秘密、工作秘密的信息，涉密文件按机密、秘密等级管理。',
    );
    expect(of('ATTR-5', run({ form: formOf({ documentNumber: '古政办发〔2022〕30号', documentDate: '2022-06-09' }), document: { text } }))).toEqual([]);
  });

  it('reports (warn) a draft that determines neither its secrecy level nor its attribute (000: 发现一起通报一起)', () => {
    // 000 carries no marker at all: without a declared attribute nothing determines either.
    const f = run(noticeDraft('000_70017f665202e428', { attribute: undefined }));
    expect(of('ATTR-5', f).map((x) => x.severity)).toEqual(['warn']);
    expect(of('ATTR-5', f)[0]!.zh).toContain('通报');
    expect(of('ATTR-1', f).map((x) => x.severity)).toEqual(['block']);
  });

  it('does not report a draft whose attribute is settled by the form or a marker, or whose secrecy level is declared', () => {
    expect(of('ATTR-5', run(noticeDraft('000_70017f665202e428')))).toEqual([]); // declared 主动公开, no mark
    expect(of('ATTR-5', run(noticeDraft('002_6bc38a5105b87f60', { attribute: undefined })))).toEqual([]); // （此件公开发布）
    expect(of('ATTR-5', run(noticeDraft('000_70017f665202e428', { attribute: undefined, secrecyLevel: 'none' })))).toEqual([]);
    // Without a text there is nothing to report yet (preflight).
    expect(of('ATTR-5', run({ form: formOf({ attribute: undefined }) }))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------

describe('ATTR-6: document type (文种) and attribute agree (warnings)', () => {
  const warns = (over: Partial<DeclarationForm>, text?: string) => {
    const f = of('ATTR-6', run({ form: formOf(over), ...(text !== undefined ? { document: { text } } : {}) }));
    for (const x of f) expect(x.severity).toBe('warn');
    return f;
  };

  it('warns when the declared type is not the type the title names', () => {
    const f = warns({ documentType: '意见' });
    expect(f).toHaveLength(1);
    expect(f[0]!.zh).toContain('标题表明文种为“通知”');
    expect(warns({ documentType: '通知' })).toEqual([]);
    expect(warns({ title: '江西省人民政府办公厅关于全面推进基层政务公开标准化规范化的实施意见', documentType: '意见' })).toEqual([]);
    // A normative document is usually issued as a 通知 or 办法: its type is not the title's.
    expect(warns({ title: '古县人民政府关于印发古县政府信息公开申请办理规定的通知', documentType: '行政规范性文件', documentNumber: undefined })).toHaveLength(0);
  });

  it('warns that 请示 and 报告 are usually not proactive (条例第十六条 过程性信息), except reports that must be published', () => {
    const request = warns({ title: '古县人民政府办公室关于申请政务公开专项经费的请示', documentType: '请示', attribute: '主动公开' });
    expect(request).toHaveLength(1);
    expect(request[0]!.zh).toContain('第十六条');
    expect(warns({ title: '古县人民政府办公室关于2021年政务公开工作情况的报告', documentType: '报告', attribute: '主动公开' })).toHaveLength(1);
    expect(warns({ title: '古县人民政府办公室关于申请政务公开专项经费的请示', documentType: '请示', attribute: '依申请公开', ...concrete, legalBasis: '条例第十六条' })).toEqual(
      [],
    );
    expect(warns({ title: '古县2021年政府信息公开工作年度报告', documentType: '报告', attribute: '主动公开' })).toEqual([]);
    // The title says 请示 even if the form says otherwise: both warnings.
    expect(warns({ title: '古县人民政府办公室关于申请政务公开专项经费的请示', documentType: '函', attribute: '主动公开' })).toHaveLength(2);
    // A title naming no listed type (细则 → 其他) is not compared.
    expect(warns({ title: '古县政府信息公开申请办理实施细则', documentType: '办法' })).toEqual([]);
  });

  it('warns that a 行政规范性文件 (declared, or 规-numbered) must be 主动公开 (条例第二十条第（一）项)', () => {
    const declared = warns({
      title: '古县人民政府关于印发古县政府信息公开申请办理规定的通知',
      documentType: '行政规范性文件',
      documentNumber: undefined,
      attribute: '依申请公开',
      ...concrete,
    });
    expect(declared).toHaveLength(1);
    expect(declared[0]!.zh).toContain('第二十条第（一）项');
    const numbered = warns({ documentNumber: '古政办规〔2022〕1号', documentDate: '2022-03-01', attribute: '不予公开', ...concrete });
    expect(numbered.some((x) => x.zh.includes('应当主动公开'))).toBe(true);
    expect(numbered.find((x) => x.zh.includes('应当主动公开'))!.evidence).toContainEqual(expect.objectContaining({ in: 'form.documentNumber' }));
  });

  it('warns when a normative document states no period of validity (002 §一(二)), and accepts one that does', () => {
    const normative = {
      title: '古县人民政府办公室关于印发古县政府信息公开申请办理规定的通知',
      documentType: '行政规范性文件',
      documentNumber: '古政办规〔2022〕1号',
      documentDate: '2022-06-09',
    } as const;
    const body =
      '古政办规〔2022〕1号\n古县人民政府办公室关于印发古县政府信息公开申请办理规定的通知\n各乡（镇）人民政府，县直各有关单位：\n现将《古县政府信息公开申请办理规定》印发给你们，请认真贯彻执行。\n古县人民政府办公室\n2022年6月9日\n（此件公开发布）';
    const without = warns(normative, normaliseText(body));
    expect(without).toHaveLength(1);
    expect(without[0]!.zh).toContain('有效期');
    const withValidity = normaliseText(body.replace('请认真贯彻执行。', '请认真贯彻执行。\n本规定自2022年7月1日起施行，有效期5年。'));
    expect(warns(normative, withValidity)).toEqual([]);
    expect(warns({ ...normative, validity: { years: 3 } }, withValidity)).toHaveLength(1);
    expect(warns({ ...normative, validity: { years: 5 } }, withValidity)).toEqual([]);
    expect(warns({ ...normative, validity: { from: '2022-07-01', years: 5 } }, withValidity)).toEqual([]);
    expect(warns({ ...normative, validity: { from: '2022-06-09', years: 5 } }, withValidity)).toHaveLength(1);
    // Not normative: no validity asked for (the real 002 states none and needs none).
    expect(of('ATTR-6', run(noticeDraft('002_6bc38a5105b87f60')))).toEqual([]);
  });
});

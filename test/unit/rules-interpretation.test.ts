import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blocks, type Finding } from '#shared/domain/finding';
import { normaliseText } from '#shared/extract/normalise';
import {
  COPY_BLOCK_SHARE,
  COPY_NGRAM,
  COPY_WARN_SHARE,
  copiedShare,
  diversifiedShare,
  diversifiedTarget,
  evaluate,
  interpretationElements,
  isDiversified,
  type RuleContext,
} from '#shared/rules/index';
import { expectWellFormed, formOf, noticeDraft, noticeText, REAL_FORMS, sampleInterpretation } from '../support/rule-drafts.ts';

const DOC = '004_a31f9dc5403041b8' as const;
const policy = formOf(REAL_FORMS[DOC]);
const run = (ctx: RuleContext): Finding[] => {
  const f = evaluate(ctx);
  expectWellFormed(f, ctx);
  return f;
};
const of = (ruleId: string, f: readonly Finding[]) => f.filter((x) => x.ruleId === ruleId);
const withInterpretation = (text: string): RuleContext => ({ form: policy, document: { text: noticeText(DOC) }, interpretation: { text } });

/** Paragraphs of the document (the body, after the addressee line), for pastes. */
const documentBody = () =>
  noticeText(DOC)
    .split('\n')
    .filter((l) => l.length > 60);

// ---------------------------------------------------------------------------------------

describe('INT-2: the interpretation covers the elements of 000 §二(五)2 and 004 §八', () => {
  it('finds all eight in the sample interpretation of 004', () => {
    const { missing, found } = interpretationElements(sampleInterpretation());
    expect(missing).toEqual([]);
    expect(found.size).toBe(8);
    expect(of('INT-2', run(withInterpretation(sampleInterpretation())))).toEqual([]);
  });

  it('names the missing elements and gives the found ones as evidence', () => {
    const cut = sampleInterpretation()
      .split('\n')
      .filter((l) => !/关键词|以往|解读机关|“标准目录”|与以往相比/.test(l))
      .join('\n');
    const f = of('INT-2', run(withInterpretation(cut)));
    expect(f.map((x) => x.severity)).toEqual(['warn']);
    expect(f[0]!.zh).toContain('缺少以下要素：关键词解释、新旧政策差异、解读机关');
    expect(f[0]!.en).toContain('key terms');
    expect(f[0]!.evidence!.map((e) => e.text)).toEqual(expect.arrayContaining(['背景', '主要内容', '适用对象']));
  });

  it('finds an element whose heading a PDF wrapped across two lines', () => {
    const { found } = interpretationElements('一、出台背\n景和依据\n为了……');
    expect(found.get('background')).toMatchObject({ text: '背\n景', start: 4 });
  });

  it('lists every element for a text that is no interpretation at all', () => {
    const f = of('INT-2', run(withInterpretation('请各单位认真贯彻落实。')));
    expect(f[0]!.zh).toContain('背景依据、目标任务、主要内容、具体举措、适用对象、关键词解释、新旧政策差异、解读机关');
  });

  it('needs an interpretation text', () => {
    expect(of('INT-2', run({ form: policy, document: { text: noticeText(DOC) } }))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------

describe(`INT-3: the interpretation is not a paste (002: 解读材料不能停留在粘原文的层面), ${COPY_NGRAM}-character runs`, () => {
  it('passes the sample interpretation of 004, reporting its share (info)', () => {
    const m = copiedShare(sampleInterpretation(), noticeText(DOC));
    expect(m.share).toBeGreaterThan(0.05); // it repeats the target and the list of catalogue elements
    expect(m.share).toBeLessThan(COPY_WARN_SHARE);
    const f = of('INT-3', run(withInterpretation(sampleInterpretation())));
    expect(f.map((x) => x.severity)).toEqual(['info']);
    expect(f[0]!.zh).toContain(`${Math.round(m.share * 100)}%`);
    // The copied runs are the evidence, longest first; cited titles (《…》) are not counted.
    expect(f[0]!.evidence!.map((e) => e.text)).toContain('名称、内容、依据、时限、主体、方式、渠道、公开对象等要素');
    expect(f[0]!.evidence!.some((e) => e.text?.includes('国务院办公厅关于全面推进'))).toBe(false);
  });

  it('blocks a paste of the document, even re-wrapped and re-punctuated, citing 002', () => {
    const paste = documentBody().slice(0, 4).join('\n');
    const rewrapped = normaliseText(paste.replace(/，/g, ',').replace(/(.{23})/g, '$1\n'));
    for (const text of [paste, rewrapped, `政策解读\n${paste}`]) {
      const f = of('INT-3', run(withInterpretation(text)));
      expect(f.map((x) => x.severity)).toEqual(['block']);
      expect(f[0]!.zh).toContain('解读材料不能停留在粘原文的层面');
      expect(copiedShare(text, noticeText(DOC)).share).toBeGreaterThanOrEqual(COPY_BLOCK_SHARE);
      // Evidence: the start of the longest copied runs, not the whole paste.
      expect(f[0]!.evidence!.length).toBeLessThanOrEqual(3);
      for (const e of f[0]!.evidence!) expect(e.text!.length).toBeLessThanOrEqual(80);
    }
  });

  it('warns, without blocking, about a half-paste (the sample plus as much pasted text)', () => {
    const own = sampleInterpretation();
    let pasted = '';
    for (const p of documentBody()) if (pasted.length < own.length) pasted += `${p}\n`;
    const half = `${own}\n${pasted}`;
    const m = copiedShare(half, noticeText(DOC));
    expect(m.share).toBeGreaterThanOrEqual(COPY_WARN_SHARE);
    expect(m.share).toBeLessThan(COPY_BLOCK_SHARE);
    const f = of('INT-3', run(withInterpretation(half)));
    expect(f.map((x) => x.severity)).toEqual(['warn']);
    expect(blocks(of('INT-3', f))).toBe(false);
  });

  it('does not count cited titles, however long', () => {
    const cites = '本意见依据《国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见》和《江西省人民政府办公厅关于全面推进基层政务公开标准化规范化的实施意见》制定。';
    expect(copiedShare(cites, noticeText(DOC)).share).toBe(0);
  });

  it('does not count vocabulary shorter than a clause as copying', () => {
    const words = '本意见所说的政务公开事项标准目录，依据政府信息公开条例编制，坚持谁起草、谁解读。';
    expect(copiedShare(words, noticeText(DOC)).share).toBe(0);
  });

  it('is a share between 0 and 1 whose runs point into the interpretation', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), fc.nat(60), (a, b, cut) => {
        const doc = noticeText(DOC);
        const interp = `${a}${doc.slice(cut * 50, cut * 50 + 40)}${b}`;
        const m = copiedShare(interp, doc);
        expect(m.share).toBeGreaterThanOrEqual(0);
        expect(m.share).toBeLessThanOrEqual(1);
        for (const r of m.runs) expect(interp.slice(r.start, r.end)).toBe(r.text);
      }),
    );
    expect(copiedShare('', noticeText(DOC)).share).toBe(0);
    const body = documentBody().find((p) => !p.includes('《'))!;
    expect(copiedShare(body, body).share).toBe(1);
  });

  it('needs both texts', () => {
    expect(of('INT-3', run({ form: policy, interpretation: { text: sampleInterpretation() } }))).toEqual([]);
    expect(of('INT-3', run({ form: policy, document: { text: noticeText(DOC) } }))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------

describe('INT-4: the format is recorded for the 90% diversified-share report (000 §二(五)2)', () => {
  it('records the declared format (info) once the interpretation is there', () => {
    const text = run(noticeDraft(DOC));
    expect(of('INT-4', text).map((x) => [x.severity, x.evidence![0]!.text])).toEqual([['info', '文字']]);
    expect(of('INT-4', text)[0]!.zh).toContain('不计入多样化解读比例');
    const video = of('INT-4', run(noticeDraft(DOC, { interpretation: { mode: 'attached', format: '视频' } })));
    expect(video[0]!.zh).toContain('计入多样化解读比例');
    expect(video[0]!.zh).not.toContain('不计入');
  });

  it('records nothing without an interpretation, and never blocks', () => {
    expect(of('INT-4', run({ form: policy }))).toEqual([]);
    expect(of('INT-4', run(noticeDraft('000_70017f665202e428')))).toEqual([]);
  });

  it('computes the diversified share: 图片、图表、图解、动漫、音频、视频 count; 文字 and 问答 do not', () => {
    expect(['图解', '图表', '音频', '视频', '动漫', '图片'].every(isDiversified)).toBe(true);
    expect(['文字', '问答', '其他'].some(isDiversified)).toBe(false);
    expect(diversifiedShare([])).toBe(0);
    expect(diversifiedShare(['图解', '视频', '文字', '音频'])).toBe(0.75);
    expect(diversifiedShare([...Array(9).fill('图解'), '文字'])).toBe(0.9);
    expect(diversifiedShare(['图解', '视频', '文字', '音频']) >= diversifiedTarget(2020)).toBe(true); // 70% in 2020
    expect(diversifiedShare(['图解', '视频', '文字', '音频']) >= diversifiedTarget(2021)).toBe(false); // 90% from 2021
    fc.assert(
      fc.property(fc.array(fc.constantFrom('文字', '图解', '图表', '音频', '视频', '动漫', '问答', '其他')), (formats) => {
        const s = diversifiedShare(formats);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(Math.round(s * formats.length)).toBe(formats.filter(isDiversified).length);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { legalBasisOf, takeStep } from '#shared/domain/application';
import { extractDocument } from '#shared/extract/index';
import { answerModel, completionModel, type AnswerContext } from '#shared/render/answer';
import { breakBetween, missingMark, PdfRenderError, renderPdf, wrapText } from '#shared/render/pdf';
import { plainText, type PrintDocument } from '#shared/render/pdf-model';
import { clerk, registered, decided } from '../support/applications.ts';

const ctx: AnswerContext = {
  bodyName: '运城市盐湖区人民政府',
  bodyContact: { office: '运城市盐湖区人民政府办公室（政务公开办）', address: '运城市盐湖区人民路1号', phone: '0359-2000000' },
  documents: [{ id: 'doc-a', title: '关于印发2025年老旧小区改造实施方案的通知', number: '盐政办发〔2025〕8号' }],
  reviewBody: '运城市人民政府',
  reference: '盐政公开〔2026〕第12号',
};
const ANSWERS = {
  予以公开: { type: '予以公开', given: '2025年老旧小区改造项目资金安排文件', documents: ['doc-a'], publishedAt: '盐湖区人民政府网站“政府信息公开”栏目' },
  部分公开: {
    type: '部分公开',
    given: '资金安排总表',
    documents: ['doc-a'],
    withheld: [{ what: '施工单位报价明细', ground: 'third-party', reason: '涉及企业商业秘密，第三方不同意公开' }],
  },
  不予公开: { type: '不予公开', withheld: [{ what: '项目安全评估报告', ground: 'security', reason: '公开后可能危及公共安全' }] },
  无法提供: { type: '无法提供', reason: 'not-held', explanation: '该项目由市住建局组织实施，本机关未制作或获取该信息。', holder: '运城市住房和城乡建设局，电话0359-3000000' },
  不予处理: { type: '不予处理', reason: 'petition', explanation: '申请内容为投诉物业管理问题，请通过12345热线反映。' },
  其他处理: { type: '其他处理', reason: 'not-completed', explanation: '申请人未在补正期限内补正。' },
} as const;

/** What pdf-parse reads from the PDF, white space removed (a line of the PDF may end anywhere between Han characters). */
async function pdfText(bytes: Uint8Array): Promise<{ text: string; pages: number }> {
  const x = await extractDocument(bytes);
  // The page numbers sit at the foot of each page: between two pages' text, not inside a statement.
  return { text: x.rawText.replace(/\s+/g, '').replace(/第\d+页\/共\d+页/g, (m) => `[${m}]`), pages: x.pages ?? 0 };
}
const squash = (s: string) => s.replace(/\s+/g, '');

/** Every statement of the model (each paragraph, list item, cell, line) is in the PDF's text, in full. */
async function expectSameStatements(model: PrintDocument) {
  const pdf = await renderPdf(model);
  expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
  const { text } = await pdfText(pdf.bytes);
  const unpaged = text.replace(/\[第\d+页\/共\d+页\]/g, '');
  for (const s of plainText(model).map(squash).filter(Boolean)) expect(unpaged, s.slice(0, 40)).toContain(s);
  return { pdf, text: unpaged, paged: text };
}

describe('the answer PDF (Art. 36)', () => {
  for (const type of Object.keys(ANSWERS) as (keyof typeof ANSWERS)[]) {
    it(`${type}: says what the printable page says, as extractable text with the font embedded`, async () => {
      const app = decided(ANSWERS[type]);
      const model = answerModel(app, ctx);
      const { pdf, text, paged } = await expectSameStatements(model);
      expect(text).toContain('张三：');
      expect(text).toContain('2025年本区老旧小区改造项目的资金安排情况');
      expect(text).toContain(type);
      for (const b of legalBasisOf(app.decision!.answer)) expect(text).toContain(squash(`${b.zh}：${b.article}`));
      expect(text).toContain('60日内');
      expect(text).toContain(type === '不予公开' ? '自收到行政复议决定书之日起15日内' : '6个月内');
      expect(paged).toMatch(/\[第1页\/共\d+页\]/);
      expect(text).not.toContain('110101199003071234');
      // A subset of the font, embedded: a letter stays small.
      expect(pdf.bytes.length).toBeLessThan(200_000);
      expect(Buffer.from(pdf.bytes).toString('latin1')).toMatch(/\/FontFile2/);
      expect(pdf.missing).toEqual([]);
    });
  }

  it('the completion notice says what its page says', async () => {
    const asked = takeStep(
      registered(),
      { step: 'request-completion', items: ['请写明所需信息的年份', '请说明所需信息的文件名称或<文号>'] },
      { who: clerk, as: 'infocenter' },
      '2026-10-12',
      '2026-10-12T03:00:00Z',
    ).application;
    const { text } = await expectSameStatements(completionModel(asked, { ...ctx, completionWorkingDays: 15 }));
    expect(text).toContain('政府信息公开申请补正告知书');
    expect(text).toContain('请说明所需信息的文件名称或<文号>');
    expect(text).toContain('15个工作日内');
  });

  it('gives the same bytes for the same letter', async () => {
    const model = answerModel(decided(ANSWERS.不予公开), ctx);
    const [a, b] = [await renderPdf(model), await renderPdf(model)];
    expect(Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes))).toBe(0);
  });
});

describe('text and pages', () => {
  const measure = (s: string) => [...s].length * 10;

  it('breaks between Han characters, never inside a Latin word, never before a closing mark', () => {
    expect(breakBetween('政', '府')).toBe(true);
    expect(breakBetween('a', 'b')).toBe(false);
    expect(breakBetween('府', '，')).toBe(false);
    expect(breakBetween('（', '政')).toBe(false);
    const lines = wrapText([{ text: '申请获取internationalization的政府信息，共计十二项内容。' }], 300, measure).map((l) => l.pieces.map((p) => p.text).join(''));
    expect(lines.some((l) => l.includes('internationalization'))).toBe(true);
    for (const l of lines) expect(l).not.toMatch(/^[，。]/);
    expect(lines.join('')).toBe('申请获取internationalization的政府信息，共计十二项内容。');
  });

  it('runs a long letter over several pages, a long table row too', async () => {
    const long = '本机关经审查认为，该申请涉及的信息数量较大，需要逐项核实。'.repeat(60);
    const app = decided({ ...ANSWERS.不予公开, withheld: [{ what: long.slice(0, 500), ground: 'security', reason: long.slice(0, 1000) }] }, { description: long.slice(0, 2000) });
    const { pdf, paged: text } = await expectSameStatements(answerModel(app, ctx));
    expect(pdf.pages).toBeGreaterThan(3);
    expect(text).toContain(`[第1页/共${pdf.pages}页]`);
    expect(text).toContain(`[第${pdf.pages}页/共${pdf.pages}页]`);
  });

  it('20,000 characters, markup, bidi marks and characters the font lacks: a valid PDF', async () => {
    const hostile = `<script>alert(1)</script>\u202e反向\u200f文字😀𓀀${'长'.repeat(20_000)}`;
    const model: PrintDocument = {
      title: '<b>标题</b>',
      reference: '号\u202e',
      author: '某机关',
      date: '2026-10-26',
      blocks: [
        { kind: 'paragraph', text: [{ text: hostile }] },
        {
          kind: 'table',
          className: 't',
          caption: '表',
          columns: [{ header: '甲' }, { header: '乙' }],
          header: true,
          rows: [[[{ text: hostile.slice(0, 3000) }], [{ text: 'x' }]]],
        },
        { kind: 'signature', lines: ['某机关', '2026年10月26日'] },
      ],
    };
    const pdf = await renderPdf(model);
    const { text, pages } = await pdfText(pdf.bytes);
    expect(pages).toBe(pdf.pages);
    expect(pdf.pages).toBeGreaterThan(10);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('<b>标题</b>');
    expect(text).toContain('反向文字');
    expect(text).not.toMatch(/[\u202e\u200f]/);
    expect(pdf.missing).toEqual(['😀', '𓀀']);
    expect(text).toContain(missingMark('😀'));
    expect(missingMark('😀')).toBe('〔U+1F600〕');
  });

  it('refuses a document past the page bound with a bilingual message', async () => {
    const model: PrintDocument = {
      title: '长',
      reference: '号',
      author: '某',
      date: '2026-10-26',
      blocks: Array.from({ length: 9000 }, () => ({ kind: 'paragraph', text: [{ text: '一' }] })),
    };
    const err = await renderPdf(model).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PdfRenderError);
    expect((err as PdfRenderError).zh).toContain('页');
    expect((err as PdfRenderError).en).toContain('pages');
  });
});

import { describe, expect, it } from 'vitest';
import { deliveryCopy, missingPassages, redactionMark, redactText } from '#shared/render/delivery';

/** The applicant's copy of a document (issue 12.4): withheld passages redacted with their ground, all text escaped. */
describe('redactText', () => {
  it('replaces every occurrence of a passage with its ground, ignoring white space and line breaks', () => {
    const text = '第一条 原料配方为甲乙丙。\n第二条 原料配\n方为甲乙丙。第三条 其他。';
    const out = redactText(text, [{ ground: 'third-party', passages: ['原料配方为 甲乙丙'] }]);
    expect(out.redacted).toBe(2);
    expect(out.text).toBe(`第一条 ${redactionMark('third-party')}。\n第二条 ${redactionMark('third-party')}。第三条 其他。`);
  });

  it('takes the longest passage first, so one inside another does not split it', () => {
    const out = redactText('甲公司年产量为三万吨，利润为两千万元。', [
      { ground: 'process', passages: ['三万吨'] },
      { ground: 'third-party', passages: ['年产量为三万吨，利润为两千万元'] },
    ]);
    expect(out).toEqual({ text: `甲公司${redactionMark('third-party')}。`, redacted: 1 });
  });

  it('treats a passage as literal text (regular-expression characters included)', () => {
    expect(redactText('费用为 (a+b)*2 元', [{ ground: 'internal', passages: ['(a+b)*2'] }]).text).toBe(`费用为 ${redactionMark('internal')} 元`);
    expect(missingPassages('费用为 a+b 元', [{ ground: 'internal', passages: ['.*'] }])).toEqual(['.*']);
  });

  it('names the passages the text does not hold', () => {
    expect(missingPassages('正文内容', [{ ground: 'secret', passages: ['正文', '不存在的段落'] }])).toEqual(['不存在的段落']);
  });
});

describe('deliveryCopy', () => {
  it('is a complete page with every value escaped and no script', () => {
    const { html, redacted } = deliveryCopy({
      bodyName: '示例县人民政府',
      trackingCode: 'ABCD-1234-EFGH-5678',
      applicantName: '<img src=x onerror=alert(1)>',
      answerType: '部分公开',
      decidedOn: '2026-03-20',
      title: '关于<script>alert(1)</script>的报告',
      text: '第一段。\n第二段含秘密内容。',
      masked: 0,
      redactions: [{ ground: 'third-party', passages: ['秘密内容'] }],
    });
    expect(redacted).toBe(1);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain(`<p>第二段含${redactionMark('third-party')}。</p>`);
    expect(html).toContain("default-src 'none'");
  });
});

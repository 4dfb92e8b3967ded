import { describe, expect, it } from 'vitest';
import {
  Answer,
  ApplicationInput,
  legalBasisOf,
  NOT_PROCESSED_REASONS,
  OTHER_REASONS,
  register,
  takeStep,
  UNAVAILABLE_REASONS,
  WITHHOLD_GROUNDS,
} from '#shared/domain/application';
import { answerDocument, answerTitle, completionNotice, zhDate, type AnswerContext } from '#shared/render/answer';
import { ID_NUMBER, clerk, approver, input, registered, decided } from '../support/applications.ts';

const ctx: AnswerContext = {
  bodyName: '运城市盐湖区人民政府',
  bodyContact: { office: '运城市盐湖区人民政府办公室（政务公开办）', address: '运城市盐湖区人民路1号', phone: '0359-2000000' },
  documents: [
    { id: 'doc-a', title: '关于印发2025年老旧小区改造实施方案的通知', number: '盐政办发〔2025〕8号' },
    { id: 'doc-b', title: '2025年老旧小区改造资金分配表' },
  ],
  reviewBody: '运城市人民政府',
  reference: '盐政公开〔2026〕第12号',
};

const ANSWERS = {
  予以公开: { type: '予以公开', given: '2025年老旧小区改造项目资金安排文件', documents: ['doc-a', 'doc-b'], publishedAt: '盐湖区人民政府网站“政府信息公开”栏目' },
  部分公开: {
    type: '部分公开',
    given: '资金安排总表',
    documents: ['doc-a'],
    withheld: [
      { what: '施工单位报价明细', ground: 'third-party', reason: '涉及企业商业秘密，第三方不同意公开' },
      { what: '局务会讨论记录', ground: 'process', reason: '属于内部讨论记录' },
    ],
  },
  不予公开: { type: '不予公开', withheld: [{ what: '项目安全评估报告', ground: 'security', reason: '公开后可能危及公共安全' }] },
  无法提供: { type: '无法提供', reason: 'not-held', explanation: '该项目由市住建局组织实施，本机关未制作或获取该信息。', holder: '运城市住房和城乡建设局，电话0359-3000000' },
  不予处理: { type: '不予处理', reason: 'petition', explanation: '申请内容为投诉物业管理问题，请通过12345热线反映。' },
  其他处理: { type: '其他处理', reason: 'not-completed', explanation: '申请人未在补正期限内补正。' },
} as const;

/** What each decision's text must say. */
const DECISION_TEXT: Record<keyof typeof ANSWERS, string[]> = {
  予以公开: [
    '予以公开',
    '2025年老旧小区改造项目资金安排文件',
    '关于印发2025年老旧小区改造实施方案的通知',
    '盐政办发〔2025〕8号',
    '2025年老旧小区改造资金分配表',
    '盐湖区人民政府网站“政府信息公开”栏目',
  ],
  部分公开: [
    '部分公开',
    '资金安排总表',
    '施工单位报价明细',
    '涉及企业商业秘密，第三方不同意公开',
    '局务会讨论记录',
    WITHHOLD_GROUNDS['third-party'].zh,
    WITHHOLD_GROUNDS.process.zh,
  ],
  不予公开: ['不予公开', '项目安全评估报告', '公开后可能危及公共安全', '危及“三安全一稳定”'],
  无法提供: ['无法提供', UNAVAILABLE_REASONS['not-held'].zh, '该项目由市住建局组织实施', '运城市住房和城乡建设局，电话0359-3000000'],
  不予处理: ['不予处理', NOT_PROCESSED_REASONS.petition.zh, '请通过12345热线反映'],
  其他处理: ['其他处理', OTHER_REASONS['not-completed'].zh, '申请人未在补正期限内补正'],
};

const TITLES: Record<keyof typeof ANSWERS, string> = {
  予以公开: '政府信息公开申请答复书',
  部分公开: '政府信息公开申请答复书',
  不予公开: '政府信息公开申请答复书',
  无法提供: '政府信息公开申请告知书',
  不予处理: '政府信息公开申请告知书',
  其他处理: '政府信息公开申请告知书',
};

/** The text of a page with its tags removed (what a reader sees), to find phrases split by markup. */
const textOf = (page: string) => page.replace(/<[^>]+>/g, '');

function expectHtml5Page(page: string) {
  expect(page).toMatch(/^<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">/);
  expect(page).toMatch(/<title>[^<]+<\/title>/);
  expect(page).toMatch(/<style>[\s\S]*@media print[\s\S]*<\/style>/);
  expect(page.match(/<h1>/g)).toHaveLength(1);
  expect(page).not.toMatch(/<script/i);
  expect(page).not.toMatch(/<link|src=|href=|url\(/i);
  expect(page.trimEnd()).toMatch(/<\/html>$/);
}

describe('the answer document (Art. 36)', () => {
  for (const type of Object.keys(ANSWERS) as (keyof typeof ANSWERS)[]) {
    describe(type, () => {
      const app = decided(ANSWERS[type]);
      const page = answerDocument(app, ctx);
      const text = textOf(page);

      it('has the title for its type, the reference, the applicant and the request', () => {
        expect(answerTitle(app.decision!.answer)).toBe(TITLES[type]);
        expect(page).toContain(`<h1>${TITLES[type]}</h1>`);
        expect(page).toContain(`<title>${TITLES[type]}（盐政公开〔2026〕第12号）</title>`);
        expect(text).toContain('盐政公开〔2026〕第12号');
        expect(text).toContain('张三：');
        expect(text).toContain('2025年本区老旧小区改造项目的资金安排情况');
        expect(text).toContain('YSQ-2026-0042');
        expect(text).toContain('本机关于2026年10月9日收到您通过互联网提交的政府信息公开申请');
      });

      it('states the decision and what it rests on, article by article', () => {
        for (const s of DECISION_TEXT[type]) expect(text, s).toContain(s);
        const basis = legalBasisOf(app.decision!.answer);
        expect(basis.length).toBeGreaterThan(0);
        for (const b of basis) expect(text, b.article).toContain(`${b.zh}：${b.article}`);
      });

      it('states how the information or the letter is delivered, and in what form', () => {
        expect(text).toContain('电子邮件');
        expect(text).toContain('电子文档');
      });

      it('tells the applicant the remedies and their time limits', () => {
        expect(text).toContain('60日内');
        expect(text).toContain('《中华人民共和国行政复议法》');
        expect(text).toContain('向运城市人民政府申请行政复议');
        expect(text).toContain('《中华人民共和国行政诉讼法》');
        if (type === '不予公开') {
          // 行政复议法 (2023) Art. 23(1)(四): a refusal goes to review first.
          expect(text).toContain('第二十三条第一款第（四）项的规定，先自收到本答复书之日起60日内向运城市人民政府申请行政复议');
          expect(text).toContain('自收到行政复议决定书之日起15日内');
          expect(text).not.toContain('6个月');
        } else {
          expect(text).toContain('6个月内');
          expect(text).toContain('提起行政诉讼');
        }
        if (type === '部分公开') expect(text).toContain('如对本答复中不予公开的部分不服，应当依照《中华人民共和国行政复议法》第二十三条第一款第（四）项的规定，先');
      });

      it('is signed by the body, dated the day of the decision, with its contact', () => {
        expect(app.decision!.on).toBe('2026-10-26');
        expect(text).toMatch(/运城市盐湖区人民政府\s*2026年10月26日/);
        expect(text).toContain('运城市盐湖区人民政府办公室（政务公开办）');
        expect(text).toContain('运城市盐湖区人民路1号');
        expect(text).toContain('0359-2000000');
      });

      it('never prints the identity number whole', () => {
        expect(page).not.toContain(ID_NUMBER);
        expect(page).toContain('11**************34');
      });

      it('is a complete HTML5 page with no script and nothing loaded from elsewhere', () => {
        expectHtml5Page(page);
        if (type === '部分公开' || type === '不予公开') {
          expect(page).toContain('<caption>不予公开的内容、理由及法律依据</caption>');
          expect(page).toContain('<th scope="col">不予公开的内容</th>');
          expect(page).toContain('<th scope="col">法律依据</th>');
          expect(page).toContain(`<td>${WITHHOLD_GROUNDS[type === '不予公开' ? 'security' : 'third-party'].article}</td>`);
        } else {
          expect(page).not.toContain('不予公开的内容、理由及法律依据');
        }
        if (type === '予以公开') expect(page).toContain('<caption>提供的政府信息</caption>');
      });
    });
  }

  it('escapes what the applicant wrote', () => {
    const app = decided(ANSWERS.部分公开, { name: '<script>alert(1)</script>', description: '资金<script>alert("x")</script>情况' });
    const page = answerDocument(app, ctx);
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('资金&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;情况');
  });

  it('escapes what the office wrote and what the context gives', () => {
    const answer = { ...ANSWERS.不予公开, withheld: [{ what: '<img src=x onerror=alert(1)>', ground: 'internal', reason: '<b>内部</b>' }] };
    const page = answerDocument(decided(answer), { ...ctx, bodyName: '<i>某机关</i>', reference: '<u>号</u>' });
    expect(page).not.toMatch(/<img|<b>|<i>|<u>/);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('addresses an organisation by its name and keeps line breaks of long text', () => {
    const org = ApplicationInput.parse({
      ...input(),
      applicant: {
        type: '法人或其他组织',
        name: '运城市某某建筑有限公司',
        organisationKind: '商业企业',
        representative: '赵六',
        idType: '统一社会信用代码',
        idNumber: '91140802MA0K123456',
        phone: '0359-7654321',
        email: 'office@example.cn',
      },
    });
    const base = register({ id: 'app-2', trackingCode: 'YSQ-2026-0043', input: org, channel: '信函', receivedOn: '2026-10-09', by: clerk, at: '2026-10-09T02:00:00Z' });
    const proposed = takeStep(
      base,
      { step: 'propose', answer: Answer.parse({ type: '不予处理', reason: 'repeated', explanation: '第一行\n第二行' }) },
      { who: clerk, as: 'infocenter' },
      '2026-10-20',
      '2026-10-20T03:00:00Z',
    );
    const app = takeStep(proposed.application, { step: 'approve' }, { who: approver, as: 'approver' }, '2026-10-26', '2026-10-26T03:00:00Z').application;
    const page = answerDocument(app, { bodyName: '运城市盐湖区人民政府', reference: '盐政公开〔2026〕第13号' });
    const text = textOf(page);
    expect(text).toContain('运城市某某建筑有限公司：');
    expect(text).toContain('申请人名称运城市某某建筑有限公司');
    expect(text).toContain('赵六');
    expect(text).toContain('贵单位以信函方式提交的政府信息公开申请');
    expect(page).toContain('第一行<br>第二行');
    expect(page).not.toContain('91140802MA0K123456');
    // Without a review body named, the letter still tells the remedy.
    expect(text).toContain('可以依照《中华人民共和国行政复议法》，自收到本告知书之日起60日内申请行政复议');
  });

  it('refuses an application with no decision, and a document it cannot name', () => {
    expect(() => answerDocument(registered(), ctx)).toThrow(Error);
    expect(() => answerDocument(decided(ANSWERS.予以公开), { ...ctx, documents: [] })).toThrow(/doc-a/);
  });

  it('writes dates as letters do', () => {
    expect(zhDate('2026-10-26')).toBe('2026年10月26日');
    expect(zhDate('2026-01-05')).toBe('2026年1月5日');
  });
});

describe('the completion notice (Art. 30)', () => {
  const asked = takeStep(
    registered(),
    { step: 'request-completion', items: ['请写明所需信息的年份', '请说明所需信息的文件名称或<文号>'] },
    { who: clerk, as: 'infocenter' },
    '2026-10-12',
    '2026-10-12T03:00:00Z',
  ).application;

  it('lists what to complete, restarts the clock, and says what happens without completion', () => {
    const page = completionNotice(asked, { ...ctx, reference: '盐政公开补〔2026〕第3号', completionWorkingDays: 15 });
    const text = textOf(page);
    expectHtml5Page(page);
    expect(page).toContain('<h1>政府信息公开申请补正告知书</h1>');
    expect(text).toContain('盐政公开补〔2026〕第3号');
    expect(text).toContain('张三：');
    expect(text).toContain('2025年本区老旧小区改造项目的资金安排情况');
    expect(text).toContain('本机关于2026年10月9日收到');
    expect(page).toContain('<li>请写明所需信息的年份</li>');
    expect(page).toContain('<li>请说明所需信息的文件名称或&lt;文号&gt;</li>');
    expect(text).toContain('《中华人民共和国政府信息公开条例》第三十条');
    expect(text).toContain('自收到本告知书之日起15个工作日内');
    expect(text).toContain('答复期限自本机关收到补正后的申请之日起重新计算');
    expect(text).toContain('无正当理由逾期不补正的，视为放弃申请');
    expect(text).toMatch(/运城市盐湖区人民政府\s*2026年10月12日/);
    expect(page).not.toContain(ID_NUMBER);
  });

  it('refuses an application that was never asked to complete', () => {
    expect(() => completionNotice(registered(), ctx)).toThrow(Error);
  });

  it('shows, once completed, the day the completed application counts from', () => {
    const completed = takeStep(
      asked,
      { step: 'complete', supplement: '2025年度', on: '2026-10-15' },
      { who: clerk, as: 'infocenter' },
      '2026-10-15',
      '2026-10-15T03:00:00Z',
    ).application;
    const proposed = takeStep(completed, { step: 'propose', answer: Answer.parse(ANSWERS.无法提供) }, { who: clerk, as: 'infocenter' }, '2026-10-20', '2026-10-20T03:00:00Z');
    const app = takeStep(proposed.application, { step: 'approve' }, { who: approver, as: 'approver' }, '2026-10-26', '2026-10-26T03:00:00Z').application;
    const text = textOf(answerDocument(app, ctx));
    expect(text).toContain('并于2026年10月15日收到补正后的申请');
    expect(text).toContain('收到补正申请日期2026年10月15日');
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, html, trusted } from '#shared/render/html';
import { documentPage, withdrawnPage } from '#shared/render/site';
import { ARCHIVE_LINKS, homePage, listIndexPage, listPage } from '#shared/render/columns';
import { entryOf, validityOf, validityStatus } from '#shared/site/catalogue';
import type { Draft } from '#shared/domain/draft';
import { validForm } from '../support/forms.ts';

describe('the HTML template', () => {
  it('escapes every interpolated string, including inside attributes', () => {
    const evil = `"><script>alert(1)</script>'`;
    const out = html`<a title="${evil}">${evil}</a>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toBe(`<a title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;</a>`);
  });
  it('nests templates without double escaping and keeps trusted markup', () => {
    expect(html`<ul>${['a<b', 'c'].map((x) => html`<li>${x}</li>`)}</ul>${trusted('<br>')}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul><br>');
  });
  it('never lets a string produce a tag (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"'`]/);
      }),
    );
  });
});

const draft = (over: Partial<Draft> = {}): Draft => ({
  id: '01M806JW014YVQSZSQB6PP6K3F',
  version: 5,
  revision: 1,
  status: 'PUBLISHING',
  form: validForm({ title: '标题<script>x</script>' }),
  submitter: { sub: 's', name: 'n', role: 'drafter' },
  files: { document: { key: 'k', fileName: 'a.pdf', contentType: 'application/pdf', maxBytes: 1, textKey: 't' } },
  findings: [],
  history: [],
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  stageEnteredAt: '2026-01-01T00:00:00Z',
  ...over,
});

describe('the pages', () => {
  it('are Chinese-language documents with a phone viewport and no scripts', () => {
    const page = documentPage(draft(), '第一段\n第二段 <b>粗</b>', INFO);
    expect(page).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(page).toContain('name="viewport"');
    expect(page).toContain("script-src 'none'");
    expect(page).toContain('<p>第一段</p>');
    expect(page).toContain('<p>第二段 &lt;b&gt;粗&lt;/b&gt;</p>');
    expect(page).not.toContain('<script>x');
  });
  it('link a policy document to its interpretation only when it has one', () => {
    expect(documentPage(draft(), 'x', INFO)).not.toContain('../interpretations/01M806JW014YVQSZSQB6PP6K3F.html');
    const withInterp = draft({ files: { ...draft().files, interpretation: { key: 'i', fileName: 'i.txt', contentType: 'text/plain', maxBytes: 1, textKey: 'it' } } });
    expect(documentPage(withInterp, 'x', INFO)).toContain('../interpretations/01M806JW014YVQSZSQB6PP6K3F.html');
    expect(homePage([entryOf(withInterp, 'X/2026-00001', '概述')], [])).toContain('【解读】');
  });
  it('show the metadata table with 索引号 and, for normative documents, validity and its status', () => {
    const normative = draft({ form: validForm({ documentType: '行政规范性文件', documentDate: '2020-01-01', validity: { years: 5 } }) });
    expect(validityOf(normative.form)).toEqual({ from: '2020-01-01', until: '2024-12-31' });
    expect(validityStatus(validityOf(normative.form)!, '2026-11-22')).toBe('已失效');
    const page = documentPage(normative, 'x', { ...INFO, indexNumber: 'ORG/2020-00007' });
    for (const label of ['索引号', '发文机关', '成文日期', '发文字号', '领域', '有效期']) expect(page).toContain(`<th scope="row">${label}</th>`);
    expect(page).toContain('ORG/2020-00007');
    expect(page).toContain('2020-01-01 至 2024-12-31（已失效）');
    expect(page).toContain('不提供下载');
    expect(documentPage(normative, 'x', { ...INFO, file: { key: 'files/a.pdf', label: 'PDF', size: 2048 } })).toContain('href="../files/a.pdf"');
  });
  it('paginate lists stably: archive pages link to their neighbours and the index lists every page', () => {
    const e = entryOf(draft(), 'X/2026-00001', '概述<b>');
    const index = listIndexPage('catalogue', [e], { next: 41, live: 40 }, '2026-11-22');
    expect(index).toContain('href="page-3.html"');
    expect(index).toContain('<th scope="col">索引号</th>');
    expect(index).toContain('概述&lt;b&gt;');
    const middle = listPage('catalogue', 2, [e], { next: 41, live: 40 }, '2026-11-22');
    expect(middle).toContain('href="page-3.html">较新一页');
    expect(middle).toContain('href="page-1.html">较早一页');
    expect(middle).toContain('href="../../documents/01M806JW014YVQSZSQB6PP6K3F.html"');
  });
  it('bound the front page of a long list (issue 17.2): its newest archive pages, the oldest, its years; each page reaches the rest', () => {
    const e = entryOf(draft(), 'X/2026-00001', '概述');
    const pages = 1500; // 30,000 entries
    const counter = { next: pages * 20, live: pages * 20 };
    const index = listIndexPage('catalogue', [e], counter, '2026-11-22', undefined, ['2026', '2025']);
    const linked = [...index.matchAll(/href="page-(\d+)\.html"/g)].map((m) => Number(m[1]));
    expect(linked.length).toBeLessThanOrEqual(ARCHIVE_LINKS + 2);
    expect(linked).toEqual(expect.arrayContaining([1500, 1491, 1490, 1]));
    expect(index).toContain('href="../../columns/year-2026/index.html">2026年');
    // From any page, links lead ten pages on and back, to the neighbours and the first: all within the list.
    const middle = listPage('catalogue', 700, [e], counter, '2026-11-22');
    const around = [...middle.matchAll(/href="page-(\d+)\.html"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    expect(around).toEqual([1, 690, 699, 701, 710]);
    const last = listPage('catalogue', 1500, [e], counter, '2026-11-22');
    expect([...last.matchAll(/href="page-(\d+)\.html"/g)].map((m) => Number(m[1])).every((k) => k >= 1 && k < 1500)).toBe(true);
  });
  it('show the normative column by state on its front page and on every archive page', () => {
    const normative = draft({ form: validForm({ documentType: '行政规范性文件', documentDate: '2020-01-01', validity: { years: 5 } }) });
    const e = entryOf(normative, 'X/2020-00001', '概述');
    for (const page of [listIndexPage('normative', [e], { next: 41, live: 40 }, '2026-11-22'), listPage('normative', 1, [e], { next: 41, live: 40 }, '2026-11-22')]) {
      for (const h of ['现行有效', '已失效', '已废止、已修订']) expect(page).toContain(`<h2>${h}</h2>`);
      expect(page.indexOf('documents/01M806JW014YVQSZSQB6PP6K3F.html')).toBeGreaterThan(page.indexOf('<h2>已失效</h2>'));
    }
  });
  it('turn a withdrawn document into a notice with the reason and no text', () => {
    const d = draft({ status: 'WITHDRAWN', withdrawal: { reason: '内容已被新文件替代<i>', at: '2026-11-20T01:00:00Z', by: { sub: 'a', name: 'A', role: 'approver' } } });
    const page = withdrawnPage(d, { indexNumber: 'ORG/2026-00001' });
    expect(page).toContain('本文件已撤回');
    expect(page).toContain('撤回原因：内容已被新文件替代&lt;i&gt;');
    expect(page).toContain('撤回日期：2026-11-20');
  });
});

const INFO = { today: '2026-11-22' } as const;

describe('reflowing PDF text', () => {
  it('rejoins lines cut at the page width and keeps titles, items and sentence ends apart', async () => {
    const { reflow } = await import('#shared/render/reflow');
    const full = '为贯彻落实有关文件精神，提升我省基层政务公开工作整体水平，经省政府同';
    const text = [
      '江西省人民政府办公厅',
      '实施意见',
      full,
      '意，现提出以下实施意见。',
      '一、明确基本原则总体目标。坚持标准引领、整体推进，需求导向、服务',
      '群众。',
      full,
      '二、梳理基层政务公开事项。',
    ].join('\n');
    expect(reflow(text).split('\n')).toEqual([
      '江西省人民政府办公厅',
      '实施意见',
      `${full}意，现提出以下实施意见。`,
      '一、明确基本原则总体目标。坚持标准引领、整体推进，需求导向、服务群众。',
      full,
      '二、梳理基层政务公开事项。',
    ]);
  });
});

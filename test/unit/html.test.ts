import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, html, trusted } from '#shared/render/html';
import { documentPage, homePage } from '#shared/render/site';
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
    const page = documentPage(draft(), '第一段\n第二段 <b>粗</b>');
    expect(page).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(page).toContain('name="viewport"');
    expect(page).toContain("script-src 'none'");
    expect(page).toContain('<p>第一段</p>');
    expect(page).toContain('<p>第二段 &lt;b&gt;粗&lt;/b&gt;</p>');
    expect(page).not.toContain('<script>x');
  });
  it('link a policy document to its interpretation only when it has one', () => {
    expect(documentPage(draft(), 'x')).not.toContain('interpretations/');
    const withInterp = draft({ files: { ...draft().files, interpretation: { key: 'i', fileName: 'i.txt', contentType: 'text/plain', maxBytes: 1, textKey: 'it' } } });
    expect(documentPage(withInterp, 'x')).toContain('../interpretations/01M806JW014YVQSZSQB6PP6K3F.html');
    expect(homePage([withInterp])).toContain('【解读】');
  });
});

describe('reflowing PDF text', () => {
  it('rejoins lines cut at the page width and keeps titles, items and sentence ends apart', async () => {
    const { reflow } = await import('#shared/render/reflow');
    const full = '为贯彻落实有关文件精神，提升我省基层政务公开工作整体水平，经省政府同';
    const text = ['江西省人民政府办公厅', '实施意见', full, '意，现提出以下实施意见。', '一、明确基本原则总体目标。坚持标准引领、整体推进，需求导向、服务', '群众。', full, '二、梳理基层政务公开事项。'].join('\n');
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

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { trusted } from '#shared/render/html';
import { layout, sectionDepth, sectionOf, sitePaths } from '#shared/render/site';
import { placeholderValues, type Body } from '#shared/domain/body';
import { siteConfig, type SiteConfig } from '#shared/site/config';

/**
 * 政府信息公开指南 and 政府信息公开制度 (条例 Art. 12): written by the government in
 * config/site/guide.md and system.md, rendered at deployment into about/guide.html and
 * about/system.html (CDK: a BucketDeployment confined to about/; locally: at stack start).
 * Markdown only: raw HTML in the files is shown as text, never passed through (html: false),
 * and markdown-it refuses javascript: and other unsafe link targets. `{{office}}` and the other
 * settings of config/site.json are filled in.
 */
const PAGES = [
  { name: 'guide', key: sitePaths.guide },
  { name: 'system', key: sitePaths.system },
] as const;

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

/**
 * `{{office}}`, `{{phone}}`… in the files are the contact details of config/site.json, so
 * they are written once. An unknown or empty placeholder is an error at deployment.
 */
function fillIn(source: string, file: string, config: SiteConfig): string {
  return source.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value = (config as unknown as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value === '') throw new Error(`${file}: {{${name}}} is not a setting of config/site.json`);
    return value;
  });
}

/** The page title: the first level-1 heading of the file. */
function titleOf(source: string, file: string): string {
  const m = /^#\s+(.+?)\s*#*\s*$/m.exec(source);
  if (!m) throw new Error(`${file}: the page needs a level-1 heading (# 标题) for its title`);
  return m[1]!;
}

/** Renders the about pages from `<root>/config/site/*.md`: site keys and page bodies. */
export function renderAboutPages(root: string): { key: string; body: string }[] {
  return PAGES.map(({ name, key }) => {
    const file = join(root, 'config', 'site', `${name}.md`);
    const source = fillIn(readFileSync(file, 'utf8'), file, siteConfig);
    const body = trusted(`<article class="about">\n${md.render(source)}</article>`);
    // about/<name>.html sits one folder below the root.
    return { key, body: layout(titleOf(source, file), body, { depth: 1, current: name }).value };
  });
}

/**
 * The 指南 and 制度 of a body kept on the platform (issue 16.3), in its section: its own texts
 * with its own settings filled in (the texts were checked when saved: shared/domain/body.ts).
 */
export function bodyAboutPages(body: Pick<Body, 'id' | 'name' | 'contact' | 'guide' | 'system'>): { key: string; body: string }[] {
  const section = sectionOf(body);
  const values = placeholderValues(body);
  return PAGES.map(({ name, key }) => {
    const source = body[name].replace(/\{\{\s*(\w+)\s*\}\}/g, (all, p: string) => values[p] ?? all);
    const m = /^#\s+(.+?)\s*#*\s*$/m.exec(source);
    const page = trusted(`<article class="about">\n${md.render(source)}</article>`);
    return {
      key: `${section.root}${key}`,
      body: layout(m?.[1] ?? (name === 'guide' ? '政府信息公开指南' : '政府信息公开制度'), page, { depth: 1 + sectionDepth(section), current: name, section }).value,
    };
  });
}

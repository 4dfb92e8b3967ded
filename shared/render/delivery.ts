import { WITHHOLD_GROUNDS, type WithholdGround } from '#shared/domain/application';
import { html, type SafeHtml } from '#shared/render/html';

/**
 * The copy of a Gongkai document given to one applicant (依申请公开, 条例 Art. 36(二)(三) and
 * Art. 37): the document's text as it would be published — others' personal data masked as
 * PUB-4 and the reviewers' mask decisions say (shared/render/preview.ts) — with the passages
 * the answer withholds redacted and their ground stated where they stood (区分处理). A complete HTML5 page to download: no script, nothing loaded from
 * elsewhere, every value escaped by `html`. It is written to the private bucket only and
 * reaches the applicant through short-lived links; it never goes to the public site.
 */

export interface Redaction {
  readonly ground: WithholdGround;
  /** Passages copied word for word from the document (white space may differ). */
  readonly passages?: readonly string[];
}

/** A passage as a pattern that ignores white space (a PDF's line breaks fall anywhere). */
function passagePattern(passage: string): RegExp | undefined {
  const chars = [...passage.replace(/\s+/g, '')];
  if (chars.length === 0) return undefined;
  return new RegExp(chars.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*'), 'gu');
}

/** The passages of `redactions` that do not occur in `text` (the office copies them from the document's published text). */
export function missingPassages(text: string, redactions: readonly Redaction[]): string[] {
  return redactions.flatMap((r) => (r.passages ?? []).filter((p) => !passagePattern(p)?.test(text)));
}

export const redactionMark = (ground: WithholdGround): string => `〔此处不予公开：${WITHHOLD_GROUNDS[ground].zh}，依据${WITHHOLD_GROUNDS[ground].article}〕`;

/** The text with each withheld passage replaced by its mark. */
export function redactText(text: string, redactions: readonly Redaction[]): { text: string; redacted: number } {
  let out = text;
  let redacted = 0;
  // Longest first, so a passage inside a longer one does not split it.
  const all = redactions.flatMap((r) => (r.passages ?? []).map((p) => ({ p, ground: r.ground }))).sort((a, b) => b.p.length - a.p.length);
  for (const { p, ground } of all) {
    const re = passagePattern(p);
    if (!re) continue;
    out = out.replace(re, () => {
      redacted++;
      return redactionMark(ground);
    });
  }
  return { text: out, redacted };
}

export interface DeliveryCopy {
  readonly bodyName: string;
  readonly trackingCode: string;
  readonly applicantName: string;
  readonly answerType: '予以公开' | '部分公开';
  readonly decidedOn: string;
  readonly title: string;
  readonly number?: string;
  /** The document's published text (the checked text, with the masks applied: publishedText). */
  readonly text: string;
  /** Personal data masked in it. */
  readonly masked: number;
  readonly redactions: readonly Redaction[];
}

export function deliveryCopy(c: DeliveryCopy): { html: string; redacted: number } {
  const { text, redacted } = redactText(c.text, c.redactions);
  const paragraphs: SafeHtml[] = text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => html`<p>${l}</p>`);
  const page = html`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${c.title}（依申请公开）</title>
<style>body{font-family:"Noto Serif CJK SC","Songti SC",serif;max-width:42em;margin:2em auto;padding:0 1em;line-height:1.8}
.notice{border:1px solid #999;padding:.5em 1em;font-size:.9em;background:#f6f6f6}
p{text-indent:2em;margin:.4em 0}</style>
</head>
<body>
<section class="notice" aria-label="提供说明">
<p>本件由${c.bodyName}于 ${c.decidedOn} 对政府信息公开申请（查询码 ${c.trackingCode}）作出“${c.answerType}”答复时提供，仅供申请人${c.applicantName}使用。</p>
${c.masked || redacted ? html`<p>${c.masked ? `文中他人的个人信息（${c.masked} 处）已作去标识化处理。` : ''}${redacted ? `不予公开的 ${redacted} 处内容已遮盖，并在原处注明理由和依据。` : ''}</p>` : ''}
</section>
<main>
<h1>${c.title}</h1>
${c.number ? html`<p>${c.number}</p>` : ''}
${paragraphs}
</main>
</body>
</html>
`;
  return { html: page.toString(), redacted };
}

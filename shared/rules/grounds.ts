import type { Located } from './types.ts';
import { chineseNumber } from './text.ts';

/**
 * The grounds a document may be withheld on (ATTR-2). 002 §一(一): "严格落实《政府信息公开条例》
 * 第二十条、第二十一条规定，制发文件以主动公开为主，没有明确依据和理由的，不得将文件属性认定为
 * “不予公开”或“依申请公开”"; 000 §二(三)1: "未说明不主动公开依据和理由的，不予发文".
 * The grounds themselves are 《中华人民共和国政府信息公开条例》(2019) Art. 14, 15 and 16, and
 * other laws that forbid or restrict disclosure, cited by name and article.
 */

/** Reasons that say nothing: on their own they never justify withholding a document. */
export const VAGUE_REASONS = ['不宜公开', '内部文件', '涉及敏感', '敏感', '不便公开', '暂不公开', '内部使用', '不公开', '保密', '无'] as const;

export interface LegalGround {
  readonly id: 'OGI-14' | 'OGI-15' | 'OGI-16' | 'LAW-SECRETS' | 'LAW-PIPL' | 'LAW';
  /** A quick test of a basis text (kept for callers of the earlier table; citeGrounds is the parser). */
  readonly pattern: RegExp;
  /** The ground as the drafter reads it in messages. */
  readonly zh: string;
  readonly en: string;
  /** Information withheld on this ground is never released on application (条例 Art. 14: 不予公开). */
  readonly neverOnApplication: boolean;
}

export const LEGAL_GROUNDS: readonly LegalGround[] = [
  {
    id: 'OGI-14',
    pattern: /条例.{0,12}第(十四|14)条|第(十四|14)条/,
    zh: '《政府信息公开条例》第十四条（依法确定为国家秘密的，法律、行政法规禁止公开的，公开后可能危及国家安全、公共安全、经济安全、社会稳定的，不予公开）',
    en: 'Art. 14 (state secrets; disclosure forbidden by law or administrative regulation; disclosure would endanger national, public or economic security or social stability)',
    neverOnApplication: true,
  },
  {
    id: 'OGI-15',
    pattern: /第(十五|15)条/,
    zh: '《政府信息公开条例》第十五条（涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的）',
    en: 'Art. 15 (trade secrets, personal privacy and other information whose disclosure would harm a third party)',
    neverOnApplication: false,
  },
  {
    id: 'OGI-16',
    pattern: /第(十六|16)条/,
    zh: '《政府信息公开条例》第十六条（内部事务信息，包括人事管理、后勤管理、内部工作流程等；讨论记录、过程稿、磋商信函、请示报告等过程性信息以及行政执法案卷信息）',
    en: 'Art. 16 (internal affairs such as personnel, logistics and internal procedures; process information such as discussion records, drafts, consultation letters, requests and reports; administrative enforcement files)',
    neverOnApplication: false,
  },
  {
    id: 'LAW-SECRETS',
    pattern: /《[^》]*保守国家秘密法》/,
    zh: '《中华人民共和国保守国家秘密法》（写明条款）',
    en: 'the Law on Guarding State Secrets, with its article',
    neverOnApplication: true,
  },
  {
    id: 'LAW-PIPL',
    pattern: /《[^》]*个人信息保护法》/,
    zh: '《中华人民共和国个人信息保护法》（写明条款）',
    en: 'the Personal Information Protection Law, with its article',
    neverOnApplication: false,
  },
  {
    id: 'LAW',
    pattern: /《[^》]{2,40}(法|条例|规定|办法)》/,
    zh: '其他禁止或限制公开的法律、行政法规，须写明名称和条款',
    en: 'another law or administrative regulation that forbids or restricts disclosure, named with its article',
    neverOnApplication: false,
  },
];

const groundById = (id: LegalGround['id']): LegalGround => LEGAL_GROUNDS.find((g) => g.id === id)!;

/** The grounds in one sentence, for messages. */
export const GROUNDS_LIST_ZH = LEGAL_GROUNDS.map((g) => g.zh).join('；');

/** What a legal-basis text cites, article by article. */
export type Citation =
  | { readonly kind: 'ground'; readonly ground: LegalGround; readonly article?: number; readonly span: Located }
  /** An article of the Regulations that is not a ground for withholding (e.g. Art. 20, which lists what must be disclosed). */
  | { readonly kind: 'other-article'; readonly article: number; readonly span: Located }
  /** A law named without an article. */
  | { readonly kind: 'law-without-article'; readonly ground: LegalGround; readonly span: Located };

const TITLE = /《([^》]{2,60})》/g;
const ARTICLE = /第([一二三四五六七八九十百零〇两\d]{1,6})条/g;

type Instrument = 'OGI' | LegalGround['id'] | 'none';

function instrumentOf(title: string): Instrument {
  if (/政府信息公开条例/.test(title)) return 'OGI';
  if (/保守国家秘密法/.test(title)) return 'LAW-SECRETS';
  if (/个人信息保护法/.test(title)) return 'LAW-PIPL';
  if (/(法|条例|规定|办法)$/.test(title)) return 'LAW';
  return 'none';
}

/**
 * Parses a legal basis: every 《title》 and every 第N条, each article attributed to the
 * nearest title before it. An article with no title before it belongs to the Regulations
 * (条例第十六条, or just 第十六条 in a form whose field is about the Regulations).
 */
export function citeGrounds(basis: string): Citation[] {
  const titles = [...basis.matchAll(TITLE)].map((m) => ({ start: m.index, end: m.index + m[0].length, instrument: instrumentOf(m[1]!), text: m[0] }));
  const articles = [...basis.matchAll(ARTICLE)].map((m) => ({ start: m.index, end: m.index + m[0].length, n: chineseNumber(m[1]!), text: m[0] }));
  const out: Citation[] = [];
  const titlesWithArticles = new Set<number>();
  for (const a of articles) {
    if (a.n === undefined) continue;
    let owner: (typeof titles)[number] | undefined;
    for (let i = titles.length - 1; i >= 0; i--) {
      if (titles[i]!.end <= a.start) {
        owner = titles[i];
        titlesWithArticles.add(i);
        break;
      }
    }
    const instrument: Instrument = owner ? owner.instrument : 'OGI';
    const span: Located = { start: owner ? owner.start : a.start, end: a.end, text: basis.slice(owner ? owner.start : a.start, a.end) };
    if (instrument === 'OGI') {
      if (a.n === 14 || a.n === 15 || a.n === 16) out.push({ kind: 'ground', ground: groundById(`OGI-${a.n}`), article: a.n, span });
      else out.push({ kind: 'other-article', article: a.n, span });
    } else if (instrument !== 'none') {
      out.push({ kind: 'ground', ground: groundById(instrument), article: a.n, span });
    }
  }
  titles.forEach((t, i) => {
    if (titlesWithArticles.has(i) || t.instrument === 'none' || t.instrument === 'OGI') return;
    out.push({ kind: 'law-without-article', ground: groundById(t.instrument), span: { start: t.start, end: t.end, text: t.text } });
  });
  return out.sort((x, y) => x.span.start - y.span.start);
}

/**
 * A reason or basis that says the information is a state secret ("属于国家秘密", "已定密",
 * "涉及国家秘密"), not negated ("不涉及国家秘密").
 */
export const STATE_SECRET_WORDS = /(?<![不未非无])(属于|涉及|系|为)国家秘密|已定密|定密为|国家秘密事项/;

/** The vague phrases that occur in a reason, with their positions. */
export function vaguePhrases(reason: string): Located[] {
  const out: Located[] = [];
  for (const v of VAGUE_REASONS) {
    if (v.length < 2) continue; // 无 alone would match inside real words
    let from = 0;
    for (let i = reason.indexOf(v, from); i >= 0; i = reason.indexOf(v, from)) {
      if (!out.some((o) => i >= o.start && i < o.end)) out.push({ start: i, end: i + v.length, text: v });
      from = i + v.length;
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

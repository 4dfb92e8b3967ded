import { createHash } from 'node:crypto';
import type { Draft, Part, StoredFile } from '#shared/domain/draft';
import { KEEP } from '#shared/render/mask';
import { reflow } from '#shared/render/reflow';
import { spansToMask, type MaskKind } from '#shared/rules/index';

/**
 * What is previewed is what is published (PUB-4, issue 15 item 3): the publishing stage and
 * GET /drafts/{id}/preview both call `publishedText`, so the masked spans the drafter and the
 * approver saw (and confirmed or corrected) are exactly those on the page.
 */

/** A decision on a masked span, recorded on the draft (and in its history). */
export interface MaskDecision {
  readonly revision: number;
  readonly part: Part;
  readonly spanId: string;
  readonly action: 'confirm' | 'unmask' | 'mask-more';
  /** For mask-more: the span (offsets in the extracted text) the reviewer adds. */
  readonly start?: number;
  readonly end?: number;
  readonly reason?: string;
}

export interface PreviewSpan {
  readonly id: string;
  readonly part: Part;
  readonly kind: MaskKind | 'manual';
  /** Offsets in the published text. */
  readonly start: number;
  readonly end: number;
  /** What is published in its place. */
  readonly masked: string;
  /** The original (only for those who may read the draft's text: see functions/preview-draft.ts). */
  readonly original: string;
  /** Offsets in the extracted text (what a mask-more decision refers to). */
  readonly sourceStart: number;
  readonly sourceEnd: number;
  /** masked: published masked; unmasked: a reviewer chose to publish it in clear. */
  readonly state: 'masked' | 'unmasked';
  readonly decision?: MaskDecision['action'];
}

/** A span's id: stable for the same text, part and offsets. */
export const spanIdOf = (part: Part, kind: string, start: number, end: number, text: string): string =>
  createHash('sha256').update(`${part}:${kind}:${start}:${end}:${text}`).digest('hex').slice(0, 16);

/** Kinds a reviewer may never publish in clear (PUB-4: never a private person's ID or card). */
export const NEVER_UNMASK: readonly MaskKind[] = ['resident-id', 'bank-card'];

/** The text as published, and every masked (or deliberately unmasked) span in it. */
export function publishedText(text: string, part: Part, decisions: readonly MaskDecision[]): { text: string; spans: PreviewSpan[] } {
  const own = decisions.filter((d) => d.part === part);
  const last = new Map<string, MaskDecision>();
  for (const d of own) last.set(d.spanId, d);
  const found = spansToMask(text).map((s) => ({ ...s, kind: s.kind as MaskKind | 'manual', id: spanIdOf(part, s.kind, s.start, s.end, s.text) }));
  for (const d of own) {
    if (d.action !== 'mask-more' || d.start === undefined || d.end === undefined) continue;
    if (d.start < 0 || d.end > text.length || d.start >= d.end) continue;
    if (found.some((s) => s.start < d.end! && d.start! < s.end)) continue;
    found.push({ start: d.start, end: d.end, text: text.slice(d.start, d.end), kind: 'manual', id: d.spanId });
  }
  found.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  const spans: PreviewSpan[] = [];
  for (const s of found) {
    const decision = last.get(s.id);
    const unmasked = decision?.action === 'unmask' && !(NEVER_UNMASK as readonly string[]).includes(s.kind);
    const masked = unmasked ? s.text : s.kind === 'manual' ? '*'.repeat([...s.text].length) : KEEP[s.kind](s.text);
    out += text.slice(at, s.start);
    const start = out.length;
    out += masked;
    spans.push({
      id: s.id,
      part,
      kind: s.kind,
      start,
      end: out.length,
      masked,
      original: s.text,
      sourceStart: s.start,
      sourceEnd: s.end,
      state: unmasked ? 'unmasked' : 'masked',
      ...(decision ? { decision: decision.action } : {}),
    });
    at = s.end;
  }
  return { text: out + text.slice(at), spans };
}

/** The extracted text of a part as the page shows it (PDF lines rejoined into paragraphs). */
export const pageText = (file: Pick<StoredFile, 'kind'>, extracted: string): string => (file.kind === 'pdf' ? reflow(extracted) : extracted);

/** The decisions of the draft's current revision (a new revision has a new text). */
export const decisionsOf = (draft: Draft): MaskDecision[] => (draft.maskDecisions ?? []).filter((d) => d.revision === draft.revision);

import { bi } from '#shared/errors';
import * as z from 'zod';
// Each schema is built in a pure IIFE (`/* @__PURE__ */ (() => …)()`): a function's bundle leaves out the schemas it never
// uses, rather than building them at every cold start (issue 17.5; test/unit/cold-imports.test.ts).

/**
 * Validity of a 行政规范性文件 as the public site shows it (issue 15 item 6): computed from
 * the clock, its declared 有效期 and a recorded 废止 (repeal) or 修订 (amendment, replaced by
 * another document). Pure: no AWS, no rendering.
 */

const isoDay = /* @__PURE__ */ (() => z.iso.date({ error: bi('日期应为 YYYY-MM-DD', 'the date must be YYYY-MM-DD') }))();

/** A 废止 or 修订 recorded on the old document (by an approver). */
export const ValidityChange = /* @__PURE__ */ (() =>
  z.object({
    kind: z.enum(['repealed', 'amended']),
    /** The day it takes effect (YYYY-MM-DD, China Standard Time). */
    date: isoDay,
    reason: z.string().optional(),
    replacedBy: z.object({ id: z.string(), title: z.string(), documentNumber: z.string().optional() }).optional(),
    by: z.object({ sub: z.string(), name: z.string(), role: z.string() }),
    at: z.string(),
  }))();
export type ValidityChange = z.infer<typeof ValidityChange>;

/** On the replacing document: the older documents it replaces (its page links back to them). */
export const Replacement = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    title: z.string(),
    documentNumber: z.string().optional(),
    kind: z.enum(['repealed', 'amended']),
    date: isoDay,
  }))();
export type Replacement = z.infer<typeof Replacement>;
/** A document's page lists at most this many documents it replaces (the newest). */
export const REPLACES_MAX = 100;

/** Request bodies of POST /documents/{id}/validity: action repeal (废止) or amend (修订). */
export const RepealRequest = /* @__PURE__ */ (() =>
  z.object({
    date: isoDay,
    reason: z
      .string({ error: bi('请写明废止理由', 'a reason is required') })
      .trim()
      .min(5, bi('废止理由至少 5 个字', 'at least 5 characters'))
      .max(500, bi('废止理由不能超过 500 字', 'at most 500 characters')),
    replacedBy: z.string().trim().min(1).optional(),
  }))();
export const AmendRequest = /* @__PURE__ */ (() =>
  z.object({
    date: isoDay,
    replacedBy: z
      .string({ error: bi('修订须指明替代文件', 'the replacing document is required') })
      .trim()
      .min(1, bi('修订须指明替代文件', 'the replacing document is required')),
    reason: z.string().trim().max(500, bi('理由不能超过 500 字', 'at most 500 characters')).optional(),
  }))();

export const ValidityChangeRequest = /* @__PURE__ */ (() =>
  z.discriminatedUnion('action', [RepealRequest.extend({ action: z.literal('repeal') }), AmendRequest.extend({ action: z.literal('amend') })], {
    error: bi('请选择操作：repeal（废止）或 amend（修订）', 'action must be repeal or amend'),
  }))();
export type ValidityChangeRequest = z.infer<typeof ValidityChangeRequest>;

export const VALIDITY_KIND_LABELS = { repealed: '废止', amended: '修订' } as const;

export type ValidityState = '尚未生效' | '现行有效' | '已失效' | '已废止' | '已修订';

/** The state on `day` (YYYY-MM-DD): a repeal or amendment in effect wins over the dates. */
export function validityState(v: { from?: string; until?: string }, change: Pick<ValidityChange, 'kind' | 'date'> | undefined, day: string): ValidityState {
  if (change && day >= change.date) return change.kind === 'repealed' ? '已废止' : '已修订';
  if (v.from && day < v.from) return '尚未生效';
  if (v.until && day > v.until) return '已失效';
  return '现行有效';
}

/** The state as a page shows it: 已失效（有效期至…）, 已废止（…起）. */
export function validityLabel(v: { from?: string; until?: string }, change: Pick<ValidityChange, 'kind' | 'date'> | undefined, day: string): string {
  const s = validityState(v, change, day);
  if (s === '已失效') return `已失效（有效期至 ${v.until}）`;
  if ((s === '已废止' || s === '已修订') && change) return `${s}（${change.date} 起）`;
  return s;
}

/** The days on which the state changes (the periodic refresh re-renders a page on those only). */
export function transitionDays(v: { from?: string; until?: string }, change?: Pick<ValidityChange, 'date'>): string[] {
  const days = new Set<string>();
  if (v.from) days.add(v.from);
  if (v.until) {
    const d = new Date(`${v.until}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    days.add(d.toISOString().slice(0, 10));
  }
  if (change) days.add(change.date);
  return [...days].sort();
}

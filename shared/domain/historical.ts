import { createHash } from 'node:crypto';
import * as z from 'zod';
// Each schema is built in a pure IIFE (`/* @__PURE__ */ (() => …)()`): a function's bundle leaves out the schemas it never
// uses, rather than building them at every cold start (issue 17.5; test/unit/cold-imports.test.ts).
import { CreateDraftRequest } from '#shared/api';
import { Actor, UploadContentType, UploadSpec } from '#shared/domain/draft';
import { ATTRIBUTES, Attribute, DeclarationForm, isNonPublic } from '#shared/domain/form';
import { bi } from '#shared/errors';

/**
 * Historical documents (历史文件): issued before this system, with no disclosure attribute.
 * Notice 000 §二(三)1: "应受理的公开申请涉及未确定公开属性的历史文件时，应由起草单位向受理公开
 * 申请的政务公开工作机构出具公函，确定公开属性并说明理由". They are imported in bulk and listed
 * as UNDETERMINED (visible to the information centre) until the drafting unit determines the
 * attribute with a reason — the 公函 — which turns the document into an ordinary draft that
 * goes through the same checks and approvals. Their own item type in the single table:
 * pk HIST#<id>, sk HIST, listed by status through the byStatus index (gsi1pk HISTORICAL#<status>).
 */

export const HISTORICAL_STATUSES = ['UNDETERMINED', 'DETERMINED'] as const;
export const HistoricalStatus = /* @__PURE__ */ (() =>
  z.enum(HISTORICAL_STATUSES, { error: bi('状态应为 UNDETERMINED 或 DETERMINED', 'status must be UNDETERMINED or DETERMINED') }))();
export type HistoricalStatus = z.infer<typeof HistoricalStatus>;
export const HISTORICAL_STATUS_LABELS: Record<HistoricalStatus, string> = { UNDETERMINED: '未确定公开属性', DETERMINED: '已确定公开属性' };

const form = DeclarationForm.shape;

/** One document of a bulk import: what is known of it, and the original to upload. */
export const HistoricalDocumentInput = /* @__PURE__ */ (() =>
  z.object({
    title: form.title,
    documentNumber: form.documentNumber,
    documentDate: form.documentDate,
    draftingUnit: form.draftingUnit,
    file: UploadSpec,
  }))();
export type HistoricalDocumentInput = z.infer<typeof HistoricalDocumentInput>;

export const HistoricalImportRequest = /* @__PURE__ */ (() =>
  z.object({
    documents: z
      .array(HistoricalDocumentInput, { error: bi('请提供要导入的历史文件列表', 'documents (the list to import) is required') })
      .min(1, bi('至少导入一件', 'import at least one document'))
      .max(100, bi('一次最多导入 100 件', 'at most 100 documents per request')),
  }))();
export type HistoricalImportRequest = z.infer<typeof HistoricalImportRequest>;

/**
 * The 公函: the attribute and the reason for it (and the legal basis when it is not
 * public), with the rest of the declaration form. Title, unit, number and date come from
 * the imported record.
 */
export const DeterminationRequest = /* @__PURE__ */ (() =>
  DeclarationForm.omit({
    title: true,
    draftingUnit: true,
    documentNumber: true,
    documentDate: true,
    attribute: true,
    nonPublicReason: true,
    legalBasis: true,
  })
    .extend({
      attribute: z.enum(ATTRIBUTES, { error: bi('公函须确定公开属性：主动公开、依申请公开 或 不予公开', 'the letter must set the attribute: one of the three') }),
      reason: z
        .string({ error: bi('公函须说明确定公开属性的理由', 'the letter must give the reason for the attribute') })
        .trim()
        .min(10, bi('理由至少 10 个字', 'the reason needs at least 10 characters'))
        .max(2000, bi('理由不能超过 2000 字', 'at most 2000 characters')),
      legalBasis: form.legalBasis,
      files: z.object({ interpretation: UploadSpec.optional() }).optional(),
    })
    .superRefine((d, ctx) => {
      if (isNonPublic(d.attribute) && !d.legalBasis) {
        ctx.addIssue({ code: 'custom', path: ['legalBasis'], message: bi('依申请公开或不予公开须写明法律依据', 'a non-public attribute needs its legal basis') });
      }
    }))();
export type DeterminationRequest = z.infer<typeof DeterminationRequest>;
/** What a client sends (defaults, such as the interpretation format, may be left out). */
export type DeterminationInput = z.input<typeof DeterminationRequest>;

export const HistoricalRecord = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    version: z.number().int(),
    status: HistoricalStatus,
    title: z.string(),
    documentNumber: z.string().optional(),
    documentDate: z.string(),
    draftingUnit: z.string(),
    file: z.object({ key: z.string(), fileName: z.string(), contentType: UploadContentType, size: z.number() }),
    importedBy: Actor,
    importedAt: z.string(),
    /**
     * Applications (依申请公开) naming it while undetermined: each opens the 公函 (000 §二(三)1),
     * due by the application's answer deadline (`dueOn`; absent when the calendar cannot tell).
     */
    applications: z.array(z.object({ id: z.string(), trackingCode: z.string(), receivedOn: z.string(), dueOn: z.string().optional() })).optional(),
    determination: z
      .object({
        attribute: Attribute,
        reason: z.string(),
        legalBasis: z.string().optional(),
        /** The text of the 公函. */
        letter: z.string(),
        by: Actor,
        at: z.string(),
        draftId: z.string(),
        /** The draft request made from it, so an interrupted determination can be completed. */
        request: CreateDraftRequest,
      })
      .optional(),
  }))();
export type HistoricalRecord = z.infer<typeof HistoricalRecord>;

export const HISTORICAL_ID = /^H[0-9A-F]{25}$/;

/**
 * A historical document's id, from what identifies it (unit, number or title, date): the
 * same document imported twice is the same record.
 */
export const historicalId = (d: Pick<HistoricalDocumentInput, 'draftingUnit' | 'title' | 'documentNumber' | 'documentDate'>): string =>
  `H${createHash('sha256')
    .update([d.draftingUnit, d.documentNumber ?? d.title, d.documentDate].join('\u0000'))
    .digest('hex')
    .slice(0, 25)
    .toUpperCase()}`;

export const originalKey = (id: string): string => `historical/${id}/original`;

/** The 公函 as text: what was determined, why, on what basis, by whom. */
export function letterText(
  rec: Pick<HistoricalRecord, 'title' | 'documentNumber' | 'draftingUnit'>,
  d: Pick<DeterminationRequest, 'attribute' | 'reason' | 'legalBasis'>,
  by: string,
  date: string,
): string {
  return [
    `关于确定《${rec.title}》${rec.documentNumber ? `（${rec.documentNumber}）` : ''}公开属性的函`,
    `政务公开工作机构：`,
    `经研究，确定该历史文件的公开属性为“${d.attribute}”。`,
    `理由：${d.reason}`,
    ...(d.legalBasis ? [`依据：${d.legalBasis}`] : []),
    `${rec.draftingUnit}（经办人：${by}）`,
    date,
  ].join('\n');
}

/** A historical document as the API shows it. */
export const HistoricalView = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    status: HistoricalStatus,
    statusLabel: z.string(),
    title: z.string(),
    documentNumber: z.string().optional(),
    documentDate: z.string(),
    draftingUnit: z.string(),
    file: z.object({ fileName: z.string(), contentType: UploadContentType, size: z.number() }),
    importedBy: z.string(),
    importedAt: z.string(),
    /** Applications waiting on its 公函, and the day the first answer is due: the 公函 is needed before it. */
    applications: z.array(z.object({ trackingCode: z.string(), receivedOn: z.string(), dueOn: z.string().optional() })).optional(),
    determineBy: z.string().optional(),
    determination: z
      .object({ attribute: Attribute, reason: z.string(), legalBasis: z.string().optional(), letter: z.string(), by: z.string(), at: z.string(), draftId: z.string() })
      .optional(),
  }))();
export type HistoricalView = z.infer<typeof HistoricalView>;

export const historicalView = (r: HistoricalRecord): HistoricalView => ({
  id: r.id,
  status: r.status,
  statusLabel: HISTORICAL_STATUS_LABELS[r.status],
  title: r.title,
  documentNumber: r.documentNumber,
  documentDate: r.documentDate,
  draftingUnit: r.draftingUnit,
  file: { fileName: r.file.fileName, contentType: r.file.contentType, size: r.file.size },
  importedBy: r.importedBy.name,
  importedAt: r.importedAt,
  ...(r.applications?.length
    ? {
        applications: r.applications.map((a) => ({ trackingCode: a.trackingCode, receivedOn: a.receivedOn, ...(a.dueOn ? { dueOn: a.dueOn } : {}) })),
        ...(r.applications.some((a) => a.dueOn) ? { determineBy: r.applications.flatMap((a) => (a.dueOn ? [a.dueOn] : [])).sort()[0] } : {}),
      }
    : {}),
  determination: r.determination && {
    attribute: r.determination.attribute,
    reason: r.determination.reason,
    legalBasis: r.determination.legalBasis,
    letter: r.determination.letter,
    by: r.determination.by.name,
    at: r.determination.at,
    draftId: r.determination.draftId,
  },
});

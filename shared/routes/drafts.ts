import { bi } from '#shared/errors';
import * as z from 'zod';
import { CreateDraftRequest, CreatedDraft, DraftPreview, MaskRequest, MaskResult, RenewedUploads } from '#shared/api';
import { DraftView } from '#shared/domain/draft';
import { route, type RouteSpec } from './spec.ts';

/** The routes of drafts: submission, status, preview, masks and revisions. A handler of this area imports this module only (the whole table: shared/routes.ts). */
export const ROUTES = {
  createDraft: route({
    method: 'POST',
    path: '/drafts',
    fn: 'create-draft',
    roles: ['drafter'],
    summary: '提交申报表，获取上传地址（Idempotency-Key 头可防重复提交） / submit a declaration form and get presigned uploads (an Idempotency-Key header makes a retry safe)',
    body: CreateDraftRequest,
    response: CreatedDraft,
    status: 201,
    alsoStatus: [200],
  }),
  getDraft: route({
    method: 'GET',
    path: '/drafts/{id}',
    fn: 'get-draft',
    roles: ['drafter', 'approver', 'infocenter'],
    summary:
      '文件状态、审查发现和记录（最近 200 条；?historyBefore=序号 翻看更早的） / a draft: status, findings, history (the latest 200 lines; ?historyBefore=<position> pages back)',
    query: z.object({
      historyBefore: z
        .string()
        .regex(/^\d{1,9}$/, bi('historyBefore 应为非负整数（记录的序号）。', 'historyBefore must be a non-negative integer (a position in the history).'))
        .transform(Number)
        .optional(),
    }),
    response: DraftView,
    status: 200,
  }),
  renewUploads: route({
    method: 'POST',
    path: '/drafts/{id}/uploads',
    fn: 'renew-uploads',
    roles: ['drafter'],
    summary: '重新获取上传地址 / fresh presigned uploads for files not yet received',
    response: RenewedUploads,
    status: 200,
  }),
  previewDraft: route({
    method: 'GET',
    path: '/drafts/{id}/preview',
    fn: 'preview-draft',
    roles: ['drafter', 'approver', 'infocenter'],
    summary: '公开文本预览，标出每处遮盖 / the text as it will be published, every masked span marked',
    response: DraftPreview,
    status: 200,
  }),
  decideMask: route({
    method: 'POST',
    path: '/drafts/{id}/masks',
    fn: 'decide-mask',
    roles: ['drafter', 'approver'],
    summary: '确认、取消或增加遮盖（后两者须写明理由） / confirm, unmask or add a masked span (the last two with a reason)',
    body: MaskRequest,
    response: MaskResult,
    status: 200,
  }),
  reviseDraft: route({
    method: 'POST',
    path: '/drafts/{id}/revisions',
    fn: 'revise-draft',
    roles: ['drafter'],
    summary: '提交修订稿（新的申报表和文件） / submit a revision (a new form and files)',
    body: CreateDraftRequest,
    response: CreatedDraft,
    status: 201,
  }),
} as const satisfies Record<string, RouteSpec>;

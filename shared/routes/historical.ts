import * as z from 'zod';
import { PresignedUpload } from '#shared/api';
import { Status } from '#shared/domain/draft';
import { Finding } from '#shared/domain/finding';
import { DeterminationRequest, HistoricalImportRequest, HistoricalStatus, HistoricalView } from '#shared/domain/historical';
import { route, type RouteSpec } from './spec.ts';

const Historical = z.object({
  documents: z.array(HistoricalView.extend({ imported: z.boolean(), upload: PresignedUpload.optional() })),
});

/** The routes of historical documents. A handler of this area imports this module only (the whole table: shared/routes.ts). */
export const ROUTES = {
  importHistorical: route({
    method: 'POST',
    path: '/historical',
    fn: 'import-historical',
    roles: ['drafter', 'infocenter'],
    summary: '批量导入历史文件 / import historical documents (no attribute yet)',
    body: HistoricalImportRequest,
    response: Historical,
    status: 201,
  }),
  listHistorical: route({
    method: 'GET',
    path: '/historical',
    fn: 'list-historical',
    roles: ['infocenter', 'drafter'],
    summary: '按状态列出历史文件（?status=UNDETERMINED|DETERMINED） / historical documents by status',
    query: z.object({ status: HistoricalStatus.default('UNDETERMINED') }),
    response: z.object({
      status: HistoricalStatus,
      documents: z.array(HistoricalView.extend({ draft: z.object({ id: z.string(), status: Status, statusLabel: z.string() }).optional() })),
    }),
    status: 200,
  }),
  determineHistorical: route({
    method: 'POST',
    path: '/historical/{id}/determination',
    fn: 'determine-historical',
    roles: ['drafter'],
    summary: '出具公函，确定公开属性 / the letter (公函) that determines the attribute',
    body: DeterminationRequest,
    bodyParsedByHandler: true,
    response: z.object({ historical: HistoricalView, draftId: z.string(), status: Status, uploads: z.array(PresignedUpload), preflight: z.array(Finding) }),
    status: 201,
    alsoStatus: [200],
  }),
} as const satisfies Record<string, RouteSpec>;

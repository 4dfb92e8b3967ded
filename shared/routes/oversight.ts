import { bi } from '#shared/errors';
import * as z from 'zod';
import { OversightReport } from '#shared/domain/oversight';
import { route, type RouteSpec } from './spec.ts';

/** The routes of 监督考核 (issue 13.3); {id} is the body, as in /bodies/{id}. A handler of this area imports this module only (the whole table: shared/routes.ts). */
export const ROUTES = {
  getOversight: route({
    method: 'GET',
    path: '/bodies/{id}/oversight',
    fn: 'get-oversight',
    roles: ['infocenter', 'admin'],
    summary:
      '监督考核：本主体及各起草单位某年度的按时公开、政策解读与多样化解读、按时复核、按时答复和规范性文件情况（JSON 或 CSV） / oversight figures of a body and each of its drafting units for a year: Art. 26 timeliness, interpretations and the diversified share, re-reviews and answers on time, normative documents (JSON, or CSV)',
    query: z.object({
      year: z
        .string()
        .regex(/^\d{4}$/, bi('year 应为四位年份。', 'year must be a four-digit year.'))
        .optional(),
      format: z.enum(['json', 'csv'], { error: bi('format 应为 json 或 csv。', 'format must be json or csv.') }).optional(),
    }),
    response: z.union([OversightReport, z.object({ fileName: z.string(), contentType: z.literal('text/csv; charset=utf-8'), csv: z.string() })]),
    status: 200,
  }),
} as const satisfies Record<string, RouteSpec>;

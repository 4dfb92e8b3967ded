import { WithdrawalRequest } from '#shared/api';
import { DraftView } from '#shared/domain/draft';
import { ValidityChangeRequest } from '#shared/domain/validity';
import { route, type RouteSpec } from './spec.ts';

/** The routes of published documents: withdrawal and validity (行政规范性文件). A handler of this area imports this module only (the whole table: shared/routes.ts). */
export const ROUTES = {
  withdrawDocument: route({
    method: 'POST',
    path: '/documents/{id}/withdrawal',
    fn: 'withdraw-document',
    roles: ['approver', 'infocenter'],
    summary: '撤回已公开的文件（须写明理由） / withdraw a published document from the public site, with a reason',
    body: WithdrawalRequest,
    response: DraftView,
    status: 200,
  }),
  changeValidity: route({
    method: 'POST',
    path: '/documents/{id}/validity',
    fn: 'change-validity',
    roles: ['approver'],
    summary: '行政规范性文件的废止或修订（action: repeal | amend，日期，替代文件，理由） / repeal or amend a published 行政规范性文件, naming the replacing document',
    body: ValidityChangeRequest,
    response: DraftView,
    status: 200,
  }),
} as const satisfies Record<string, RouteSpec>;

import { bi } from '#shared/errors';
import * as z from 'zod';
import { Claim, ClaimRequest, DecisionRequest, ExtendLeaseRequest, LeaseExtended, TaskList } from '#shared/api';
import { DraftView } from '#shared/domain/draft';
import { route, type RouteSpec } from './spec.ts';

/** The routes of approval tasks. A handler of this area imports this module only (the whole table: shared/routes.ts). */
export const ROUTES = {
  listTasks: route({
    method: 'GET',
    path: '/tasks',
    fn: 'list-tasks',
    roles: ['approver', 'infocenter'],
    summary: '待审批任务（?overdue=true 只列超期的） / drafts waiting for a decision (?overdue=true: only the overdue ones)',
    query: z.object({ overdue: z.enum(['true', 'false'], { error: bi('overdue 应为 true 或 false', 'overdue must be true or false') }).optional() }),
    response: TaskList,
    status: 200,
  }),
  claimTask: route({
    method: 'POST',
    path: '/tasks/claim',
    fn: 'claim-task',
    roles: ['approver', 'infocenter'],
    summary: '领取下一项任务 / claim the next approval task under a lease',
    body: ClaimRequest,
    response: Claim,
    status: 200,
  }),
  decideTask: route({
    method: 'POST',
    path: '/tasks/{id}/decision',
    fn: 'decide-task',
    roles: ['approver', 'infocenter'],
    summary: '批准或退回；复核时保留或转为主动公开 / approve or reject a claimed task (keep or convert on review)',
    body: DecisionRequest,
    response: DraftView,
    status: 200,
  }),
  extendLease: route({
    method: 'POST',
    path: '/tasks/{id}/lease',
    fn: 'extend-lease',
    roles: ['approver', 'infocenter'],
    summary: '延长领取期限 / extend a live claim',
    body: ExtendLeaseRequest,
    response: LeaseExtended,
    status: 200,
  }),
} as const satisfies Record<string, RouteSpec>;

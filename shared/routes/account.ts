import * as z from 'zod';
import { RuleList } from '#shared/api';
import { ROLES as ALL } from '#shared/topology';
import { route, type RouteSpec } from './spec.ts';

/** The routes of the caller, the rulebook and this API description. A handler of this area imports this module only (the whole table: shared/routes.ts). */
export const ROUTES = {
  getMe: route({
    method: 'GET',
    path: '/me',
    fn: 'get-me',
    roles: ALL,
    summary: '当前用户：角色、起草单位和所代表的公开主体 / the caller: role, unit and the bodies acted for',
    response: z.object({ sub: z.string(), name: z.string(), role: z.string(), roles: z.array(z.string()), unit: z.string().optional(), bodies: z.array(z.string()) }),
    status: 200,
  }),
  listRules: route({ method: 'GET', path: '/rules', fn: 'list-rules', roles: ALL, summary: '规则库 / the rulebook', response: RuleList, status: 200 }),
  getOpenApi: route({
    method: 'GET',
    path: '/openapi.json',
    fn: 'get-openapi',
    roles: ALL,
    summary: '接口说明 / this API description',
    response: z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
    status: 200,
  }),
} as const satisfies Record<string, RouteSpec>;

import * as z from 'zod';
import { BodySummary, BodyView, CreateBodyRequest, UpdateBodyRequest } from '#shared/domain/body';
import { ROLES as ALL } from '#shared/topology';
import { route, type RouteSpec } from './spec.ts';

/** The routes of the publishing bodies (公开主体). A handler of this area imports this module only (the whole table: shared/routes.ts). */
export const ROUTES = {
  listBodies: route({
    method: 'GET',
    path: '/bodies',
    fn: 'list-bodies',
    roles: ALL,
    summary: '平台的公开主体 / the publishing bodies (公开主体) of the platform',
    response: z.object({ bodies: z.array(BodySummary) }),
    status: 200,
  }),
  getBody: route({
    method: 'GET',
    path: '/bodies/{id}',
    fn: 'get-body',
    roles: ALL,
    summary: '一个公开主体：指南、制度与修改记录 / one body, with its guide and system texts and its audit trail',
    response: BodyView,
    status: 200,
  }),
  createBody: route({
    method: 'POST',
    path: '/bodies',
    fn: 'create-body',
    roles: ['admin'],
    summary: '新增公开主体（平台管理员） / add a body (platform administrator)',
    body: CreateBodyRequest,
    response: BodyView,
    status: 201,
  }),
  updateBody: route({
    method: 'POST',
    path: '/bodies/{id}',
    fn: 'update-body',
    roles: ['admin'],
    summary: '修改公开主体（平台管理员，须附读取时的版本号） / edit a body (platform administrator, at the version read)',
    body: UpdateBodyRequest,
    response: BodyView,
    status: 200,
  }),
} as const satisfies Record<string, RouteSpec>;

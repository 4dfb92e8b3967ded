import middy from '@middy/core';
import { httpErrors, json, requireRole, type ApiEvent, type ApiResult } from '#shared/http';
import { ruleTable } from '#shared/rules/index';

/** GET /rules: every rule of the rulebook with its id, title, source clause and severity. */
export const listRulesHandler = async (event: ApiEvent): Promise<ApiResult> => {
  requireRole(event, ['drafter', 'approver', 'infocenter']);
  return json(200, { rules: ruleTable() });
};

export const handler = middy(listRulesHandler).use(httpErrors());

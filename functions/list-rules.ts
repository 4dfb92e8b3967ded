import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/account';
import { ruleTable } from '#shared/rules/index';

/** GET /rules: every rule of the rulebook with its id, title, source clause and severity. */
export const handler = apiHandler(ROUTES.listRules, async () => {
  return { rules: ruleTable() };
});

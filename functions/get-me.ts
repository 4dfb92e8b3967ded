import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/account';
import { bodiesOf } from '#shared/scope';

/**
 * GET /me: who the caller is as the API sees them — every role held, in the order the API
 * holds them (a route acts in the first of them it allows), the drafting unit, and the 公开主体
 * acted for — so a client shows exactly the actions the API will take from this user, without
 * guessing from a token.
 */
export const handler = apiHandler(ROUTES.getMe, async ({ who }) => ({
  sub: who.sub,
  name: who.name,
  role: who.role,
  roles: [...who.roles],
  ...(who.unit ? { unit: who.unit } : {}),
  bodies: [...bodiesOf(who)],
}));

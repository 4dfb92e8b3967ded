import { listBodies } from '#shared/bodies';
import { bodySummary } from '#shared/domain/body';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/bodies';

/** GET /bodies: every 公开主体 of the platform, the top body first, then by parent and id. */
export const handler = apiHandler(ROUTES.listBodies, async () => {
  const all = await listBodies();
  const depth = (id: string | undefined, n = 0): number => (id === undefined || n > all.length ? n : depth(all.find((b) => b.id === id)?.parent, n + 1));
  const sorted = [...all].sort((a, b) => depth(a.parent) - depth(b.parent) || (a.parent ?? '').localeCompare(b.parent ?? '') || a.id.localeCompare(b.id));
  return { bodies: sorted.map((b) => bodySummary(b, all)) };
});

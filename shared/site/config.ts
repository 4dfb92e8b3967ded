import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { BodyId, BodyKind, type BodyFields } from '#shared/domain/body';
import raw from '../../config/site.json' with { type: 'json' };

/**
 * The government's own settings for its public site (config/site.json): its name, the
 * organisation code that prefixes every 索引号, and the contact details every page shows.
 * The 指南 and 制度 pages come from config/site/*.md (rendered at deployment).
 */
export const SiteConfig = z.object({
  siteName: z.string().min(2),
  /** The id of the platform's top body (公开主体), which this government is: its site section is bodies/<id>/. */
  bodyId: BodyId.default('main'),
  /** What kind of body the top body is (人民政府 for a county platform). */
  bodyKind: BodyKind.default('government'),
  /** 统一社会信用代码 (or the local 组织机构代码): the first part of every 索引号. */
  organizationCode: z.string().regex(/^[0-9A-Z-]{6,24}$/, 'organizationCode: 6–24 digits, capital letters or -'),
  office: z.string().min(2),
  address: z.string().min(2),
  postcode: z.string().optional(),
  phone: z.string().min(5),
  officeHours: z.string().optional(),
});
export type SiteConfig = z.infer<typeof SiteConfig>;

export const siteConfig: SiteConfig = SiteConfig.parse(raw);

/**
 * The platform's top body as a single-body deployment declares it: config/site.json and the
 * 指南 and 制度 of config/site/*.md (their `{{…}}` settings are the body's own). It is created once
 * in a platform with no body yet (shared/bodies.ts ensureTopBody), so a store made before bodies
 * keeps serving, as the first body's.
 */
export function topBodyFromSettings(root: string, config: SiteConfig = siteConfig): BodyFields & { id: string } {
  const text = (name: string) => readFileSync(join(root, 'config', 'site', `${name}.md`), 'utf8');
  return {
    id: config.bodyId,
    name: config.siteName,
    code: config.organizationCode,
    kind: config.bodyKind,
    units: [],
    guide: text('guide'),
    system: text('system'),
    contact: {
      office: config.office,
      address: config.address,
      phone: config.phone,
      ...(config.postcode ? { postcode: config.postcode } : {}),
      ...(config.officeHours ? { officeHours: config.officeHours } : {}),
    },
  };
}

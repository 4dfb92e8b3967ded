import { z } from 'zod';
import raw from '../../config/site.json' with { type: 'json' };

/**
 * The government's own settings for its public site (config/site.json): its name, the
 * organisation code that prefixes every 索引号, and the contact details every page shows.
 * The 指南 and 制度 pages come from config/site/*.md (rendered at deployment).
 */
export const SiteConfig = z.object({
  siteName: z.string().min(2),
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

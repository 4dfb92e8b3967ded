import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { ROLES } from '#shared/topology';

/** The local token file (config/local-users.json): bearer token → the claims Cognito would issue. */
export const LocalUser = z.object({
  token: z.string().min(8),
  sub: z.string(),
  name: z.string(),
  groups: z.array(z.enum(ROLES)).min(1),
  unit: z.string().optional(),
  /** The bodies an approver or the information centre acts for (custom:bodies); none: the top body. */
  bodies: z.array(z.string()).optional(),
});
export type LocalUser = z.infer<typeof LocalUser>;
export const LocalUsers = z.object({ users: z.array(LocalUser) });

export const DEFAULT_USERS_FILE = new URL('../../config/local-users.json', import.meta.url);

export async function loadUsers(file: string | URL = process.env.GONGKAI_USERS_FILE ?? DEFAULT_USERS_FILE): Promise<LocalUser[]> {
  return LocalUsers.parse(JSON.parse(await readFile(file, 'utf8'))).users;
}

/** The JWT claims API Gateway would pass on for this user (array claims flattened as "[a b]"). */
export const claimsOf = (u: LocalUser): Record<string, string> => ({
  sub: u.sub,
  name: u.name,
  'cognito:groups': `[${u.groups.join(' ')}]`,
  ...(u.unit ? { 'custom:unit': u.unit } : {}),
  ...(u.bodies?.length ? { 'custom:bodies': u.bodies.join(',') } : {}),
});

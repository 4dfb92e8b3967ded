import { ITEM, claim, getItem, putNew, query, release, replaceVersioned, VersionConflict } from '#shared/aws/table';
import { itemSize, DYNAMODB_ITEM_LIMIT } from '#shared/aws/item-size';
import { Body, BodyAuditLine, bodyChanges, bodyIssues, type BodyFields } from '#shared/domain/body';
import type { Actor, Draft } from '#shared/domain/draft';
import { bodyOfDraft } from '#shared/scope';
import { siteConfig } from '#shared/site/config';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '#shared/errors';

/**
 * The store of 公开主体 (issue 16): every body in one partition (one paginated query lists the
 * platform), its latest audit line inline (written with the body, so it is never lost) and the
 * earlier ones archived under BODYAUDIT#<id>, and one claim item per name, 索引号 code and drafting
 * unit so that two administrators saving at once cannot give one of them to two bodies (dynalite,
 * the local table, has no transactions: claims are taken before the body is written and released
 * after; a claim left by an interrupted change is recognised as stale and taken over).
 */

interface StoredBody extends Body {
  readonly lastChange: BodyAuditLine;
}

const SYSTEM_ACTOR: Actor = { sub: 'system', name: '系统', role: 'system' };

const toItem = (b: StoredBody) => ({ ...b, ...ITEM.body.key(b.id) });
const fromItem = (item: Record<string, unknown>): StoredBody => {
  const { pk: _pk, sk: _sk, lastChange, ...rest } = item;
  return { ...Body.parse(rest), lastChange: BodyAuditLine.parse(lastChange) };
};

/** The bodies of the platform, in id order (the store of before bodies holds none: see ensureTopBody). */
export async function listBodies(): Promise<Body[]> {
  const { items } = await query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': ITEM.body.PK } });
  return items.map((i) => stripAudit(fromItem(i)));
}

const stripAudit = ({ lastChange: _l, ...b }: StoredBody): Body => b;

async function getStored(id: string): Promise<StoredBody | undefined> {
  const item = await getItem(ITEM.body.key(id));
  return item ? fromItem(item) : undefined;
}

/** A body, or undefined when there is none with this id. */
export async function findBody(id: string): Promise<Body | undefined> {
  const b = await getStored(id);
  return b ? stripAudit(b) : undefined;
}

export async function getBody(id: string): Promise<Body> {
  const b = await getStored(id);
  if (!b) throw new NotFoundError({ zh: `没有标识为 ${id} 的公开主体。`, en: `No body with id ${id}.` });
  return stripAudit(b);
}

/** The audit trail of a body, oldest first. */
export async function bodyAudit(id: string): Promise<BodyAuditLine[]> {
  const b = await getStored(id);
  if (!b) throw new NotFoundError({ zh: `没有标识为 ${id} 的公开主体。`, en: `No body with id ${id}.` });
  const { items } = await query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': ITEM.body.auditPk(id) } });
  const lines = new Map<number, BodyAuditLine>();
  for (const i of items) {
    const l = BodyAuditLine.parse(i.line);
    lines.set(l.version, l);
  }
  lines.set(b.lastChange.version, b.lastChange);
  return [...lines.values()].sort((a, z) => a.version - z.version);
}

const claimsOf = (b: Pick<BodyFields, 'name' | 'code' | 'units'>) => [
  { kind: 'name' as const, value: b.name },
  { kind: 'code' as const, value: b.code },
  ...b.units.map((u) => ({ kind: 'unit' as const, value: u })),
];

/** The field an unavailable claim is about, for the administrator's message. */
const claimIssue = (c: { kind: 'name' | 'code' | 'unit'; value: string }, fields: BodyFields): FieldIssue => {
  if (c.kind === 'unit') {
    const i = fields.units.indexOf(c.value);
    return { field: `units.${i}`, zh: `起草单位“${c.value}”刚被另一个主体使用：请刷新后重试`, en: `the unit "${c.value}" was just given to another body: reload and try again` };
  }
  return {
    field: c.kind,
    zh: `${c.kind === 'name' ? '主体名称' : '索引号代码'}“${c.value}”刚被另一个主体使用：请刷新后重试`,
    en: `${c.kind} "${c.value}" was just given to another body: reload and try again`,
  };
};

/**
 * How long a claim whose owner does not hold its value is taken for a change still in flight (a
 * handler's timeout is 10 s); older, it was left by an interrupted change and may be taken over.
 */
const CLAIM_IN_FLIGHT_MS = 5 * 60_000;

/**
 * Takes the claims of `fields` for body `id` (those in `held` are its own already); on a claim of
 * another body (or of a change in flight), releases what this call took and refuses.
 */
async function takeClaims(id: string, fields: BodyFields, held: ReadonlySet<string>, at: Date): Promise<void> {
  const taken: { kind: 'name' | 'code' | 'unit'; value: string }[] = [];
  const ms = at.getTime();
  for (const c of claimsOf(fields)) {
    const k = ITEM.body.claim(c.kind, c.value);
    if (held.has(`${c.kind}#${c.value}`)) continue;
    let ok = await claim(k, id, ms);
    if (!ok) {
      // Held by another body: stale when that body no longer has the value and the claim is old.
      const owner = String((await getItem(k))?.owner ?? '');
      const holder = owner ? await getStored(owner) : undefined;
      const stillHolds = holder && claimsOf(holder).some((h) => h.kind === c.kind && h.value === c.value);
      if (owner && !stillHolds) ok = await claim(k, id, ms, { owner, before: ms - CLAIM_IN_FLIGHT_MS });
    }
    if (!ok) {
      for (const t of taken) await release(ITEM.body.claim(t.kind, t.value), id);
      throw new ValidationError([claimIssue(c, fields)]);
    }
    taken.push(c);
  }
}

async function releaseDropped(id: string, before: BodyFields, after: BodyFields): Promise<void> {
  const keep = new Set(claimsOf(after).map((c) => `${c.kind}#${c.value}`));
  for (const c of claimsOf(before)) if (!keep.has(`${c.kind}#${c.value}`)) await release(ITEM.body.claim(c.kind, c.value), id);
}

function checkSize(b: StoredBody): void {
  if (itemSize(toItem(b)) > DYNAMODB_ITEM_LIMIT - 8 * 1024) {
    throw new ValidationError([{ field: 'guide', zh: '指南和制度的文字合计过长，请精简后再保存', en: 'the guide and system texts together are too long to store: shorten them' }]);
  }
}

/** Creates a body after the platform's rules (bodyIssues) allow it; ValidationError or ConflictError otherwise. */
export async function createBody(fields: BodyFields & { id: string }, by: Actor, at: Date, action: 'created' | 'bootstrapped' = 'created'): Promise<Body> {
  const all = await listBodies();
  if (all.some((b) => b.id === fields.id))
    throw new ConflictError({ zh: `标识 ${fields.id} 已被主体“${all.find((b) => b.id === fields.id)!.name}”使用。`, en: `The id ${fields.id} is already a body's.` });
  const issues = bodyIssues(fields, all);
  if (issues.length) throw new ValidationError(issues);
  const iso = at.toISOString();
  const { id, ...rest } = fields;
  const body: StoredBody = {
    id,
    ...rest,
    version: 1,
    createdAt: iso,
    updatedAt: iso,
    createdBy: by,
    updatedBy: by,
    lastChange: { version: 1, at: iso, by, action, changes: bodyChanges(undefined, rest) },
  };
  checkSize(body);
  await takeClaims(id, rest, new Set(), at);
  if (!(await putNew(toItem(body)))) {
    for (const c of claimsOf(rest)) await release(ITEM.body.claim(c.kind, c.value), id);
    throw new ConflictError({ zh: `标识 ${id} 刚被另一个主体使用，请换一个标识。`, en: `The id ${id} was just taken: choose another.` });
  }
  return stripAudit(body);
}

/** Replaces a body's fields, if it is still at `version`. */
export async function updateBody(id: string, fields: BodyFields, version: number, by: Actor, at: Date): Promise<Body> {
  const prev = await getStored(id);
  if (!prev) throw new NotFoundError({ zh: `没有标识为 ${id} 的公开主体。`, en: `No body with id ${id}.` });
  const stale = () =>
    new ConflictError({
      zh: `主体“${prev.name}”已被他人修改（当前版本 ${prev.version}），请刷新后重新编辑。`,
      en: `The body was changed by someone else (now version ${prev.version}): reload and edit again.`,
    });
  if (prev.version !== version) throw stale();
  const issues = bodyIssues({ ...fields, id }, await listBodies());
  if (issues.length) throw new ValidationError(issues);
  const changes = bodyChanges(prev, fields);
  if (!changes.length) return stripAudit(prev);
  const iso = at.toISOString();
  // Built from the fields sent, not over the stored body: a field left out (a parent, a postcode) is gone.
  const next: StoredBody = {
    id,
    ...fields,
    version: prev.version + 1,
    createdAt: prev.createdAt,
    createdBy: prev.createdBy,
    updatedAt: iso,
    updatedBy: by,
    lastChange: { version: prev.version + 1, at: iso, by, action: 'updated', changes },
  };
  checkSize(next);
  // The line written with the previous version is archived first: it is committed, so writing it again is harmless.
  await putNew({ ...ITEM.body.audit(id, prev.lastChange.version), line: prev.lastChange });
  await takeClaims(id, fields, new Set(claimsOf(prev).map((c) => `${c.kind}#${c.value}`)), at);
  try {
    await replaceVersioned(toItem(next), prev.version);
  } catch (err) {
    if (err instanceof VersionConflict) {
      await releaseDropped(id, fields, prev);
      throw stale();
    }
    throw err;
  }
  await releaseDropped(id, prev, fields);
  return stripAudit(next);
}

/**
 * The platform's top body from the settings of a single-body deployment (config/site.json and
 * the 指南 and 制度 texts), created once when the platform has no body yet: the data of a store
 * made before bodies existed becomes the first body's, with nothing to migrate.
 */
export async function ensureTopBody(top: BodyFields & { id: string }, at: Date): Promise<Body[]> {
  const all = await listBodies();
  if (all.length) return all;
  try {
    await createBody(top, SYSTEM_ACTOR, at, 'bootstrapped');
  } catch (err) {
    // Another cold start created it first.
    if (!(err instanceof ConflictError) && !(err instanceof ValidationError)) throw err;
  }
  return listBodies();
}

/**
 * The body a draft is issued for, with the name and 索引号 code it is published under. A store
 * from before bodies may have no top body yet (AWS, before the administrator creates it): the
 * top body is then the deployment's own settings. Bodies are never deleted, so another body
 * missing is a fault, reported as such.
 */
export async function issuingBody(d: Pick<Draft, 'body'>): Promise<Pick<Body, 'id' | 'name' | 'code'>> {
  const id = bodyOfDraft(d);
  const stored = await getStored(id);
  if (stored) return { id, name: stored.name, code: stored.code };
  if (id === siteConfig.bodyId) return { id, name: siteConfig.siteName, code: siteConfig.organizationCode };
  throw new NotFoundError({
    zh: `文件所属的公开主体 ${id} 不存在，无法发布。请平台管理员核对公开主体。`,
    en: `The document's body ${id} does not exist, so it cannot be published. Ask the platform administrator to check the bodies.`,
  });
}

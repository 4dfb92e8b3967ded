import * as z from 'zod';
// Each schema is built in a pure IIFE (`/* @__PURE__ */ (() => …)()`): a function's bundle leaves out the schemas it never
// uses, rather than building them at every cold start (issue 17.5; test/unit/cold-imports.test.ts).
import { bi, type FieldIssue } from '#shared/errors';
import { Actor } from '#shared/domain/draft';

/**
 * 公开主体: a body that discloses in its own name on the platform (集约化, issue 16): the
 * people's government, its office, each department, each township or street. A body has its own
 * 索引号 code, its drafting units, its 指南 and 制度 texts and its section of the public site.
 * These are the rules of a body and of the set of bodies, pure: the store (shared/bodies.ts)
 * keeps them, the handlers check a change here before it is written.
 */

/** What kind of body it is (how the platform lists it). */
export const BODY_KINDS = ['government', 'office', 'department', 'township', 'other'] as const;
export const BodyKind = /* @__PURE__ */ (() =>
  z.enum(BODY_KINDS, {
    error: bi(
      '主体类型应为 government（人民政府）、office（政府办公室）、department（部门）、township（乡镇、街道）或 other（其他）',
      'kind must be government, office, department, township or other',
    ),
  }))();
export type BodyKind = z.infer<typeof BodyKind>;
export const BODY_KIND_LABELS: Record<BodyKind, string> = { government: '人民政府', office: '政府办公室', department: '部门', township: '乡镇、街道', other: '其他' };

/** Most drafting units a body lists (a department's offices; a township's 站所). */
export const BODY_UNITS_MAX = 40;
/** Longest 指南 or 制度 text, in characters (Markdown). */
export const BODY_TEXT_MAX = 30_000;

/** A body's id: the segment of its site path and of its API path. */
export const BodyId = /* @__PURE__ */ (() =>
  z
    .string({ error: bi('缺少主体标识', 'id is required') })
    .regex(
      /^[a-z][a-z0-9-]{1,39}$/,
      bi(
        '主体标识应为 2–40 个小写字母、数字或连字符，以字母开头（用于网址，如 fgw、beicheng）',
        'id: 2–40 lowercase letters, digits or hyphens, starting with a letter (it is used in addresses, e.g. fgw)',
      ),
    ))();

const line = (zh: string, en: string, min: number, max: number) =>
  z
    .string({ error: bi(`缺少${zh}`, `${en} is required`) })
    .trim()
    .min(min, bi(`${zh}至少 ${min} 个字`, `${en}: at least ${min} characters`))
    .max(max, bi(`${zh}不超过 ${max} 个字`, `${en}: at most ${max} characters`));

/** The contact details the body's pages show (信息公开工作机构). */
export const BodyContact = /* @__PURE__ */ (() =>
  z.object(
    {
      office: line('信息公开工作机构名称', 'office', 2, 80),
      address: line('办公地址', 'address', 2, 120),
      postcode: z
        .string()
        .regex(/^\d{6}$/, bi('邮政编码应为 6 位数字', 'postcode: 6 digits'))
        .optional(),
      phone: z
        .string({ error: bi('缺少联系电话', 'phone is required') })
        .regex(/^[0-9+() -]{5,30}$/, bi('联系电话应为 5–30 位数字（可含 - 和空格）', 'phone: 5–30 digits, - or spaces')),
      officeHours: line('办公时间', 'officeHours', 2, 80).optional(),
    },
    { error: bi('请填写联系方式（contact）', 'contact is required') },
  ))();
export type BodyContact = z.infer<typeof BodyContact>;

/** What an administrator declares about a body (a create, or the whole of an edit). */
export const BodyFields = /* @__PURE__ */ (() =>
  z.object({
    name: line('主体名称', 'name', 2, 60),
    /** 统一社会信用代码 or the local 组织机构代码: the first part of each of its 索引号. */
    code: z
      .string({ error: bi('缺少索引号代码', 'code is required') })
      .regex(
        /^[0-9A-Z-]{6,24}$/,
        bi('索引号代码应为 6–24 位数字、大写字母或连字符（统一社会信用代码或组织机构代码）', 'code: 6–24 digits, capital letters or - (the unified social credit code)'),
      ),
    kind: BodyKind,
    /** The body it answers to: the county government for its departments and townships; none for the platform's top body. */
    parent: BodyId.optional(),
    /** The drafting units that draft in its name (each belongs to one body of the platform). */
    units: z
      .array(line('起草单位名称', 'unit', 2, 60), { error: bi('起草单位应为名称列表', 'units: a list of unit names') })
      .max(BODY_UNITS_MAX, bi(`一个主体最多 ${BODY_UNITS_MAX} 个起草单位`, `at most ${BODY_UNITS_MAX} drafting units per body`))
      .default([]),
    /** 政府信息公开指南 (Markdown). */
    guide: z
      .string({ error: bi('缺少政府信息公开指南', 'guide is required') })
      .min(20, bi('政府信息公开指南至少 20 个字', 'guide: at least 20 characters'))
      .max(BODY_TEXT_MAX, bi(`政府信息公开指南不超过 ${BODY_TEXT_MAX} 个字`, `guide: at most ${BODY_TEXT_MAX} characters`)),
    /** 政府信息公开制度 (Markdown). */
    system: z
      .string({ error: bi('缺少政府信息公开制度', 'system is required') })
      .min(20, bi('政府信息公开制度至少 20 个字', 'system: at least 20 characters'))
      .max(BODY_TEXT_MAX, bi(`政府信息公开制度不超过 ${BODY_TEXT_MAX} 个字`, `system: at most ${BODY_TEXT_MAX} characters`)),
    contact: BodyContact,
  }))();
export type BodyFields = z.infer<typeof BodyFields>;

export const CreateBodyRequest = /* @__PURE__ */ (() => BodyFields.extend({ id: BodyId }))();
export type CreateBodyRequest = z.infer<typeof CreateBodyRequest>;

/** An edit: the whole of the fields, at the version the administrator read (no lost update). */
export const UpdateBodyRequest = /* @__PURE__ */ (() =>
  BodyFields.extend({
    version: z.number({ error: bi('缺少主体版本号（读取时的 version）', 'version (the version you read) is required') }).int(),
  }))();
export type UpdateBodyRequest = z.infer<typeof UpdateBodyRequest>;

export const Body = /* @__PURE__ */ (() =>
  BodyFields.extend({
    id: BodyId,
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: Actor,
    updatedBy: Actor,
  }))();
export type Body = z.infer<typeof Body>;

/** One line of a body's audit trail: who changed what, when. */
export const BodyAuditLine = /* @__PURE__ */ (() =>
  z.object({
    version: z.number().int(),
    at: z.string(),
    by: Actor,
    action: z.enum(['created', 'updated', 'bootstrapped']),
    /** Each changed field: short values before and after; a long text by its length. */
    changes: z.array(z.object({ field: z.string(), before: z.string().optional(), after: z.string().optional() })),
  }))();
export type BodyAuditLine = z.infer<typeof BodyAuditLine>;

/**
 * The site section of a body: bodies/<id>/; the platform's top body at the site root (its
 * section is the platform's home and keeps the addresses it had before bodies).
 */
export const bodySitePath = (id: string, top: string): string => (id === top ? '' : `bodies/${id}/`);

export const BodySummary = /* @__PURE__ */ (() => Body.omit({ guide: true, system: true }).extend({ sitePath: z.string(), parentName: z.string().optional() }))();
export type BodySummary = z.infer<typeof BodySummary>;
export const BodyView = /* @__PURE__ */ (() => Body.extend({ sitePath: z.string(), audit: z.array(BodyAuditLine) }))();
export type BodyView = z.infer<typeof BodyView>;

export function bodySummary(b: Body, all: readonly Body[]): BodySummary {
  const { guide: _g, system: _s, ...rest } = b;
  const parentName = b.parent ? all.find((p) => p.id === b.parent)?.name : undefined;
  return { ...rest, sitePath: bodySitePath(b.id, all.find((p) => p.parent === undefined)?.id ?? b.id), ...(parentName ? { parentName } : {}) };
}

const issue = (field: string, zh: string, en: string): FieldIssue => ({ field, zh, en });

/**
 * What is wrong with putting `next` among `others` (every other body of the platform): the name,
 * the 索引号 code and each drafting unit belong to one body only; the parent exists and is not the
 * body itself or one of its own descendants; the platform has one top body (without a parent).
 */
export function bodyIssues(next: BodyFields & { id: string }, others: readonly Body[]): FieldIssue[] {
  const out: FieldIssue[] = bodyTextIssues(next);
  const other = others.filter((b) => b.id !== next.id);
  const byName = other.find((b) => b.name === next.name);
  if (byName) out.push(issue('name', `主体名称“${next.name}”已由主体 ${byName.id} 使用，请换一个名称`, `the name "${next.name}" is already body ${byName.id}'s`));
  const byCode = other.find((b) => b.code === next.code);
  if (byCode)
    out.push(
      issue('code', `索引号代码 ${next.code} 已由“${byCode.name}”使用：每个主体的索引号代码不同`, `the code ${next.code} is already "${byCode.name}"'s: each body has its own`),
    );
  const seen = new Set<string>();
  next.units.forEach((u, i) => {
    if (seen.has(u)) out.push(issue(`units.${i}`, `起草单位“${u}”重复列出`, `the unit "${u}" is listed twice`));
    seen.add(u);
    const owner = other.find((b) => b.units.includes(u));
    if (owner)
      out.push(
        issue(
          `units.${i}`,
          `起草单位“${u}”已属于“${owner.name}”：一个起草单位只属于一个主体，请先从该主体移除`,
          `the unit "${u}" belongs to "${owner.name}": a unit belongs to one body; remove it there first`,
        ),
      );
  });
  if (next.parent === undefined) {
    const top = other.find((b) => b.parent === undefined);
    if (top) out.push(issue('parent', `平台已有顶层主体“${top.name}”：请填写上级主体（parent）`, `the platform's top body is "${top.name}": give a parent`));
  } else if (next.parent === next.id) {
    out.push(issue('parent', '上级主体不能是本主体', 'a body cannot be its own parent'));
  } else {
    const byId = new Map(other.map((b) => [b.id, b]));
    if (!byId.has(next.parent)) out.push(issue('parent', `没有标识为 ${next.parent} 的上级主体`, `no body ${next.parent} to be the parent`));
    else {
      // Walk up from the parent: reaching this body means the change would make a cycle.
      let at: string | undefined = next.parent;
      for (let steps = 0; at !== undefined && steps <= other.length; steps++) {
        if (at === next.id) {
          out.push(issue('parent', `上级主体 ${next.parent} 是本主体的下级，不能互为上级`, `${next.parent} is below this body: that would make a loop`));
          break;
        }
        at = byId.get(at)?.parent;
      }
    }
  }
  return out;
}

/** The settings `{{…}}` in a body's 指南 and 制度 may name (filled in when the pages are rendered). */
export const BODY_PLACEHOLDERS = {
  siteName: 'name',
  name: 'name',
  office: 'contact.office',
  address: 'contact.address',
  postcode: 'contact.postcode',
  phone: 'contact.phone',
  officeHours: 'contact.officeHours',
} as const;

/** The value of each placeholder for `body`, where it has one. */
export function placeholderValues(body: Pick<BodyFields, 'name' | 'contact'>): Record<string, string | undefined> {
  const c = body.contact;
  return { siteName: body.name, name: body.name, office: c.office, address: c.address, postcode: c.postcode, phone: c.phone, officeHours: c.officeHours };
}

/** What is wrong with a 指南 or 制度 text: a level-1 heading gives the page its title; each `{{…}}` names a setting the body has. */
export function bodyTextIssues(body: Pick<BodyFields, 'name' | 'contact' | 'guide' | 'system'>): FieldIssue[] {
  const out: FieldIssue[] = [];
  const values = placeholderValues(body);
  for (const field of ['guide', 'system'] as const) {
    const label = field === 'guide' ? '政府信息公开指南' : '政府信息公开制度';
    if (!/^#\s+\S/m.test(body[field]))
      out.push(issue(field, `${label}需要一个一级标题（# 标题）作为页面标题`, `the ${field} text needs a level-1 heading (# title) for its page title`));
    for (const m of body[field].matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
      const name = m[1]!;
      if (!(name in BODY_PLACEHOLDERS)) {
        out.push(
          issue(
            field,
            `${label}中的 {{${name}}} 不是可用的设置项（可用：${Object.keys(BODY_PLACEHOLDERS).join('、')}）`,
            `{{${name}}} in the ${field} text is not a setting (known: ${Object.keys(BODY_PLACEHOLDERS).join(', ')})`,
          ),
        );
      } else if (!values[name]) {
        out.push(
          issue(
            field,
            `${label}用到 {{${name}}}，但本主体未填写该项（${BODY_PLACEHOLDERS[name as keyof typeof BODY_PLACEHOLDERS]}）`,
            `the ${field} text uses {{${name}}}, which this body has not set (${BODY_PLACEHOLDERS[name as keyof typeof BODY_PLACEHOLDERS]})`,
          ),
        );
      }
    }
  }
  return out;
}

/** The field-by-field changes from `before` to `after` for the audit trail. */
export function bodyChanges(before: BodyFields | undefined, after: BodyFields): BodyAuditLine['changes'] {
  const fields = Object.keys(BodyFields.shape) as (keyof BodyFields)[];
  const show = (field: keyof BodyFields, v: unknown): string | undefined => {
    if (v === undefined) return undefined;
    if (field === 'guide' || field === 'system') return `${String(v).length} 字 chars`;
    if (Array.isArray(v)) return v.join('、');
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  };
  return fields
    .filter((f) => JSON.stringify(before?.[f]) !== JSON.stringify(after[f]))
    .map((f) => {
      const b = show(f, before?.[f]);
      const a = show(f, after[f]);
      return { field: f, ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) };
    });
}

/** The body a drafting unit drafts for: the one listing it, else the platform's top body (data from before bodies). */
export function bodyOfUnit(bodies: readonly Body[], unit: string | undefined): Body | undefined {
  return (unit !== undefined ? bodies.find((b) => b.units.includes(unit)) : undefined) ?? bodies.find((b) => b.parent === undefined);
}

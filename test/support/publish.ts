import { gunzipSync } from 'node:zlib';
import { unzipSync, zipSync } from 'fflate';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { CreateDraftRequest } from '#shared/api';
import type { Status } from '#shared/domain/draft';
import { GongkaiClient, uploadFile, type DraftView } from '#client/gongkai';
import type { TestStack } from './stack.ts';

/**
 * Helpers to take many drafts through the API (submit with presigned uploads, decide every
 * task as planned) and to read back everything the site bucket holds, decoded, so that a
 * test can look for text anywhere the public could fetch it.
 */

export const INFOCENTER_TOKEN = 'dev-infocenter';
export const infocenterOf = (stack: TestStack): GongkaiClient => new GongkaiClient(stack.apiUrl, INFOCENTER_TOKEN);

type Form = CreateDraftRequest['form'];
type ContentType = CreateDraftRequest['files']['document']['contentType'];

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' as const;

/** A file to upload: what the form says about it, and its bytes. */
export interface UploadPart {
  readonly fileName: string;
  readonly contentType: ContentType;
  readonly bytes: Uint8Array;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A UTF-8 plain-text upload. */
export const textFile = (text: string, fileName = 'document.txt'): UploadPart => ({ fileName, contentType: 'text/plain', bytes: utf8(text) });

/** A minimal Word document (one paragraph per line of `text`); the text is XML-escaped. */
export const docxFile = (text: string, fileName = 'document.docx'): UploadPart => ({ fileName, contentType: DOCX_TYPE, bytes: docxBytes(text) });

// ------------------------------------------------------------------------------- ZIP

/** A ZIP archive (deflated entries): the container of a Word file. */
export function zip(entries: Record<string, string | Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(entries).map(([name, c]) => [name, typeof c === 'string' ? utf8(c) : c])));
}

/** The entries of a ZIP archive; undefined if it is not one that can be read. */
export function unzip(bytes: Uint8Array): Map<string, Uint8Array> | undefined {
  try {
    return new Map(Object.entries(unzipSync(bytes)));
  } catch {
    return undefined;
  }
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function docxBytes(text: string): Uint8Array {
  const paras = text
    .split('\n')
    .map((line) => `<w:p><w:r><w:t xml:space="preserve">${xmlEscape(line)}</w:t></w:r></w:p>`)
    .join('');
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paras}</w:body></w:document>`,
  });
}

// ------------------------------------------------------------------------------- submit and decide

/** Creates a draft and uploads its files through the presigned uploads; answers its id. */
export async function submitDraft(client: GongkaiClient, form: Form, document: UploadPart, interpretation?: UploadPart): Promise<string> {
  const spec = (p: UploadPart) => ({ fileName: p.fileName, contentType: p.contentType, size: p.bytes.length });
  const created = await client.createDraft({
    form,
    files: { document: spec(document), ...(interpretation ? { interpretation: spec(interpretation) } : {}) },
  });
  for (const u of created.uploads) {
    const part = u.part === 'interpretation' ? interpretation : document;
    if (!part) throw new Error(`unexpected upload part ${u.part}`);
    await uploadFile(u, part.bytes, part.fileName);
  }
  return created.id;
}

/** What the approver does with an approve task; 'schedule' approves with a publication time a month on. */
export type Decision = 'approve' | 'reject' | 'return' | 'schedule';

/** Statuses in which nothing more happens to a draft without a person or a clock. */
export const SETTLED: readonly Status[] = ['PUBLISHED', 'FILED', 'REJECTED', 'RETURNED', 'WITHDRAWN', 'SCHEDULED'];
const IN_PIPELINE: readonly Status[] = ['AWAITING_UPLOAD', 'EXTRACTING', 'CHECKING'];

/**
 * Decides every task of the planned drafts: approvers take approve tasks (approve, reject or
 * return as planned, or approve with a publication time a month on),
 * the information centre acknowledges ATTR-3 filings. Returns once every planned draft is
 * settled (published, scheduled, filed, rejected or returned), with its final view.
 */
export async function decideAll(
  stack: TestStack,
  plan: ReadonlyMap<string, Decision>,
  options: { approver?: GongkaiClient; infocenter?: GongkaiClient; timeoutMs?: number } = {},
): Promise<Map<string, DraftView>> {
  const approver = options.approver ?? stack.approver;
  const infocenter = options.infocenter ?? infocenterOf(stack);
  const deadline = Date.now() + (options.timeoutMs ?? 150_000);
  const ids = [...plan.keys()];
  const views = new Map<string, DraftView>();
  const reasons: Record<Decision, string | undefined> = { approve: undefined, schedule: undefined, reject: '不符合发文要求，不予通过', return: '请补充有关内容后重新报送' };

  for (;;) {
    let acted = false;
    // Approval tasks.
    for (;;) {
      const claim = await approver.claim();
      if (!claim.claimToken || !claim.draft) break;
      const id = claim.draft.id;
      const outcome = plan.get(id);
      if (!outcome) throw new Error(`claimed the task of ${id}, which this test did not plan`);
      const reason = reasons[outcome];
      await approver.decide(id, {
        claimToken: claim.claimToken,
        version: claim.draft.version,
        outcome: outcome === 'schedule' ? 'approve' : outcome,
        ...(reason ? { reason } : {}),
        ...(outcome === 'schedule' ? { publishAt: new Date(Date.now() + 30 * 86_400_000).toISOString() } : {}),
      });
      acted = true;
    }
    // ATTR-3 filings with the information centre.
    for (;;) {
      const claim = await infocenter.claim();
      if (!claim.claimToken || !claim.draft) break;
      await infocenter.decide(claim.draft.id, { claimToken: claim.claimToken, version: claim.draft.version, outcome: 'acknowledge', reason: '已备案' });
      acted = true;
    }
    if (acted) continue;
    const pending: string[] = [];
    for (const id of ids) {
      if (views.has(id)) continue;
      const d = await approver.getDraft(id);
      if (SETTLED.includes(d.status)) views.set(id, d);
      else pending.push(`${id}:${d.status}`);
    }
    if (pending.length === 0) return views;
    if (Date.now() > deadline) throw new Error(`drafts not settled in time: ${pending.join(', ')}`);
    await new Promise((r) => setTimeout(r, pending.some((p) => IN_PIPELINE.some((s) => p.endsWith(`:${s}`))) ? 300 : 200));
  }
}

// ------------------------------------------------------------------------------- the site bucket

export interface SiteObject {
  readonly key: string;
  readonly contentType: string | undefined;
  readonly bytes: Uint8Array;
  /** Every readable layer of the object (gunzipped, unzipped), as text, joined. */
  readonly text: string;
}

const GZIP = (b: Uint8Array) => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
const ZIP = (b: Uint8Array) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** The text of bytes and of everything compressed inside them (gzip, possibly nested; ZIP entries). */
export function decodeAll(bytes: Uint8Array, depth = 0): string {
  const parts = [Buffer.from(bytes).toString('utf8')];
  if (depth > 4) return parts[0]!;
  if (GZIP(bytes)) {
    try {
      parts.push(decodeAll(new Uint8Array(gunzipSync(bytes)), depth + 1));
    } catch {
      /* not really gzip */
    }
  }
  if (ZIP(bytes)) for (const entry of unzip(bytes)?.values() ?? []) parts.push(decodeAll(entry, depth + 1));
  return parts.join('\n');
}

/** Every object of the site bucket, downloaded and decoded. */
export async function siteObjects(stack: TestStack): Promise<Map<string, SiteObject>> {
  const out = new Map<string, SiteObject>();
  const Bucket = stack.names.buckets.site;
  let token: string | undefined;
  do {
    const page = await stack.s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken: token }));
    const keys = (page.Contents ?? []).map((o) => o.Key!);
    for (let i = 0; i < keys.length; i += 16) {
      await Promise.all(
        keys.slice(i, i + 16).map(async (key) => {
          const obj = await stack.s3.send(new GetObjectCommand({ Bucket, Key: key }));
          const bytes = await obj.Body!.transformToByteArray();
          out.set(key, { key, contentType: obj.ContentType, bytes, text: decodeAll(bytes) });
        }),
      );
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

/** The keys of objects whose decoded text contains `needle` (case-insensitive). */
export function keysContaining(objects: ReadonlyMap<string, SiteObject>, needle: string): string[] {
  const n = needle.toLowerCase();
  return [...objects.values()].filter((o) => o.text.toLowerCase().includes(n)).map((o) => o.key);
}

// ------------------------------------------------------------------------------- withdrawal

/**
 * POST /documents/{id}/withdrawal with plain fetch (the typed client may not know it yet).
 * `routeMissing` is true when the API has no such route at all (not when the draft is unknown).
 */
export async function withdrawDocument(
  stack: TestStack,
  token: string,
  draftId: string,
  reason: string,
): Promise<{ status: number; body: { error?: { code?: string; en?: string; zh?: string } } & Record<string, unknown>; routeMissing: boolean }> {
  const res = await fetch(`${stack.apiUrl}/documents/${encodeURIComponent(draftId)}/withdrawal`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason }),
  });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as { error?: { code?: string; en?: string; zh?: string } } & Record<string, unknown>) : {};
  return { status: res.status, body, routeMissing: res.status === 404 && body.error?.en === 'No such route.' };
}

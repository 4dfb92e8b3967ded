import { deflateRawSync, gunzipSync, inflateRawSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { CreateDraftRequest } from '#shared/api';
import type { Status } from '#shared/domain/draft';
import { GongkaiClient, uploadFile, type DraftView } from '#infra/client';
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

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A ZIP archive of deflated entries (what Word writes, minus everything optional). */
export function zip(entries: Record<string, string | Uint8Array>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = typeof content === 'string' ? utf8(content) : content;
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, dir, end]));
}

/** The entries of a ZIP archive (stored or deflated); undefined if it is not one we can read. */
export function unzip(bytes: Uint8Array): Map<string, Uint8Array> | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const out = new Map<string, Uint8Array>();
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  try {
    for (let k = 0; k < count; k++) {
      if (buf.readUInt32LE(p) !== 0x02014b50) return out;
      const method = buf.readUInt16LE(p + 10);
      const size = buf.readUInt32LE(p + 20);
      const nameLen = buf.readUInt16LE(p + 28);
      const extraLen = buf.readUInt16LE(p + 30);
      const commentLen = buf.readUInt16LE(p + 32);
      const localAt = buf.readUInt32LE(p + 42);
      const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
      const dataAt = localAt + 30 + buf.readUInt16LE(localAt + 26) + buf.readUInt16LE(localAt + 28);
      const raw = buf.subarray(dataAt, dataAt + size);
      out.set(name, new Uint8Array(method === 8 ? inflateRawSync(raw) : raw));
      p += 46 + nameLen + extraLen + commentLen;
    }
  } catch {
    return out;
  }
  return out;
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

import type { S3EventRecord, SQSRecord } from 'aws-lambda';
import { writeObject } from '#shared/blobs';
import { extractedKey, pageTextsKey, parseUploadKey, PART_LABELS, SYSTEM, type Draft, type Part, type StoredFile } from '#shared/domain/draft';
import { blocks, type Finding } from '#shared/domain/finding';
import { ConflictError } from '#shared/errors';
import { env } from '#shared/env';
import { ExtractionError } from '#shared/extract/errors';
import { PDF_CMAP_DIR_ENV } from '#shared/extract/cmap-env';
import { extractIsolated } from '#shared/extract/isolated';
import { pageRanges } from '#shared/page-ranges';
import { log } from '#shared/log';
import { DraftMessage, sendMessage } from '#shared/messages';
import { FILE_RULE } from '#shared/rules/index';
import { pinUpload, readPinned, receivedUpload, uploadAfterReceipt } from '#shared/pin';
import { sqsStage } from '#shared/sqs-stage';
import { now } from '#shared/clock';
import { topology } from '#shared/topology';

/** pdf.js' CMaps: the folder the bundle ships (topology `assets`), else the installed ones. */
const cmaps = (): { cmapDir?: string } => {
  const dir = env.assetDir(PDF_CMAP_DIR_ENV);
  return dir ? { cmapDir: dir } : {};
};
import { amend, findDraft, transition } from '#shared/store';

/** Drafts (and the revision, when known) named by a message: an S3 event notification, or a re-enqueue by the reconciler. */
export function draftRefsOf(body: string): { id: string; revision?: number }[] {
  const parsed: unknown = JSON.parse(body);
  const records = (parsed as { Records?: S3EventRecord[] }).Records;
  if (Array.isArray(records)) {
    return (
      records
        .filter((r) => r.eventName?.startsWith('ObjectCreated:'))
        // S3 URL-encodes keys in events, with '+' for spaces.
        .map((r) => parseUploadKey(decodeURIComponent(r.s3.object.key.replace(/\+/g, ' '))))
        .filter((k) => k !== undefined)
        .map((k) => ({ id: k.id, revision: k.revision }))
    );
  }
  if ((parsed as { Event?: string }).Event === 's3:TestEvent') return [];
  const { draftId, revision } = DraftMessage.parse(parsed);
  return [{ id: draftId, ...(revision !== undefined ? { revision } : {}) }];
}

/** Draft ids named by a message. */
export const draftIdsOf = (body: string): string[] => draftRefsOf(body).map((r) => r.id);

const fileFinding = (part: Part, severity: Finding['severity'], zh: string, en: string): Finding => ({
  ruleId: FILE_RULE.id,
  severity,
  source: FILE_RULE.source,
  zh: `${PART_LABELS[part]}：${zh}`,
  en: `${part}: ${en}`,
  evidence: [{ in: part }],
});

/** Extracts one file; returns the updated file record and what was found about it. */
async function extractPart(draft: Draft, part: Part, file: StoredFile, stat: { size: number; lastModified: string }): Promise<{ file: StoredFile; findings: Finding[] }> {
  const { size } = stat;
  file = { ...file, uploadedAt: stat.lastModified };
  if (size > file.maxBytes) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    return {
      file: { ...file, size },
      findings: [
        fileFinding(
          part,
          'block',
          `文件大小 ${mb(size)} MB 超过上限 ${mb(file.maxBytes)} MB，请压缩或拆分后重新提交。`,
          `the file is ${mb(size)} MB, over the ${mb(file.maxBytes)} MB limit; compress or split it.`,
        ),
      ],
    };
  }
  const bytes = await readPinned(file);
  try {
    // In a worker of its own, with time and heap limits: a hostile file ends its worker, not this process.
    const ex = await extractIsolated(bytes, { maxBytes: file.maxBytes, declaredName: file.fileName, ...cmaps() });
    const findings = ex.warnings.map((w) => fileFinding(part, 'warn', w.zh, w.en));
    if (findings.length === 0 && file.contentType !== ex.mediaType) {
      findings.push(
        fileFinding(
          part,
          'warn',
          `申报的文件类型为 ${file.contentType}，实际内容为 ${ex.mediaType}，已按实际内容处理。`,
          `declared ${file.contentType} but the content is ${ex.mediaType}; processed by its content.`,
        ),
      );
    }
    const received = {
      ...file,
      size,
      kind: ex.kind,
      ...(ex.pages !== undefined ? { pages: ex.pages } : {}),
      pinned: { ...file.pinned!, mediaType: ex.mediaType },
    };
    if (ex.ocrPages !== undefined) {
      // Pages without a text layer (a scan) and images go to the OCR stage, which writes the whole text (text layer and recognised pages, in page order).
      const pagesKey = ex.pageTexts !== undefined ? pageTextsKey(draft.id, draft.revision, part) : undefined;
      if (pagesKey) await writeObject('drafts', pagesKey, JSON.stringify(ex.pageTexts), 'application/json');
      return { file: { ...received, ocr: { pending: ex.ocrPages, ...(pagesKey ? { pagesKey } : {}) } }, findings };
    }
    const rawTextKey = extractedKey(draft.id, draft.revision, part, 'raw');
    const textKey = extractedKey(draft.id, draft.revision, part, 'normalised');
    await Promise.all([writeObject('drafts', rawTextKey, ex.rawText, 'text/plain; charset=utf-8'), writeObject('drafts', textKey, ex.text, 'text/plain; charset=utf-8')]);
    return { file: { ...received, chars: ex.chars, rawTextKey, textKey }, findings };
  } catch (err) {
    if (err instanceof ExtractionError) {
      return { file: { ...file, size }, findings: [fileFinding(part, 'block', err.zh, err.en)] };
    }
    throw err;
  }
}

/** How the message that asks for an extraction was delivered (from its SQS record). */
export interface Delivery {
  /**
   * The first delivery (ApproximateReceiveCount 1) of an S3 upload event. Such a delivery
   * that finds the draft taken moments ago by another (the other file's upload event, or S3
   * repeating one) leaves it to that one: it is extracting now, and its own message comes
   * back if it fails. A redelivery, or a reconciler's message, extracts.
   */
  readonly firstUploadEvent?: boolean;
}

/** A delivery that took a draft can still be running this long after (the function's timeout). */
const EXTRACT_RUN_MS = topology.functions['extract-document'].timeoutSeconds * 1000;

const partsOf = (d: Draft) => (Object.entries(d.files) as [Part, StoredFile | undefined][]).filter((e): e is [Part, StoredFile] => e[1] !== undefined);

/** The draft's extraction, applied to the draft as read: rejected, sent to the OCR stage, or on to the rulebook. */
async function finishExtraction(draft: Draft, results: { part: Part; file: StoredFile; findings: Finding[] }[]): Promise<void> {
  const files = { ...draft.files, ...Object.fromEntries(results.map((r) => [r.part, r.file])) } as Draft['files'];
  const findings = results.flatMap((r) => r.findings);
  if (blocks(findings)) {
    await transition(
      draft,
      'REJECTED',
      { files, findings },
      {
        actor: SYSTEM,
        event: 'FILE_REJECTED',
        note: findings
          .filter((f) => f.severity === 'block')
          .map((f) => f.zh)
          .join('；'),
      },
    );
    return;
  }
  const toRead = results.filter((r) => r.file.ocr?.pending !== undefined);
  if (toRead.length) {
    // The draft stays in EXTRACTING until the OCR stage has read its pages (a lost message: the reconciler sends it to the OCR stage again).
    const note = toRead.map((r) => `${PART_LABELS[r.part]}第 ${pageRanges(r.file.ocr!.pending!)} 页没有文字层，送文字识别（OCR）`).join('；');
    const queued = await amend(draft, { files, findings }, { actor: SYSTEM, event: 'OCR_QUEUED', note });
    await sendMessage('ocr', { draftId: queued.id, revision: queued.revision });
    return;
  }
  const next = await transition(draft, 'CHECKING', { files, findings }, { actor: SYSTEM, event: 'EXTRACTED' });
  await sendMessage('check', { draftId: next.id, revision: next.revision });
}

export async function extractDraft(draftId: string, revision?: number, delivery: Delivery = {}, attempt = 0): Promise<void> {
  let draft = await findDraft(draftId);
  if (!draft) {
    log.warn('upload for an unknown draft', { draftId });
    return;
  }
  if (revision !== undefined && revision !== draft.revision) return; // an upload (or message) of another revision
  let parts = partsOf(draft);
  const takenBefore = draft.status === 'EXTRACTING';
  if (draft.status !== 'AWAITING_UPLOAD') {
    // A form used again after its file was received: recorded, never acted on (see shared/pin.ts).
    // A conflict throws: the retried delivery notes it on the draft as it then is.
    const notes = (await Promise.all(parts.map(([p, f]) => uploadAfterReceipt(draft!, p, f)))).filter((n) => n !== undefined);
    if (notes.length) draft = await amend(draft, {}, { actor: SYSTEM, event: 'UPLOAD_IGNORED', note: notes.join('；') });
    if (draft.status !== 'EXTRACTING') return; // a repeated event
  }

  if (draft.status === 'AWAITING_UPLOAD') {
    const stats = await Promise.all(parts.map(([, f]) => receivedUpload(f)));
    if (stats.some((s) => s === undefined)) return; // waiting for the other file; its upload event brings us back
    // Each upload is read once and pinned; from here on only the pinned copies are read.
    const pins = await Promise.all(parts.map(([part, f], i) => pinUpload(draft!, part, f, stats[i]!)));
    try {
      if (pins.some((p) => p.kind === 'late')) {
        // S3 enforces a form's expiry; the local emulator does not: the pipeline refuses a late upload either way.
        const late = parts.map(([p], i) => [p, pins[i]!] as const).filter(([, pin]) => pin.kind === 'late');
        const zh = late.map(([p, pin]) => `${PART_LABELS[p]}于 ${pin.uploadedAt} 上传，晚于上传表单的有效期（${pin.file.uploadExpiresAt}），不予受理`).join('；');
        const en = late.map(([p, pin]) => `the ${p} was stored at ${pin.uploadedAt}, after its upload form expired (${pin.file.uploadExpiresAt}), and was refused`).join('; ');
        await amend(
          draft,
          { files: { ...draft.files, ...Object.fromEntries(late.map(([p, pin]) => [p, pin.file])) } },
          {
            actor: SYSTEM,
            event: 'UPLOAD_REFUSED',
            note: `${zh}。请重新获取上传地址后再上传。 / ${en.charAt(0).toUpperCase()}${en.slice(1)}. Get fresh upload forms (POST /drafts/${draft.id}/uploads) and upload again.`,
          },
        );
        return;
      }
      // The history line is written when extraction starts; the note says when S3 stored each file.
      const note = parts.map(([p], i) => `${PART_LABELS[p]} ${pins[i]!.uploadedAt}`).join('；');
      const files = Object.fromEntries(parts.map(([part], i) => [part, { ...pins[i]!.file, uploadedAt: pins[i]!.uploadedAt }])) as Draft['files'];
      draft = await transition(draft, 'EXTRACTING', { files }, { actor: SYSTEM, event: 'UPLOADED', note });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      // Another delivery took it; or the draft changed while still waiting (its upload forms renewed): then again, on the draft as it now is.
      const fresh = await findDraft(draftId);
      if (fresh?.status === 'AWAITING_UPLOAD' && fresh.revision === draft.revision && attempt < 2) return extractDraft(draftId, revision, delivery, attempt + 1);
      return;
    }
    parts = partsOf(draft);
  }

  // Extracted already, its scanned pages waiting for the OCR stage (a repeated message, or the reconciler): the OCR stage is asked again, nothing is extracted twice.
  if (parts.some(([, f]) => f.ocr?.pending !== undefined)) {
    await sendMessage('ocr', { draftId: draft.id, revision: draft.revision });
    return;
  }

  if (takenBefore && delivery.firstUploadEvent && now().getTime() - Date.parse(draft.stageEnteredAt) < EXTRACT_RUN_MS) {
    // Taken moments ago by another delivery, which is extracting it now (see Delivery): extracting it twice at once would only make one of the two fail.
    log.info('extraction under way in another delivery', { draftId: draft.id, revision: draft.revision });
    return;
  }

  // Only the pinned copies are read from here on (a retried EXTRACTING reads the same bytes).
  const taken = draft;
  const results = await Promise.all(
    parts.map(async ([part, f]) => ({ part, ...(await extractPart(taken, part, f, { size: f.pinned?.size ?? f.size ?? 0, lastModified: f.uploadedAt ?? '' })) })),
  );
  for (let write = 0; ; write++) {
    try {
      await finishExtraction(draft, results);
      return;
    } catch (err) {
      if (!(err instanceof ConflictError) || write >= 2) throw err;
      // The draft changed while its files were extracted (an upload noted as ignored, a retry counted by the reconciler, another delivery).
      const fresh = await findDraft(draftId);
      // Another delivery finished it (or sent it to the OCR stage), or it moved on: nothing left to do.
      if (!fresh || fresh.status !== 'EXTRACTING' || fresh.revision !== draft.revision || partsOf(fresh).some(([, f]) => f.ocr?.pending !== undefined)) return;
      // Still waiting for this extraction, of the same pinned bytes: applied to the draft as it now is.
      if (results.some((r) => fresh.files[r.part]?.pinned?.sha256 !== r.file.pinned?.sha256)) throw err;
      draft = fresh;
    }
  }
}

/** An S3 event notification (not a stage's or the reconciler's message). */
const isUploadEvent = (body: string): boolean => Array.isArray((JSON.parse(body) as { Records?: unknown }).Records);

export const processRecord = async (record: SQSRecord): Promise<void> => {
  const refs = new Map(draftRefsOf(record.body).map((r) => [`${r.id}:${r.revision ?? ''}`, r]));
  const delivery: Delivery = { firstUploadEvent: record.attributes?.ApproximateReceiveCount === '1' && isUploadEvent(record.body) };
  for (const r of refs.values()) await extractDraft(r.id, r.revision, delivery);
};

export const handler = sqsStage('extract-document', processRecord);

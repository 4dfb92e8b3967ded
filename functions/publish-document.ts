import type { SQSRecord } from 'aws-lambda';
import { writeObject } from '#shared/blobs';
import { nowIso, today } from '#shared/clock';
import { SYSTEM, type Draft } from '#shared/domain/draft';
import { env } from '#shared/env';
import { DomainError } from '#shared/errors';
import { DraftMessage, sendMessage } from '#shared/messages';
import { readPinned } from '#shared/pin';
import { decisionsOf, publishedText } from '#shared/render/preview';
import { plainTextOf } from '#shared/published-text';
import { documentPage, interpretationPage, sitePaths } from '#shared/render/site';
import { sqsStage } from '#shared/sqs-stage';
import { issuingBody } from '#shared/bodies';
import { allocateIndexNumber, summarise } from '#shared/site/catalogue';
import { PAGE_CACHE } from '#shared/site/cache';
import { saveSearchEntries } from '#shared/site/search';
import { findDraft, transition } from '#shared/store';
import { publishReportPages } from '#shared/annual-report-site';
import { publicationFacts, recordOversight } from '#shared/oversight';
import { bodyOfDraft } from '#shared/scope';

/** Raised if anything but an approved 主动公开 draft ever reaches the site writer. */
export class NotPublishableError extends DomainError {
  constructor(d: Draft) {
    super({
      zh: `文件 ${d.id} 的公开属性为 ${d.form.attribute ?? '未定'}，不得写入公开网站。`,
      en: `Draft ${d.id} is ${d.form.attribute ?? 'undetermined'}; it must never be written to the public site.`,
    });
    this.name = 'NotPublishableError';
  }
}

const HTML = 'text/html; charset=utf-8';
const EXTENSIONS = { pdf: 'pdf', docx: 'docx', text: 'txt', png: 'png', jpeg: 'jpg', tiff: 'tif' } as const;
const LABELS = { pdf: 'PDF', docx: 'Word', text: '文本', png: 'PNG 图片', jpeg: 'JPEG 图片', tiff: 'TIFF 图片' } as const;
/**
 * The Content-Type of a published original: from the kind sniffed from its pinned bytes, like
 * its extension — never the type the uploader declared (served with nosniff, a wrong one sticks).
 * Text is only accepted as UTF-8 (shared/extract).
 */
export const ORIGINAL_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  text: 'text/plain; charset=utf-8',
  // A scan's image: offered beside its recognised text, which is the page's text (issue 14).
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
} as const;

/** Where and as what a document is published: address, 索引号, 内容概述, and the original if it may be offered. */
async function newPublication(draft: Draft, maskedSpans: number, docText: string): Promise<NonNullable<Draft['publication']>> {
  // The original is offered for download only when nothing in its text had to be masked:
  // the file itself cannot be masked.
  const doc = draft.files.document;
  const kind = doc.kind ?? 'text';
  // Only bytes pinned at extraction are ever offered (a draft extracted before pinning offers none).
  const file =
    doc.kind && doc.pinned?.key && maskedSpans === 0
      ? { key: sitePaths.file(draft.id, EXTENSIONS[kind]), label: LABELS[kind], ...(doc.size ? { size: doc.size } : {}) }
      : undefined;
  const path = sitePaths.document(draft.id);
  const body = await issuingBody(draft);
  return {
    path,
    url: `${env.siteUrl()}/${path}`,
    publishedAt: nowIso(),
    indexNumber: draft.publication?.indexNumber ?? (await allocateIndexNumber(draft.form.documentDate, body)),
    body: { id: body.id, name: body.name },
    summary: summarise(docText, { title: draft.form.title }),
    ...(file ? { file } : {}),
  };
}

/**
 * Writes a document's own pages (document, interpretation, original file) and its search
 * entries, then asks the site consumer to enter it in the indexes; the consumer marks it
 * PUBLISHED once every index page and the search index show it. A repeated message while
 * the draft is still PUBLISHING writes the same pages again.
 */
export async function publishDraft(draftId: string): Promise<void> {
  let draft = await findDraft(draftId);
  if (!draft || (draft.status !== 'PUBLISHING' && draft.status !== 'LISTING')) return; // a repeated message
  // The last line of defence: only 主动公开, approved (or converted on review), with extracted text.
  if (draft.form.attribute !== '主动公开' || (draft.decision?.outcome !== 'approve' && draft.decision?.outcome !== 'convert') || !draft.files.document.textKey) {
    throw new NotPublishableError(draft);
  }

  // PDF text comes one visual line per line; pages read better with paragraphs rejoined.
  // Personal data is masked in the exact text written (PUB-4): the unmasked text never
  // reaches the site bucket.
  // The same function renders GET /drafts/{id}/preview: what was previewed (with the
  // reviewers' confirmations and corrections) is what is published.
  const decisions = decisionsOf(draft);
  // The two texts are read side by side (independent objects).
  const interpretation = draft.files.interpretation?.textKey ? draft.files.interpretation : undefined;
  const [docPlain, interpPlain] = await Promise.all([plainTextOf(draft.files.document), interpretation ? plainTextOf(interpretation) : Promise.resolve(undefined)]);
  const doc = publishedText(docPlain, 'document', decisions);
  const docText = doc.text;
  const interpText = interpPlain !== undefined ? publishedText(interpPlain, 'interpretation', decisions).text : undefined;

  // A repeated message after the pages were written reuses what was stored. Otherwise the
  // publication is computed here and stored once, after the pages: a crash in between only
  // leaves a gap in the 索引号 serials (the retry draws a new one and rewrites the pages).
  const publication = draft.status === 'LISTING' && draft.publication ? draft.publication : await newPublication(draft, doc.spans.length, docText);
  // Exactly the bytes extracted and checked: the pinned copy, verified against its sha256 before
  // anything is written (a copy that fails the check stops the publication, loudly).
  const original = publication.file ? await readPinned(draft.files.document) : undefined;
  const writes = [writeObject('site', sitePaths.document(draft.id), documentPage(draft, docText, { ...publication, today: today() }), HTML, { cacheControl: PAGE_CACHE })];
  if (interpText !== undefined) {
    writes.push(writeObject('site', sitePaths.interpretation(draft.id), interpretationPage(draft, interpText, publication.body), HTML, { cacheControl: PAGE_CACHE }));
  }
  if (publication.file && original) {
    writes.push(writeObject('site', publication.file.key, original, ORIGINAL_TYPES[draft.files.document.kind ?? 'text'], { cacheControl: PAGE_CACHE }));
  }
  await Promise.all(writes);
  // A 年度报告 (issue 13): its page and PDF in the body's 年度报告 column, from the frozen report whose text was checked.
  if (draft.annualReport) await publishReportPages(draft);

  const meta = {
    unit: draft.form.draftingUnit,
    date: draft.form.documentDate,
    ...(draft.form.documentNumber ? { number: draft.form.documentNumber } : {}),
    ...(publication.body ? { body: publication.body.id, bodyName: publication.body.name } : {}),
  };
  // The search entries (S3) and 监督考核 (issue 13.3: the publication's facts, DynamoDB) side by side,
  // both before the move that says the pages are written (a redelivered message records them
  // again: no-op), so LISTING is followed only by the site message.
  await Promise.all([
    saveSearchEntries(draft.id, [
      { url: sitePaths.document(draft.id), title: draft.form.title, content: docText, meta },
      ...(interpText !== undefined ? [{ url: sitePaths.interpretation(draft.id), title: `【解读】${draft.form.title}`, content: interpText, meta }] : []),
    ]),
    recordOversight(publicationFacts({ ...draft, publication }, bodyOfDraft(draft))),
  ]);
  // PUBLISHING → LISTING: the pages are written; the site consumer now enters the document in the indexes.
  if (draft.status === 'PUBLISHING') {
    draft = await transition(
      draft,
      'LISTING',
      { publication: { ...publication, pagesWrittenAt: nowIso() } },
      { actor: SYSTEM, event: 'PAGES_WRITTEN', note: sitePaths.document(draft.id) },
    );
  }
  await sendMessage('site', { op: 'publish', draftId: draft.id }, `${draft.id}:publish:${draft.version}`);
}

export const processRecord = async (record: SQSRecord): Promise<void> => {
  await publishDraft(DraftMessage.parse(JSON.parse(record.body)).draftId);
};

export const handler = sqsStage('publish-document', processRecord);

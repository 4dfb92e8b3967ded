import type { SQSRecord } from 'aws-lambda';
import { readText, writeObject } from '#shared/blobs';
import { nowIso } from '#shared/clock';
import { SYSTEM, type Draft } from '#shared/domain/draft';
import { env } from '#shared/env';
import { DomainError } from '#shared/errors';
import { DraftMessage, sendMessage } from '#shared/messages';
import { maskPersonalData } from '#shared/render/mask';
import { reflow } from '#shared/render/reflow';
import { documentPage, interpretationPage, sitePaths } from '#shared/render/site';
import { sqsStage } from '#shared/sqs-stage';
import { findDraft, transition } from '#shared/store';

/** Raised if anything but an approved 主动公开 draft ever reaches the site writer. */
export class NotPublishableError extends DomainError {
  constructor(d: Draft) {
    super({ zh: `文件 ${d.id} 的公开属性为 ${d.form.attribute ?? '未定'}，不得写入公开网站。`, en: `Draft ${d.id} is ${d.form.attribute ?? 'undetermined'}; it must never be written to the public site.` });
    this.name = 'NotPublishableError';
  }
}

const HTML = 'text/html; charset=utf-8';

/** Writes a document's own pages, marks it PUBLISHED, and asks for the index pages to be rendered. */
export async function publishDraft(draftId: string): Promise<void> {
  const draft = await findDraft(draftId);
  if (!draft || draft.status !== 'PUBLISHING') return; // a repeated message
  // The last line of defence: only 主动公开, approved (or converted on review), with extracted text.
  if (draft.form.attribute !== '主动公开' || (draft.decision?.outcome !== 'approve' && draft.decision?.outcome !== 'convert') || !draft.files.document.textKey) {
    throw new NotPublishableError(draft);
  }

  // PDF text comes one visual line per line; pages read better with paragraphs rejoined.
  // Personal data is masked in the exact text written (PUB-4): the unmasked text never
  // reaches the site bucket.
  const pageText = async (file: NonNullable<Draft['files']['interpretation']>) => {
    const text = await readText('drafts', file.textKey!);
    return maskPersonalData(file.kind === 'pdf' ? reflow(text) : text);
  };
  const docText = await pageText(draft.files.document);
  const writes = [writeObject('site', sitePaths.document(draft.id), documentPage(draft, docText), HTML)];
  if (draft.files.interpretation?.textKey) {
    const interpText = await pageText(draft.files.interpretation);
    writes.push(writeObject('site', sitePaths.interpretation(draft.id), interpretationPage(draft, interpText), HTML));
  }
  await Promise.all(writes);

  const path = sitePaths.document(draft.id);
  await transition(draft, 'PUBLISHED', { publication: { path, url: `${env.siteUrl()}/${path}`, publishedAt: nowIso() } }, { actor: SYSTEM, event: 'PUBLISHED', note: path });
  // The index pages list what is PUBLISHED; they are rendered by one consumer at a time
  // (render-site), after this status is committed, so no concurrent publish can drop it.
  await sendMessage('site', { op: 'publish', draftId: draft.id }, `${draft.id}:published`);
}

export const processRecord = async (record: SQSRecord): Promise<void> => {
  await publishDraft(DraftMessage.parse(JSON.parse(record.body)).draftId);
};

export const handler = sqsStage('publish-document', processRecord);

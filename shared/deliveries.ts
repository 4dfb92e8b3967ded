import { presignDownload, writeObject } from '#shared/blobs';
import { DELIVERY_AVAILABLE_DAYS, DELIVERY_LINK_SECONDS, type Answer, type Application, type DeliveredDocument } from '#shared/domain/application';
import type { Draft } from '#shared/domain/draft';
import { ValidationError, type FieldIssue } from '#shared/errors';
import { previewOf } from '#shared/published-text';
import { deliveryCopy, missingPassages, type Redaction } from '#shared/render/delivery';
import { bodyOfDraft } from '#shared/scope';
import { findDraft } from '#shared/store';
import { KEYS } from '#shared/topology';

/**
 * Gongkai documents given to an applicant (依申请公开, issue 12.4): checked when the answer is
 * proposed, copied for the applicant at delivery (masked and redacted, into the private
 * bucket), and offered on the tracking page through links that expire. Nothing here writes
 * the site bucket: a filed document given to one applicant never reaches the public by this
 * route.
 */

/** Drafts that can be given: recorded with their checked text (filed, under review, or published). */
const GIVABLE: readonly Draft['status'][] = ['FILED', 'REVIEWING', 'PUBLISHED'];

type Giving = Extract<Answer, { type: '予以公开' | '部分公开' }>;
const giving = (a: Answer | undefined): a is Giving => a?.type === '予以公开' || a?.type === '部分公开';

const redactionsOf = (a: Giving): Redaction[] => (a.type === '部分公开' ? a.withheld.map((w) => ({ ground: w.ground, ...(w.passages ? { passages: w.passages } : {}) })) : []);

/** The documents of an answer with their published text, or the field issues that stop it. */
async function load(app: Application, a: Giving): Promise<{ docs: { draft: Draft; text: string; masked: number }[]; issues: FieldIssue[] }> {
  const issues: FieldIssue[] = [];
  const docs: { draft: Draft; text: string; masked: number }[] = [];
  for (const [i, id] of a.documents.entries()) {
    const field = `action.answer.documents.${i}`;
    const draft = await findDraft(id);
    // Another body's document does not exist for this application (as for its staff).
    if (!draft || bodyOfDraft(draft) !== app.body) {
      issues.push({ field, zh: `本机关没有编号为 ${id} 的文件。`, en: `This body has no document ${id}.` });
      continue;
    }
    const preview = GIVABLE.includes(draft.status) ? (await previewOf(draft)).document : undefined;
    if (!preview) {
      issues.push({
        field,
        zh: `文件“${draft.form.title}”当前状态为 ${draft.status}，只有已归档、复核中或已发布的文件可以提供给申请人。`,
        en: `"${draft.form.title}" is ${draft.status}: only filed, reviewed or published documents can be given.`,
      });
      continue;
    }
    docs.push({ draft, text: preview.text, masked: preview.spans.filter((s) => s.state === 'masked').length });
  }
  if (a.type === '部分公开' && docs.length === a.documents.length && docs.length > 0) {
    const all = docs.map((d) => d.text).join('\n');
    a.withheld.forEach((w, i) =>
      missingPassages(all, [{ ground: w.ground, passages: w.passages ?? [] }]).forEach((p) =>
        issues.push({
          field: `action.answer.withheld.${i}.passages`,
          zh: `所给文件中找不到这段原文：“${[...p].slice(0, 30).join('')}${[...p].length > 30 ? '…' : ''}”。请从文件的公开文本（预览）中逐字复制。`,
          en: 'A withheld passage is not in the documents given: copy it word for word from the document’s published text (the preview).',
        }),
      ),
    );
  }
  return { docs, issues };
}

/** At 办理意见: the documents an answer gives exist for this body, can be given, and hold the withheld passages. */
export async function checkProposal(app: Application, answer: Answer): Promise<void> {
  if (!giving(answer) || answer.documents.length === 0) return;
  const { issues } = await load(app, answer);
  if (issues.length) throw new ValidationError(issues);
}

/** At 送达: the applicant's copy of each document given, written to the private bucket. */
export async function deliverCopies(app: Application, deliveredOn: string, bodyName: string): Promise<{ documents: DeliveredDocument[]; availableUntil: string } | undefined> {
  const answer = app.decision?.answer;
  if (!giving(answer) || answer.documents.length === 0) return undefined;
  const { docs, issues } = await load(app, answer);
  if (issues.length) throw new ValidationError(issues);
  const documents: DeliveredDocument[] = [];
  for (const { draft, text, masked } of docs) {
    const copy = deliveryCopy({
      bodyName,
      trackingCode: app.trackingCode,
      applicantName: app.input.applicant.name,
      answerType: answer.type,
      decidedOn: app.decision!.on,
      title: draft.form.title,
      ...(draft.form.documentNumber ? { number: draft.form.documentNumber } : {}),
      text,
      masked,
      redactions: redactionsOf(answer),
    });
    const key = `${KEYS.deliveries}${app.id}/${draft.id}.html`;
    await writeObject('drafts', key, copy.html, 'text/html; charset=utf-8');
    documents.push({
      id: draft.id,
      title: draft.form.title,
      ...(draft.form.documentNumber ? { number: draft.form.documentNumber } : {}),
      key,
      redacted: copy.redacted,
      masked,
    });
  }
  const until = new Date(Date.parse(`${deliveredOn}T00:00:00Z`) + DELIVERY_AVAILABLE_DAYS * 86_400_000).toISOString().slice(0, 10);
  return { documents, availableUntil: until };
}

/** A file name for the download: the title, without what a file system or a header refuses. */
const fileName = (title: string): string => `${[...title.replace(/[\\/:*?"<>|\p{Cc}]/gu, '')].slice(0, 60).join('') || 'document'}.html`;

/** The tracking page's links to the copies, while they are available; none after. */
export async function downloadLinks(
  app: Application,
  today: string,
): Promise<{ links: { title: string; number?: string; url: string; expiresAt: string }[]; availableUntil: string } | undefined> {
  const d = app.delivery;
  if (!d?.documents?.length || !d.availableUntil || today > d.availableUntil || (app.status !== 'DELIVERED' && app.status !== 'ARCHIVED')) return undefined;
  // The signature is dated by the SDK's clock (the real one), so is the expiry shown.
  const expiresAt = new Date(Date.now() + DELIVERY_LINK_SECONDS * 1000).toISOString();
  const links = [];
  for (const doc of d.documents) {
    const url = await presignDownload('drafts', doc.key, { fileName: fileName(doc.title), contentType: 'text/html; charset=utf-8', expiresIn: DELIVERY_LINK_SECONDS });
    links.push({ title: doc.title, ...(doc.number ? { number: doc.number } : {}), url, expiresAt });
  }
  return { links, availableUntil: d.availableUntil };
}

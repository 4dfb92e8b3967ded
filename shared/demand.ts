import { listBodies } from '#shared/bodies';
import { answerDue, type Application } from '#shared/domain/application';
import type { Actor, Draft } from '#shared/domain/draft';
import { env } from '#shared/env';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors';
import { getHistorical, replaceHistorical, HISTORICAL_ID, type HistoricalRecord } from '#shared/historical';
import { bodyIdOfUnit, bodyOfDraft } from '#shared/scope';
import { amend, findDraft, getDraft } from '#shared/store';
import { startReview } from '#shared/tasks';

/**
 * What an application naming a document sets going (issue 12.5):
 * - a filed 依申请公开 document: the application counts towards REV-2 (条例 Art. 44: many
 *   applications for the same information → consider making it 主动公开); at the threshold
 *   within 12 months its re-review is queued at once;
 * - a historical document without an attribute: its 公函 determination (000 §二(三)1) is opened
 *   for the drafting unit, due by the application's answer deadline;
 * - a published document: nothing (the answer tells where it is published).
 * Anything else — another body's document, a 不予公开 one, an id that does not exist — is
 * refused as not found, so the form cannot be used to learn what is not listed.
 */

const YEAR_MS = 365 * 24 * 3600 * 1000;

export type NamedDocument = { kind: 'filed'; draft: Draft } | { kind: 'published'; draft: Draft } | { kind: 'historical'; record: HistoricalRecord };

const notFound = (id: string, field: string) =>
  new ValidationError([
    {
      field,
      zh: `受理机关没有可申请的文件 ${id}，请从文件目录中选择，或删去后用文字描述所需信息。`,
      en: `The body has no document ${id} that can be applied for: choose one from the catalogue, or describe the information instead.`,
    },
  ]);

/** The document an application names, if it is one the applying body lists; a field error otherwise. */
export async function namedDocument(body: string, documentId: string | undefined, field = 'request.documentId'): Promise<NamedDocument | undefined> {
  if (!documentId) return undefined;
  if (HISTORICAL_ID.test(documentId)) {
    // Only its absence is "not found"; a failing store is an error, not a refusal.
    const record = await getHistorical(documentId).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
    if (!record || record.status !== 'UNDETERMINED' || bodyIdOfUnit(await listBodies(), record.draftingUnit) !== body) throw notFound(documentId, field);
    return { kind: 'historical', record };
  }
  const draft = await findDraft(documentId);
  if (!draft || bodyOfDraft(draft) !== body) throw notFound(documentId, field);
  if (draft.status === 'PUBLISHED') return { kind: 'published', draft };
  if (draft.form.attribute === '依申请公开' && (draft.status === 'FILED' || draft.status === 'REVIEWING')) return { kind: 'filed', draft };
  throw notFound(documentId, field);
}

export interface DemandOutcome {
  readonly kind: NamedDocument['kind'];
  /** REV-2: applications in the last 12 months, the threshold, and whether this one queued the re-review. */
  readonly recentApplications?: number;
  readonly threshold?: number;
  readonly reviewQueued?: boolean;
}

/** Records an application against the document it names (once per application, however often retried). */
export async function recordDemand(named: NamedDocument, app: Application, by: Actor, at: Date): Promise<DemandOutcome> {
  if (named.kind === 'published') return { kind: 'published' };
  if (named.kind === 'historical') {
    for (let attempt = 0; ; attempt++) {
      const record = attempt === 0 ? named.record : await getHistorical(named.record.id);
      if (record.applications?.some((a) => a.id === app.id)) return { kind: 'historical' };
      const due = answerDue(app);
      const entry = { id: app.id, trackingCode: app.trackingCode, receivedOn: app.receivedOn, ...(due.kind === 'due' ? { dueOn: due.dueOn } : {}) };
      try {
        await replaceHistorical(record, { ...record, applications: [...(record.applications ?? []), entry] });
        return { kind: 'historical' };
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= 4) throw err;
      }
    }
  }
  for (let attempt = 0; ; attempt++) {
    const draft = attempt === 0 ? named.draft : await getDraft(named.draft.id);
    const threshold = env.reviewApplicationThreshold();
    const recentOf = (d: Draft) => (d.applications ?? []).filter((a) => Date.parse(a.at) > at.getTime() - YEAR_MS).length;
    if (draft.applications?.some((a) => a.application === app.id)) return { kind: 'filed', recentApplications: recentOf(draft), threshold, reviewQueued: false };
    // Only the last 12 months matter to REV-2; the total keeps the count of all.
    const applications = [
      ...(draft.applications ?? []).filter((a) => Date.parse(a.at) > at.getTime() - YEAR_MS),
      { at: at.toISOString(), by, application: app.id, note: `申请 ${app.trackingCode}（${app.channel}）` },
    ];
    const recent = applications.length;
    try {
      const next = await amend(
        draft,
        { applications, applicationsTotal: (draft.applicationsTotal ?? draft.applications?.length ?? 0) + 1 },
        { actor: by, event: 'APPLICATION_RECORDED', note: `近 12 个月第 ${recent} 件申请（阈值 ${threshold}）：申请 ${app.trackingCode}` },
      );
      const reviewQueued =
        recent >= threshold && next.status === 'FILED'
          ? await startReview(next, `申请公开达到 ${recent} 件（阈值 ${threshold}），提前复核 / early review: ${recent} applications in 12 months`)
          : false;
      return { kind: 'filed', recentApplications: recent, threshold, reviewQueued };
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 4) throw err;
    }
  }
}

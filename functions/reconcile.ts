import { now } from '#shared/clock';
import { EXTRACT_ATTEMPTS_MAX, SYSTEM, type Draft, type StoredFile } from '#shared/domain/draft';
import { FILE_RULE } from '#shared/rules/index';
import { receivedUpload } from '#shared/pin';
import { log } from '#shared/log';
import { observe } from '#shared/observe';
import { sendMessage } from '#shared/messages';
import { draftsMissingInbox } from '#shared/inbox';
import { amend, findDraft, listByStatus, transition } from '#shared/store';
import { topology } from '#shared/topology';

/**
 * Finds drafts stuck in a stage — a lost message, an S3 event that never came, an
 * emulator restart that emptied the queues — and puts them back on their queue. Every
 * stage ignores work it has already done, so re-enqueueing is always safe. Approval tasks
 * are not messages (shared/inbox.ts) and cannot be lost with a queue; a draft waiting for a
 * decision whose item lacks its inbox entry (written before the inbox, or by hand) is
 * rewritten, which restores the entry.
 */
export interface ReconcileOptions {
  /** A draft counts as stuck once it has sat in a stage this long. */
  readonly stageSeconds?: number;
}

export interface ReconcileReport {
  readonly requeued: { readonly id: string; readonly status: string }[];
}

const DEFAULTS = { stageSeconds: 600 };

/** Every part received: present and not an upload the extract stage refused as late (which would be sent back each run). */
const allUploaded = async (d: Draft) =>
  (await Promise.all((Object.values(d.files) as (StoredFile | undefined)[]).filter((f): f is StoredFile => !!f).map((f) => receivedUpload(f)))).every((s) => s !== undefined);

/**
 * Counts one more re-send of a revision stalled in extraction; past the limit the draft is
 * rejected with its reason instead (a file that crashes extraction each time would otherwise
 * be re-sent, and crash it, for ever). False when it was rejected (or changed meanwhile).
 */
async function countExtractAttempt(d: Draft): Promise<boolean> {
  const count = d.extractAttempts?.revision === d.revision ? d.extractAttempts.count : 0;
  try {
    if (count >= EXTRACT_ATTEMPTS_MAX) {
      const zh = `正文文件：文件提取 ${count + 1} 次均未完成（处理中断或超出资源限制），系统已停止重试。请检查文件是否过大或损坏，另存或拆分后提交新版本。`;
      const en = `document: extraction did not finish after ${count + 1} attempts (interrupted or over its resource limits); no more retries. Check whether the file is too large or damaged, then save it again or split it and submit a new revision.`;
      const finding = { ruleId: FILE_RULE.id, severity: FILE_RULE.severity, source: FILE_RULE.source, zh, en, evidence: [{ in: 'document' }] };
      await transition(d, 'REJECTED', { findings: [...d.findings, finding] }, { actor: SYSTEM, event: 'FILE_REJECTED', note: `${zh} / ${en}` });
      log.warn('extraction abandoned after repeated attempts', { draftId: d.id, attempts: count });
      return false;
    }
    await amend(
      d,
      { extractAttempts: { revision: d.revision, count: count + 1 } },
      { actor: SYSTEM, event: 'EXTRACT_RETRIED', note: `第 ${count + 1} 次重新提取 / extraction retry ${count + 1} of ${EXTRACT_ATTEMPTS_MAX}` },
    );
    return true;
  } catch (err) {
    log.warn('could not count an extraction attempt', { draftId: d.id, error: String(err) });
    return false;
  }
}

export async function reconcile(options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const { stageSeconds } = { ...DEFAULTS, ...options };
  const at = now();
  const before = (seconds: number) => new Date(at.getTime() - seconds * 1000 + 1).toISOString();
  const requeued: ReconcileReport['requeued'] = [];

  for (const [status, queue] of [
    ['AWAITING_UPLOAD', 'extract'],
    ['EXTRACTING', 'extract'],
    ['CHECKING', 'check'],
    ['PUBLISHING', 'publish'],
    // Pages written, the site message lost: publish-document sends it again (and rewrites the same pages).
    ['LISTING', 'publish'],
  ] as const) {
    for (const d of await listByStatus(status, { enteredBefore: before(stageSeconds), limit: 1000 })) {
      if (status === 'AWAITING_UPLOAD' && !(await allUploaded(d))) continue; // still waiting for the drafter
      // Scanned pages waiting for the OCR stage: stuck only once a delivery of the ocr queue could have ended (it may run 15 minutes).
      const toOcr = status === 'EXTRACTING' && Object.values(d.files).some((f) => f?.ocr?.pending !== undefined);
      if (toOcr && stageSeconds > 0 && d.updatedAt > before(Math.max(stageSeconds, topology.queues.ocr.visibilityTimeoutSeconds))) continue;
      if (status === 'EXTRACTING' && !(await countExtractAttempt(d))) continue; // rejected: it never finished
      await sendMessage(toOcr ? 'ocr' : queue, { draftId: d.id, revision: d.revision });
      requeued.push({ id: d.id, status });
    }
  }

  // Waiting drafts without their task-inbox entry: rewritten as they are, which restores it.
  for (const id of await draftsMissingInbox()) {
    const d = await findDraft(id);
    if (!d) continue;
    try {
      await amend(d, {}, { actor: SYSTEM, event: 'TASK_INBOX_RESTORED', note: d.task?.id });
      requeued.push({ id: d.id, status: d.status });
    } catch (err) {
      log.warn('could not restore a task inbox entry', { draftId: d.id, error: String(err) });
    }
  }
  // Withdrawals whose site message was lost: the site consumer finishes them.
  for (const d of await listByStatus('WITHDRAWING', { enteredBefore: before(stageSeconds), limit: 1000 })) {
    await sendMessage('site', { op: 'withdraw', draftId: d.id }, `${d.id}:withdraw:reconcile:${Math.floor(at.getTime() / 60_000)}`);
    requeued.push({ id: d.id, status: d.status });
  }
  // Approvals with a publication time: released when it has come.
  for (const d of await listByStatus('SCHEDULED', { enteredBefore: new Date(at.getTime() + 1).toISOString(), limit: 1000 })) {
    try {
      const next = await transition(d, 'PUBLISHING', {}, { actor: SYSTEM, event: 'SCHEDULED_RELEASE', note: d.publishAt });
      await sendMessage('publish', { draftId: next.id });
      requeued.push({ id: d.id, status: d.status });
    } catch (err) {
      log.warn('could not release a scheduled draft', { draftId: d.id, error: String(err) });
    }
  }
  // Pages that change with time (validity of normative documents, the annual report's
  // counts of filings and reviews) are rendered again; this also heals a lost refresh.
  await sendMessage('site', { op: 'refresh', cause: 'reconcile' }, `reconcile:${Math.floor(at.getTime() / 60_000)}`);
  if (requeued.length) log.info('reconciled', { count: requeued.length, requeued });
  return { requeued };
}

/** Scheduled every few minutes (EventBridge in AWS, the local scheduler locally). */
export const handler = observe('reconcile', async (event: ReconcileOptions | Record<string, unknown> = {}): Promise<ReconcileReport> => {
  const opts = (event ?? {}) as ReconcileOptions;
  return reconcile(typeof opts.stageSeconds === 'number' ? { stageSeconds: opts.stageSeconds } : {});
});

import type { SQSRecord } from 'aws-lambda';
import { ruleContextOf } from '#shared/rule-context';
import { SYSTEM } from '#shared/domain/draft';
import { blocks } from '#shared/domain/finding';
import { DraftMessage } from '#shared/messages';
import { evaluate } from '#shared/rules/index';
import { sqsStage } from '#shared/sqs-stage';
import { amend, findDraft, transition } from '#shared/store';
import { isClassified, purgeDraftBytes, purgeNote, withoutBodyText } from '#shared/purge';
import type { Draft } from '#shared/domain/draft';
import { nextTask } from '#shared/tasks';
import { returnReport } from '#shared/annual-report-submission';
import { ConflictError } from '#shared/errors';

/**
 * Runs the rulebook over an extracted draft: a blocking finding rejects it, otherwise it waits
 * for an approver. A draft changed while it was checked (an upload noted as ignored, another
 * delivery) is read again and checked as it now is, at most three times in all; a delivery that
 * finds it checked already does nothing.
 */
export async function checkDraft(draftId: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await checkOnce(draftId);
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 2) throw err;
    }
  }
}

async function checkOnce(draftId: string): Promise<void> {
  const draft = await findDraft(draftId);
  // A classified draft rejected by a delivery that stopped before its purge: purge now.
  if (draft?.status === 'REJECTED' && isClassified(draft.findings) && !draft.history.some((h) => h.event === 'CLASSIFIED_PURGED')) return purge(draft);
  if (!draft || draft.status !== 'CHECKING') return; // unknown, or a repeated message

  // Findings about the files (from extraction) stay; rule findings are computed afresh.
  const fileFindings = draft.findings.filter((f) => f.ruleId.startsWith('FILE-'));
  const findings = [...fileFindings, ...evaluate(await ruleContextOf(draft))];

  if (blocks(findings)) {
    const blocking = findings.filter((f) => f.severity === 'block');
    if (isClassified(findings)) {
      // No body text stays on the draft either: only the mark is quoted.
      const rejected = await transition(
        draft,
        'REJECTED',
        { findings: withoutBodyText(findings) },
        {
          actor: SYSTEM,
          event: 'RULES_BLOCKED',
          note: `${blocking.map((f) => f.ruleId).join(', ')}：正文显示密级标志，涉密文件不得在本系统办理，文件将从系统中删除，请按保密规定通过涉密渠道处理 / a secrecy mark: a classified document must not be handled here; its files are being removed — handle it through the classified channel`,
        },
      );
      await purge(rejected);
      await returnReport(draft, new Date(), { classified: true });
      return;
    }
    await transition(draft, 'REJECTED', { findings }, { actor: SYSTEM, event: 'RULES_BLOCKED', note: blocking.map((f) => f.ruleId).join(', ') });
    // A 年度报告 refused by the rulebook goes back to the office as a DRAFT (issue 13).
    await returnReport(draft, new Date());
    return;
  }
  const task = nextTask(draft);
  // The same write puts the task in the approvers' (or the information centre's) inbox.
  await transition(draft, 'PENDING_APPROVAL', { findings, task }, { actor: SYSTEM, event: 'CHECKED', note: `${findings.length} 条提示` });
}

/** Removes the classified draft's bytes, then records it (a retried delivery finds the line missing and purges again). */
async function purge(draft: Draft): Promise<void> {
  const report = await purgeDraftBytes(draft);
  await amend(draft, {}, { actor: SYSTEM, event: 'CLASSIFIED_PURGED', note: purgeNote(report) });
}

export const processRecord = async (record: SQSRecord): Promise<void> => {
  await checkDraft(DraftMessage.parse(JSON.parse(record.body)).draftId);
};

export const handler = sqsStage('check-draft', processRecord);

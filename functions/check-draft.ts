import type { SQSRecord } from 'aws-lambda';
import { readText } from '#shared/blobs';
import { SYSTEM } from '#shared/domain/draft';
import { blocks } from '#shared/domain/finding';
import { DraftMessage } from '#shared/messages';
import { evaluate } from '#shared/rules/index';
import { sqsStage } from '#shared/sqs-stage';
import { findDraft, transition } from '#shared/store';
import { nextTask } from '#shared/tasks';

/** Runs the rulebook over an extracted draft: a blocking finding rejects it, otherwise it waits for an approver. */
export async function checkDraft(draftId: string): Promise<void> {
  const draft = await findDraft(draftId);
  if (!draft || draft.status !== 'CHECKING') return; // unknown, or a repeated message

  const textOf = async (key: string | undefined) => (key ? { text: await readText('drafts', key) } : undefined);
  const [document, interpretation] = await Promise.all([textOf(draft.files.document.textKey), textOf(draft.files.interpretation?.textKey)]);
  // Findings about the files (from extraction) stay; rule findings are computed afresh.
  const fileFindings = draft.findings.filter((f) => f.ruleId.startsWith('FILE-'));
  const findings = [...fileFindings, ...evaluate({ form: draft.form, ...(document ? { document } : {}), ...(interpretation ? { interpretation } : {}) })];

  if (blocks(findings)) {
    const blocking = findings.filter((f) => f.severity === 'block');
    await transition(draft, 'REJECTED', { findings }, { actor: SYSTEM, event: 'RULES_BLOCKED', note: blocking.map((f) => f.ruleId).join(', ') });
    return;
  }
  const task = nextTask(draft);
  // The same write puts the task in the approvers' (or the information centre's) inbox.
  await transition(draft, 'PENDING_APPROVAL', { findings, task }, { actor: SYSTEM, event: 'CHECKED', note: `${findings.length} 条提示` });
}

export const processRecord = async (record: SQSRecord): Promise<void> => {
  await checkDraft(DraftMessage.parse(JSON.parse(record.body)).draftId);
};

export const handler = sqsStage('check-draft', processRecord);

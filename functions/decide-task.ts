import { bodyOfDraft } from '#shared/scope';
import { returnReport } from '#shared/annual-report-submission';
import { visibleDraft } from '#shared/access';
import { now } from '#shared/clock';
import { planDecision } from '#shared/domain/decision';
import { draftView } from '#shared/domain/draft';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/tasks';
import { ruleContextOf } from '#shared/rule-context';
import { sendMessage } from '#shared/messages';
import { conversionFindings } from '#shared/rules/index';
import { recordFact } from '#shared/site/report';
import { amend, transition } from '#shared/store';
import { chinaDate } from '#shared/calendar';
import { recordOversight, reviewFacts } from '#shared/oversight';

/**
 * POST /tasks/{id}/decision (id = draft id): decide a claimed task — approve (now or at
 * `publishAt`), reject or return a draft; acknowledge its ATTR-3 filing (information
 * centre); keep or convert (to 主动公开) a re-reviewed document. The outcomes allowed
 * depend on the task's kind. Needs the live claim (token and lease) and the version the
 * approver reviewed; of two approvers deciding at once exactly one write lands and the
 * other gets 409.
 */
export const handler = apiHandler(ROUTES.decideTask, async ({ id, who, body: req }) => {
  const draft = await visibleDraft(id, who);
  const at = now();
  let plan = planDecision(draft, req, who, at);
  // A conversion to 主动公开 is checked again on the stored text (issue 15.5), once the decision is otherwise allowed.
  if (req.outcome === 'convert') plan = planDecision(draft, req, who, at, conversionFindings(await ruleContextOf(draft)));
  const { write } = plan;
  const next = write.kind === 'transition' ? await transition(draft, write.to, write.change, write.line) : await amend(draft, write.change, write.line);
  if (plan.refusal) throw plan.refusal;
  // After the commit (the task left the inbox in the same write).
  for (const m of plan.messages) await sendMessage(m.queue, m.body);
  // A 年度报告 rejected or returned goes back to the office as a DRAFT (issue 13).
  if (next.annualReport && (next.status === 'REJECTED' || next.status === 'RETURNED')) await returnReport(next, at);
  // The annual report's counts (one fact per document and event, so a retry counts once).
  for (const fact of plan.facts) await recordFact(fact, draft.id, at.toISOString(), bodyOfDraft(draft));
  // 监督考核 (issue 13.3): a re-review decided, on time or late against its reviewDue (one fact per review cycle).
  if (draft.task?.kind === 'review' && (req.outcome === 'keep' || req.outcome === 'convert')) await recordOversight(reviewFacts(draft, bodyOfDraft(draft), chinaDate(at)));
  return draftView(next);
});

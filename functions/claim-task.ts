import { readText } from '#shared/blobs';
import { now } from '#shared/clock';
import { draftView, TASK_ROLE, TASK_STATUSES, type Draft } from '#shared/domain/draft';
import { ConflictError } from '#shared/errors';
import { apiHandler, actorOf, type Identity } from '#shared/http';
import { ROUTES } from '#shared/routes/tasks';
import { inboxPage, type InboxEntry } from '#shared/inbox';
import { actsForDraft, bodiesOf } from '#shared/scope';
import { amend, findDraft } from '#shared/store';
import { newClaimToken, tokenHash } from '#shared/tasks';
import { TASKS } from '#shared/topology';

const TEXT_LIMIT = 200_000;
const TASK_ROLES = [...new Set(Object.values(TASK_ROLE))];

/** Whether `who` may take this draft's task now (the index may lag; the draft is the truth). */
function claimable(draft: Draft | undefined, who: Identity, at: Date): draft is Draft & { task: NonNullable<Draft['task']> } {
  if (!draft?.task || !TASK_STATUSES.includes(draft.status)) return false;
  if (!who.roles.includes(TASK_ROLE[draft.task.kind])) return false;
  if (draft.submitter.sub === who.sub) return false; // nobody decides their own submission
  if (!actsForDraft(who, draft)) return false; // another body's task (issue 16.2)
  const claim = draft.task.claim;
  return !claim || Date.parse(claim.until) <= at.getTime();
}

/**
 * POST /tasks/claim: takes the oldest task claimable now from the inboxes of the caller's
 * roles (approvals and re-reviews for approvers, ATTR-3 filings for the information centre)
 * in the bodies they act for (shared/inbox.ts, shared/scope.ts). Taking it is a conditional write of the lease on the draft, which also
 * moves its inbox entry to the lease's end, so of two claims at once one wins and the other
 * takes the next task. Looking consumes nothing: entries passed over stay as they were.
 * The claim token is random; the draft keeps its hash, and the decision must bring it back.
 */
export const handler = apiHandler(ROUTES.claimTask, async ({ who, body: { leaseSeconds = TASKS.defaultLeaseSeconds } }) => {
  const at = now();
  const atIso = at.toISOString();
  // One inbox per (body, role) of the caller; each with the cursor of its next page.
  const inboxes = bodiesOf(who).flatMap((body) => TASK_ROLES.filter((r) => who.roles.includes(r)).map((role) => ({ body, role })));
  const cursors = new Map<(typeof inboxes)[number], Record<string, unknown> | undefined>(inboxes.map((i) => [i, undefined]));

  while (cursors.size > 0) {
    // One page of each of the caller's inboxes, oldest first across them.
    const pages = await Promise.all([...cursors].map(async ([inbox, start]) => [inbox, await inboxPage(inbox, atIso, who.sub, start)] as const));
    const entries: InboxEntry[] = [];
    for (const [inbox, page] of pages) {
      entries.push(...page.entries);
      if (page.next) cursors.set(inbox, page.next);
      else cursors.delete(inbox);
    }
    entries.sort((a, b) => a.sortKey.localeCompare(b.sortKey));
    for (const entry of entries) {
      const draft = await findDraft(entry.draftId);
      if (!claimable(draft, who, at)) continue;
      const claimToken = newClaimToken();
      const until = new Date(at.getTime() + leaseSeconds * 1000).toISOString();
      const by = actorOf(who, TASK_ROLE[draft.task.kind]);
      let claimed: Draft;
      try {
        claimed = await amend(
          draft,
          { task: { ...draft.task, claim: { by, until, since: atIso, tokenHash: tokenHash(claimToken) } } },
          { actor: by, event: 'CLAIMED', note: `租约至 ${until}` },
        );
      } catch (err) {
        if (err instanceof ConflictError) continue; // someone else took it first: the next one
        throw err;
      }
      const texts = await Promise.all(
        Object.entries(claimed.files).map(async ([part, f]) => [part, f?.textKey ? (await readText('drafts', f.textKey)).slice(0, TEXT_LIMIT) : undefined] as const),
      );
      return {
        claimToken,
        leaseUntil: until,
        taskId: claimed.task!.id,
        draft: draftView(claimed),
        texts: Object.fromEntries(texts),
      };
    }
  }
  return { claimToken: null, message: { zh: '目前没有可领取的任务。', en: 'No task is waiting for you.' } };
});

import { visibleDraft } from '#shared/access';
import { nowIso } from '#shared/clock';
import { draftView, STATUS_LABELS, type Draft } from '#shared/domain/draft';
import { yearsFromToday } from '#shared/domain/form';
import { VALIDITY_KIND_LABELS, type ValidityChange } from '#shared/domain/validity';
import { ConflictError, ValidationError } from '#shared/errors';
import { apiHandler, actorOf } from '#shared/http';
import { ROUTES } from '#shared/routes/documents';
import { sendMessage } from '#shared/messages';
import { validityOf } from '#shared/site/catalogue';
import { markValidityPending } from '#shared/site/validity-days';
import { amend, findDraft } from '#shared/store';
import { recordOversight, validityChangeFacts } from '#shared/oversight';
import { bodyOfDraft } from '#shared/scope';

/**
 * POST /documents/{id}/validity: an approver records that a published 行政规范性文件 is
 * repealed (废止, with a reason, optionally naming the document replacing it) or amended
 * (修订, naming the revised document), from a date (today, earlier, or announced up to a year
 * ahead). The record and its history line are one conditional write; the site consumer then
 * renders the document's page (a notice linking the replacing one), the replacing document's
 * page (linking back), the normative column and the catalogue. A pending item written first
 * makes up for a lost message on the next site run. An identical repeat answers 200.
 */

const NORMATIVE = '行政规范性文件';

function conflict(zh: string, en: string): never {
  throw new ConflictError({ zh, en });
}

function checkReplacing(a: Draft, b: Draft | undefined, replacedBy: string): Draft {
  if (replacedBy === a.id) conflict('替代文件不能是本文件自身。', 'A document cannot replace itself.');
  if (!b) conflict(`找不到替代文件 ${replacedBy}，请填写已公开发布文件的编号。`, `No document ${replacedBy}: give the id of a published document.`);
  if (b.status !== 'PUBLISHED') {
    conflict(`替代文件须已公开发布（该文件当前状态为“${STATUS_LABELS[b.status]}”，${b.status}）。`, `The replacing document must be published; it is ${b.status}.`);
  }
  if (b.validityChange) {
    conflict(
      `替代文件《${b.form.title}》本身已被${VALIDITY_KIND_LABELS[b.validityChange.kind]}，请指明现行的文件。`,
      'The replacing document is itself repealed or amended: name the one in force.',
    );
  }
  return b;
}

export const handler = apiHandler(ROUTES.changeValidity, async ({ id, who, body: request }) => {
  const a = await visibleDraft(id, who);
  const kind: ValidityChange['kind'] = request.action === 'repeal' ? 'repealed' : 'amended';
  const label = VALIDITY_KIND_LABELS[kind];

  if (a.status !== 'PUBLISHED') {
    conflict(
      `只有已公开发布的文件可以${label}（该文件当前状态为“${STATUS_LABELS[a.status]}”，${a.status}）。`,
      `Only a published document can be ${kind}; this one is ${a.status}.`,
    );
  }
  if (a.form.documentType !== NORMATIVE) {
    conflict(
      `废止和修订只适用于行政规范性文件（该文件文种为“${a.form.documentType}”）；其他文件请使用撤回。`,
      `Repeal and amendment apply to 行政规范性文件 only (this is ${a.form.documentType}); withdraw other documents instead.`,
    );
  }
  const replacing = request.replacedBy ? checkReplacing(a, await findDraft(request.replacedBy), request.replacedBy) : undefined;

  // An identical repeat (a retried request) answers as the first did; another change is refused.
  if (a.validityChange) {
    const c = a.validityChange;
    if (c.kind === kind && c.date === request.date && c.replacedBy?.id === replacing?.id) {
      // 监督考核 (issue 13.3): a retry after a crash records what the first did not (idempotent).
      await recordOversight(validityChangeFacts(a, c, bodyOfDraft(a)));
      await markValidityPending(a.id);
      await sendMessage('site', { op: 'validity', draftId: a.id }, `${a.id}:validity:${a.version}`);
      return draftView(a);
    }
    conflict(
      `该文件已于 ${c.at.slice(0, 10)} 登记为自 ${c.date} 起${VALIDITY_KIND_LABELS[c.kind]}，不能再次登记。`,
      `This document is already recorded as ${c.kind} from ${c.date}; it cannot be changed again.`,
    );
  }

  const v: { from?: string; until?: string } = validityOf(a.form) ?? {};
  const issues = [];
  if (v.from && request.date < v.from) {
    issues.push({
      field: 'date',
      zh: `${label}日期早于文件施行日期 ${v.from} / the date is before the document took effect`,
      en: `The date is before the document took effect (${v.from}).`,
    });
  }
  if (v.until && request.date > v.until) {
    issues.push({ field: 'date', zh: `文件已于 ${v.until} 有效期届满失效，无需${label} / the document expires on ${v.until}`, en: `The document already expires on ${v.until}.` });
  }
  if (request.date > yearsFromToday(1)) {
    issues.push({
      field: 'date',
      zh: `${label}日期晚于今天起一年，请检查年份 / more than a year ahead: check the year`,
      en: 'The date is more than a year ahead: check the year.',
    });
  }
  if (issues.length) throw new ValidationError(issues);

  const by = actorOf(who);
  const change: ValidityChange = {
    kind,
    date: request.date,
    ...(request.reason ? { reason: request.reason } : {}),
    ...(replacing
      ? { replacedBy: { id: replacing.id, title: replacing.form.title, ...(replacing.form.documentNumber ? { documentNumber: replacing.form.documentNumber } : {}) } }
      : {}),
    by,
    at: nowIso(),
  };
  // Before the write: a lost message is made up by the next site run.
  await markValidityPending(a.id);
  const next = await amend(
    a,
    { validityChange: change },
    {
      actor: by,
      event: kind === 'repealed' ? 'VALIDITY_REPEALED' : 'VALIDITY_AMENDED',
      note: [`自 ${change.date} 起${label}`, replacing ? `替代文件《${replacing.form.title}》` : '', request.reason ?? ''].filter(Boolean).join('；'),
    },
  );
  await recordOversight(validityChangeFacts(next, change, bodyOfDraft(next)));
  await sendMessage('site', { op: 'validity', draftId: next.id }, `${next.id}:validity:${next.version}`);
  return draftView(next);
});

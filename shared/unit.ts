import { ForbiddenError, type Bilingual } from '#shared/errors';
import type { Identity } from '#shared/http';

/**
 * The one place that ties a drafting unit named in a request to the caller's unit (the
 * `custom:unit` claim). A drafter acts for their own unit only; roles without a unit (the
 * information centre importing history) are not drafters and are not checked here.
 */
export function unitMismatch(who: Identity, claimed: string): Bilingual | undefined {
  if (!who.unit) {
    return {
      zh: `您的账号未设置所属单位，不能以起草单位“${claimed}”的名义提交文件。请联系管理员为账号设置单位后再提交。`,
      en: `Your account has no unit, so it cannot submit documents as the drafting unit "${claimed}". Ask the administrator to set your account's unit, then submit again.`,
    };
  }
  if (claimed !== who.unit) {
    return {
      zh: `起草单位“${claimed}”不是您所属的单位“${who.unit}”：只能以本单位名义提交文件。请将起草单位改为“${who.unit}”，或由“${claimed}”的工作人员提交。`,
      en: `The drafting unit "${claimed}" is not your unit "${who.unit}": you submit only in your own unit's name. Set the drafting unit to "${who.unit}", or have a member of "${claimed}" submit it.`,
    };
  }
  return undefined;
}

/** Refuses (403, nothing stored) a drafter naming a drafting unit that is not theirs. */
export function requireOwnUnit(who: Identity, claimed: string): void {
  const mismatch = unitMismatch(who, claimed);
  if (mismatch) throw new ForbiddenError(mismatch);
}

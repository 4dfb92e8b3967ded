import { bodyOfUnit, type Body } from '#shared/domain/body';
import type { Draft } from '#shared/domain/draft';
import type { Identity } from '#shared/http';
import { siteConfig } from '#shared/site/config';

/**
 * Which 公开主体 (body) a draft belongs to and which bodies a user acts for (issue 16.2).
 * A drafter acts for the body of their drafting unit (the unit is theirs, shared/unit.ts); an
 * approver or the information centre for the bodies of their custom:bodies claim, or, when it
 * is absent (users from before bodies), the platform's top body. The same person may act for
 * several bodies, in every role they hold.
 */

/** The body a draft is issued for: its own, or (a draft from before bodies) the platform's top body. */
export const bodyOfDraft = (d: Pick<Draft, 'body'>): string => d.body ?? siteConfig.bodyId;

/** The bodies an approver or the information centre acts for: their custom:bodies, or the top body. */
export const bodiesOf = (who: Pick<Identity, 'bodies'>): readonly string[] => (who.bodies?.length ? who.bodies : [siteConfig.bodyId]);

/** Whether `who`, as an approver or the information centre, acts for the draft's body. */
export const actsForDraft = (who: Pick<Identity, 'bodies'>, d: Pick<Draft, 'body'>): boolean => bodiesOf(who).includes(bodyOfDraft(d));

/** The body a drafting unit issues for: the body that lists it, or the top body (bodies: the platform's, shared/bodies.ts). */
export const bodyIdOfUnit = (bodies: readonly Body[], unit: string | undefined): string => bodyOfUnit(bodies, unit)?.id ?? siteConfig.bodyId;

/** Whether `who`, as the information centre or an approver, acts for the body of a drafting unit. */
export const actsForUnit = (who: Pick<Identity, 'bodies'>, bodies: readonly Body[], unit: string | undefined): boolean => bodiesOf(who).includes(bodyIdOfUnit(bodies, unit));

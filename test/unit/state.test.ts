import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertTransition, canTransition, isTerminal, parseUploadKey, STATUSES, uploadKey } from '#shared/domain/draft';
import { InvalidTransitionError } from '#shared/errors';

describe('the draft state machine', () => {
  it('follows the pipeline from upload to publication or filing', () => {
    const path = ['AWAITING_UPLOAD', 'EXTRACTING', 'CHECKING', 'PENDING_APPROVAL', 'PUBLISHING', 'LISTING', 'PUBLISHED'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
    expect(canTransition('PENDING_APPROVAL', 'FILED')).toBe(true);
    // The sub-state of a publication is explicit: pages written (LISTING) before the indexes show it (PUBLISHED).
    expect(STATUSES.filter((to) => canTransition('PUBLISHING', to))).toEqual(['LISTING']);
    expect(STATUSES.filter((to) => canTransition(to, 'PUBLISHED'))).toEqual(['LISTING']);
  });
  it('never publishes without approval or a re-review, and never leaves a final state', () => {
    for (const from of STATUSES) {
      if (from !== 'PENDING_APPROVAL' && from !== 'REVIEWING' && from !== 'SCHEDULED') expect(canTransition(from, 'PUBLISHING')).toBe(false);
      if (from !== 'PENDING_APPROVAL' && from !== 'REVIEWING') expect(canTransition(from, 'FILED')).toBe(false);
    }
    for (const s of ['WITHDRAWN', 'REJECTED'] as const) {
      expect(isTerminal(s)).toBe(true);
      for (const to of STATUSES) expect(canTransition(s, to)).toBe(false);
    }
    // A published document can only be withdrawn (and stays withdrawn).
    expect(STATUSES.filter((to) => canTransition('PUBLISHED', to))).toEqual(['WITHDRAWING']);
    expect(STATUSES.filter((to) => canTransition('WITHDRAWING', to))).toEqual(['WITHDRAWN']);
  });
  it('re-reviews a filed document: kept (back to FILED) or converted (to PUBLISHING), nothing else', () => {
    expect(STATUSES.filter((to) => canTransition('FILED', to))).toEqual(['REVIEWING']);
    expect(STATUSES.filter((to) => canTransition('REVIEWING', to)).sort()).toEqual(['FILED', 'PUBLISHING']);
  });
  it('publishes a scheduled approval only by moving it to PUBLISHING', () => {
    expect(canTransition('PENDING_APPROVAL', 'SCHEDULED')).toBe(true);
    expect(STATUSES.filter((to) => canTransition('SCHEDULED', to))).toEqual(['PUBLISHING']);
  });
  it('returns a draft for revision, which starts over at the upload', () => {
    expect(canTransition('PENDING_APPROVAL', 'RETURNED')).toBe(true);
    expect(STATUSES.filter((to) => canTransition('RETURNED', to))).toEqual(['AWAITING_UPLOAD']);
  });
  it('throws a bilingual error for a forbidden move', () => {
    expect(() => assertTransition('AWAITING_UPLOAD', 'PUBLISHED')).toThrow(InvalidTransitionError);
    try {
      assertTransition('REJECTED', 'PUBLISHING');
    } catch (err) {
      expect((err as InvalidTransitionError).zh).toContain('REJECTED');
      expect((err as InvalidTransitionError).en).toContain('cannot move');
    }
  });
});

describe('upload keys', () => {
  it('round-trip and refuse keys Gongkai did not hand out', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Z]{26}$/), fc.integer({ min: 1, max: 999 }), fc.constantFrom('document' as const, 'interpretation' as const), (id, rev, part) => {
        expect(parseUploadKey(uploadKey(id, rev, part))).toEqual({ id, revision: rev, part });
      }),
    );
    for (const key of ['uploads/../etc/passwd', 'uploads/01M806JW014YVQSZSQB6PP6K3F/r1/other', 'site/index.html', 'uploads/short/r1/document']) {
      expect(parseUploadKey(key)).toBeUndefined();
    }
  });
});

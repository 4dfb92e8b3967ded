import { describe, expect, it } from 'vitest';
import type { StoredFile } from '#shared/domain/draft';
import { isLate, isRefused, sha256Hex } from '#shared/pin';

const file = (over: Partial<StoredFile> = {}): StoredFile => ({ key: 'uploads/X/r1/document', fileName: 'a.txt', contentType: 'text/plain', maxBytes: 100, ...over });

describe('pinning predicates', () => {
  it('an upload stored after the recorded form expiry is late; one at or before it, or with no expiry recorded, is not', () => {
    const f = file({ uploadExpiresAt: '2026-01-01T10:15:00.000Z' });
    expect(isLate(f, { lastModified: '2026-01-01T10:15:01.000Z' })).toBe(true);
    expect(isLate(f, { lastModified: '2026-01-01T10:15:00.000Z' })).toBe(false);
    expect(isLate(file(), { lastModified: '2030-01-01T00:00:00.000Z' })).toBe(false);
  });
  it('only the very object refused (same ETag and time) counts as not received; a new upload to the key is looked at afresh', () => {
    const f = file({ refusedUpload: { etag: '"abc"', lastModified: '2026-01-01T11:00:00.000Z' } });
    expect(isRefused(f, { size: 5, etag: '"abc"', lastModified: '2026-01-01T11:00:00.000Z' })).toBe(true);
    expect(isRefused(f, { size: 5, etag: '"def"', lastModified: '2026-01-01T11:05:00.000Z' })).toBe(false);
    expect(isRefused(file(), { size: 5, etag: '"abc"', lastModified: '2026-01-01T11:00:00.000Z' })).toBe(false);
  });
  it('sha256 is the hex digest of the bytes', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

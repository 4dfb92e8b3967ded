import { beforeAll, describe, expect, it } from 'vitest';
import { presignUpload } from '#shared/uploads';

/**
 * s3rver does not enforce POST policies, so the policy Gongkai signs is checked here,
 * decoded, as S3 would read it.
 */
beforeAll(() => {
  Object.assign(process.env, {
    AWS_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    DRAFTS_BUCKET: 'gongkai-drafts-test',
    UPLOAD_EXPIRY_SECONDS: '900',
  });
});

describe('a presigned upload', () => {
  it('is limited to its own key, its declared type, a size range and a short expiry', async () => {
    const issuedAt = new Date();
    const up = await presignUpload(
      'document',
      { key: 'uploads/01M806JW014YVQSZSQB6PP6K3F/r1/document', fileName: 'a.pdf', contentType: 'application/pdf', maxBytes: 1234 },
      issuedAt,
    );
    expect(up.fields.key).toBe('uploads/01M806JW014YVQSZSQB6PP6K3F/r1/document');
    expect(up.fields['Content-Type']).toBe('application/pdf');
    const policy = JSON.parse(Buffer.from(up.fields.Policy!, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 1234]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'application/pdf']);
    expect(policy.conditions).toContainEqual({ key: 'uploads/01M806JW014YVQSZSQB6PP6K3F/r1/document' });
    expect(policy.conditions).toContainEqual({ bucket: 'gongkai-drafts-test' });
    // Nothing lets the uploader pick another key.
    expect(JSON.stringify(policy.conditions)).not.toContain('starts-with", "$key');
    const expiresIn = (Date.parse(policy.expiration) - issuedAt.getTime()) / 1000;
    expect(expiresIn).toBeGreaterThan(850);
    expect(expiresIn).toBeLessThanOrEqual(901);
    expect(up.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
  });
});

import { ROUTE_LIST } from '#shared/routes';
import { describe, expect, it } from 'vitest';
import { adaptS3Event, encodeEventKey } from '#infra/local/bridge';
import { matchRoute } from '#infra/local/api-server';
import { draftIdsOf } from '#functions/extract-document';
import { identityOf, requireRole, type ApiEvent } from '#shared/http';
import { ForbiddenError, UnauthenticatedError } from '#shared/errors';

describe('the local S3 event bridge', () => {
  const raw = (key: string, eventName = 'ObjectCreated:Post') => ({
    Records: [{ eventName, s3: { bucket: { name: 'gongkai-drafts' }, object: { key } } }],
  });
  const bucketOf = (n: string) => (n === 'gongkai-drafts' ? ('drafts' as const) : undefined);

  it('sends created uploads to the extract queue, URL-encoded as S3 does', () => {
    const out = adaptS3Event(raw('uploads/01M806JW014YVQSZSQB6PP6K3F/r1/document') as never, bucketOf);
    expect(out.map((o) => o.queue)).toEqual(['extract']);
    expect(encodeEventKey('uploads/a b/中.pdf')).toBe('uploads/a+b/%E4%B8%AD.pdf');
  });
  it('ignores deletions, other prefixes and other buckets', () => {
    expect(adaptS3Event(raw('uploads/x', 'ObjectRemoved:Delete') as never, bucketOf)).toEqual([]);
    expect(adaptS3Event(raw('extracted/x') as never, bucketOf)).toEqual([]);
    expect(adaptS3Event({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'other' }, object: { key: 'uploads/x' } } }] } as never, bucketOf)).toEqual([]);
  });
  it('round-trips through the extract stage, which decodes the key', () => {
    const [adapted] = adaptS3Event(raw('uploads/01M806JW014YVQSZSQB6PP6K3F/r1/document') as never, bucketOf);
    const record = adapted!.record;
    expect(draftIdsOf(JSON.stringify({ Records: [record] }))).toEqual(['01M806JW014YVQSZSQB6PP6K3F']);
    expect(draftIdsOf(JSON.stringify({ Event: 's3:TestEvent' }))).toEqual([]);
    expect(draftIdsOf(JSON.stringify({ draftId: 'X' }))).toEqual(['X']);
  });
});

describe('the local API router', () => {
  it('matches every route of the topology, with path parameters', () => {
    for (const r of ROUTE_LIST) {
      const path = r.path.replace('{id}', '01M806JW014YVQSZSQB6PP6K3F');
      expect(matchRoute(r.method, path)?.route).toBe(r);
    }
    expect(matchRoute('POST', '/tasks/ABC/decision')?.params).toEqual({ id: 'ABC' });
    expect(matchRoute('DELETE', '/drafts')).toBeUndefined();
    expect(matchRoute('GET', '/drafts/a/b')).toBeUndefined();
  });
});

describe('identity from the JWT authorizer', () => {
  const event = (claims?: Record<string, string>) => ({ requestContext: { authorizer: claims ? { jwt: { claims } } : undefined } }) as unknown as ApiEvent;
  it('reads Cognito groups as roles, in either form API Gateway passes them', () => {
    expect(identityOf(event({ sub: 'a', name: 'A', 'cognito:groups': '[drafter approver]' })).roles).toEqual(['drafter', 'approver']);
    expect(identityOf(event({ sub: 'a', 'cognito:groups': '[approver, infocenter]' })).roles).toEqual(['approver', 'infocenter']);
  });
  it('refuses a missing identity and a missing role', () => {
    expect(() => identityOf(event())).toThrow(UnauthenticatedError);
    expect(() => requireRole(event({ sub: 'a', 'cognito:groups': '[drafter]' }), ['approver'])).toThrow(ForbiddenError);
    expect(requireRole(event({ sub: 'a', 'cognito:groups': '[drafter approver]' }), ['approver']).role).toBe('approver');
  });
});

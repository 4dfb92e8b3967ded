import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf } from '#shared/http';
import type { ApiEvent } from '#shared/http';
import { validForm } from '../support/forms.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 10, item 8: the API edge answers a body it will not take with a clear status and a
 * bilingual error, as API Gateway and the handler edge do in AWS: a 10 MB body gets 413 (not
 * a reset connection), a body not declared as JSON gets 415 (a text/plain body is never
 * parsed as JSON); the API stays up after either.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.cleanup());

/** One raw POST, the body written whole (as a careless client would), the answer read in full. */
function post(path: string, body: Buffer, contentType: string): Promise<{ status: number; json: { error?: { code: string; zh: string; en: string } } }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, stack.apiUrl);
    const req = request(url, { method: 'POST', headers: { authorization: 'Bearer dev-drafter-fgw', 'content-type': contentType, 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const formBody = () => Buffer.from(JSON.stringify({ form: validForm(), files: { document: { fileName: 'a.txt', contentType: 'text/plain', size: 10 } } }));

describe('the API edge', () => {
  it('a 10 MB request body: 413 with a Chinese and English error, the connection answered, not reset', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
    const res = await post('/drafts', big, 'application/json');
    expect(res.status).toBe(413);
    expect(res.json.error).toMatchObject({ code: 'PayloadTooLargeError' });
    expect(res.json.error!.zh).toMatch(/请求体.*超过上限 1 MB/);
    expect(res.json.error!.en).toMatch(/over the 1 MB limit/);
    // The API is still up and serves the next request.
    expect((await stack.drafter.listRules()).rules.length).toBeGreaterThan(0);
  });

  it('a text/plain body holding valid JSON: 415, never parsed; the same body as application/json is taken', async () => {
    const res = await post('/drafts', formBody(), 'text/plain');
    expect(res.status).toBe(415);
    expect(res.json.error!.zh).toMatch(/只接受 JSON.*Content-Type: application\/json/);
    expect(res.json.error!.en).toMatch(/takes JSON only/);
    for (const ct of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/jsonx']) {
      expect((await post('/drafts', formBody(), ct)).status, ct || '(none)').toBe(415);
    }
    const ok = await post('/drafts', formBody(), 'application/json; charset=utf-8');
    expect(ok.status).toBe(201);
  });

  it('the handler edge holds the same bounds in AWS (API Gateway passes up to 10 MB through)', () => {
    const event = (body: string, contentType?: string) => ({ body, headers: contentType ? { 'content-type': contentType } : {} }) as unknown as ApiEvent;
    expect(() => bodyOf(event('{"a":1}', 'text/plain'))).toThrow(expect.objectContaining({ name: 'UnsupportedMediaTypeError' }));
    expect(() => bodyOf(event(`"${'a'.repeat(1024 * 1024)}"`, 'application/json'))).toThrow(expect.objectContaining({ name: 'PayloadTooLargeError' }));
    expect(bodyOf(event('{"a":1}', 'Application/JSON'))).toEqual({ a: 1 });
  });
});

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { uploadFile } from '#client/gongkai';
import { claimFor } from '../support/api.ts';
import { validForm } from '../support/forms.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 10, item 3: the local CDN serves the site bucket and nothing else, whatever the
 * path's encoding. s3rver resolves `/<site>/../<drafts>/…` into the private drafts
 * bucket, so `GET /..%2fgongkai-drafts/extracted/<id>/r1/document.normalised.txt` on the
 * site port once served a FILED document's text. Every request here is written to the
 * socket byte for byte (fetch and http.request would normalise or refuse some of them).
 */
let stack: TestStack;
/** The FILED document: its id, and every key the drafts bucket holds for it. */
let filedId: string;
let privateKeys: string[];
/** A phrase only the FILED document holds: no response may carry it. */
const SECRET = '内部分工联系人名单甲乙丙丁';
let secretOriginal: Uint8Array;
let publishedPath: string;

/** One GET written to the socket as is; answers the status, headers and body bytes. */
function rawGet(port: number, target: string): Promise<{ status: number; headers: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write(Buffer.from(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, headers: head, body: all.subarray(split + 4) });
    });
  });
}

const sitePort = () => Number(new URL(stack.siteUrl).port);
const includesBytes = (hay: Buffer, needle: Uint8Array) => needle.length > 0 && hay.indexOf(Buffer.from(needle)) !== -1;

beforeAll(async () => {
  stack = await startTestStack();
  // A document kept from the public (依申请公开): approved, FILED, never on the site.
  const text = `运城市盐湖区人民政府办公室关于基层政务公开工作责任分工的报告\n${SECRET}\n经核查，各责任单位内部分工和联系人信息属于内部事务信息。\n`;
  secretOriginal = new TextEncoder().encode(text);
  const created = await stack.drafter.createDraft({
    form: validForm({
      title: '运城市盐湖区人民政府办公室关于基层政务公开工作责任分工的报告',
      documentType: '报告',
      attribute: '依申请公开',
      nonPublicReason: '报告含各责任单位内部分工和联系人信息，属于内部事务信息',
      legalBasis: '《中华人民共和国政府信息公开条例》第十六条第一款',
    }),
    files: { document: { fileName: 'report.txt', contentType: 'text/plain', size: secretOriginal.length } },
  });
  filedId = created.id;
  await uploadFile(created.uploads[0]!, secretOriginal, 'report.txt');
  await stack.drafter.waitForStatus(filedId, ['PENDING_APPROVAL']);
  const claim = await claimFor(stack.approver, filedId);
  const filed = await stack.approver.decide(filedId, { claimToken: claim.claimToken!, version: claim.draft!.version, outcome: 'approve' });
  expect(filed.status).toBe('FILED');

  // A public one, so the legitimate pages are there to be served.
  const pub = new TextEncoder().encode(
    `${validForm().title}\n各乡镇人民政府，区直各有关单位：\n现将工作方案印发给你们，请认真贯彻落实。\n运城市盐湖区人民政府办公室\n2020年12月10日\n`,
  );
  const created2 = await stack.drafter.createDraft({ form: validForm(), files: { document: { fileName: 'notice.txt', contentType: 'text/plain', size: pub.length } } });
  await uploadFile(created2.uploads[0]!, pub, 'notice.txt');
  await stack.drafter.waitForStatus(created2.id, ['PENDING_APPROVAL']);
  const claim2 = await claimFor(stack.approver, created2.id);
  await stack.approver.decide(created2.id, { claimToken: claim2.claimToken!, version: claim2.draft!.version, outcome: 'approve' });
  const published = await stack.drafter.waitForStatus(created2.id, ['PUBLISHED']);
  publishedPath = new URL(published.publication!.url).pathname;
  await stack.settle();

  const listed = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.names.buckets.drafts }));
  privateKeys = (listed.Contents ?? []).map((o) => o.Key!).filter((k) => k.includes(filedId));
}, 180_000);

afterAll(async () => {
  await stack?.cleanup();
});

describe('the FILED document is where the attacks aim', () => {
  it('its original and its extracted text are in the drafts bucket, and hold the secret', async () => {
    const text = privateKeys.find((k) => k.startsWith('extracted/') && k.endsWith('.normalised.txt'));
    const original = privateKeys.find((k) => k.startsWith('uploads/'));
    expect(text, privateKeys.join(', ')).toBeDefined();
    expect(original, privateKeys.join(', ')).toBeDefined();
    const body = await (await stack.s3.send(new GetObjectCommand({ Bucket: stack.names.buckets.drafts, Key: text! }))).Body!.transformToString();
    expect(body).toContain(SECRET);
  });
});

/**
 * Hostile request targets against one private key `K` of bucket `D`. Each names the attack;
 * the expected status is 404 (no such page) or 400 (not a well-formed path).
 */
const ATTACKS: [name: string, target: (D: string, K: string) => string, status: 400 | 404][] = [
  ['encoded slash after dot-dot (the reported path)', (D, K) => `/..%2f${D}/${K}`, 404],
  ['encoded slash, upper case', (D, K) => `/..%2F${D}/${K}`, 404],
  ['literal dot-dot segment', (D, K) => `/../${D}/${K}`, 404],
  ['dot-dot below a real folder', (D, K) => `/documents/../../${D}/${K}`, 404],
  ['dot segment then dot-dot', (D, K) => `/./../${D}/${K}`, 404],
  ['encoded dots, literal slash', (D, K) => `/%2e%2e/${D}/${K}`, 404],
  ['encoded dots and slash', (D, K) => `/%2e%2e%2f${D}/${K}`, 404],
  ['half-encoded dots', (D, K) => `/.%2e/${D}/${K}`, 404],
  ['two encoded dot-dots', (D, K) => `/%2e%2e/%2e%2e/${D}/${K}`, 404],
  ['every slash encoded', (D, K) => `/..%2F${D}%2F${K.replaceAll('/', '%2F')}`, 404],
  ['encoded backslash', (D, K) => `/..%5c${D}/${K}`, 404],
  ['literal backslash', (D, K) => `/..\\${D}\\${K.replaceAll('/', '\\')}`, 404],
  ['double-encoded dot-dot-slash', (D, K) => `/%252e%252e%252f${D}/${K}`, 404],
  ['double-encoded slash', (D, K) => `/..%252f${D}/${K}`, 404],
  ['encoded NUL before dot-dot', (D, K) => `/index.html%00/../../${D}/${K}`, 404],
  ['encoded NUL in a segment', (D, K) => `/..%00/${D}/${K}`, 404],
  ['encoded tab (control character)', (D, K) => `/..%09/../${D}/${K}`, 404],
  ['double slash (empty segment)', (D, K) => `//${D}/${K}`, 404],
  ['semicolon path parameter', (D, K) => `/..;/${D}/${K}`, 404],
  ['private key named directly', (_D, K) => `/${K}`, 404],
  ['bucket named as a folder', (D, K) => `/${D}/${K}`, 404],
  ['overlong UTF-8 slash', (D, K) => `/..%c0%af${D}/${K}`, 400],
  ['IIS-style %u escape', (D, K) => `/%u002e%u002e/${D}/${K}`, 400],
  ['truncated escape', (D, K) => `/..%2${D}/${K}`, 400],
  ['absolute-form target naming the emulator', (D, K) => `http://127.0.0.1:${new URL(stack.endpoints.s3).port}/${D}/${K}`, 400],
];

describe('the local CDN serves the site bucket only, whatever the encoding', () => {
  it.each(ATTACKS)('%s: refused, and nothing of the FILED document is served', async (_name, target, status) => {
    expect(privateKeys.length).toBeGreaterThanOrEqual(2);
    const D = stack.names.buckets.drafts;
    for (const K of privateKeys) {
      const path = target(D, K);
      const res = await rawGet(sitePort(), path);
      expect(res.status, path).toBe(status);
      expect(res.body.toString('utf8'), path).not.toContain(SECRET);
      expect(includesBytes(res.body, secretOriginal), path).toBe(false);
      // An error page is the CDN's own, with the security headers, never the emulator's XML.
      expect(res.body.toString('utf8'), path).not.toMatch(/<Error>|NoSuchKey|NoSuchBucket/);
      expect(res.headers.toLowerCase(), path).toContain('x-content-type-options: nosniff');
    }
  });

  it('a query string is not a path: /?…/../<drafts>/… is the home page, not the document', async () => {
    const D = stack.names.buckets.drafts;
    for (const K of privateKeys) {
      const res = await rawGet(sitePort(), `/?x=/../../${D}/${K}`);
      expect(res.status).toBe(200);
      expect(res.body.toString('utf8')).not.toContain(SECRET);
      expect(includesBytes(res.body, secretOriginal)).toBe(false);
    }
  });

  it('the legitimate pages still serve: home, the published document, the console, the upload page, an encoded key', async () => {
    for (const path of ['/', '/index.html', publishedPath, '/app/console/index.html', '/app/upload/index.html']) {
      const res = await rawGet(sitePort(), path);
      expect(res.status, path).toBe(200);
      expect(res.body.length, path).toBeGreaterThan(0);
    }
    // The same page named with an escaped (unreserved) character: decoded once, the same key.
    const escaped = publishedPath.replace(/\.html$/, '%2Ehtml');
    expect((await rawGet(sitePort(), escaped)).status).toBe(200);
    const page = (await rawGet(sitePort(), publishedPath)).body.toString('utf8');
    expect(page).toContain('工作方案');
  });

  it('the CDN is still up after every attack', async () => {
    expect((await rawGet(sitePort(), '/index.html')).status).toBe(200);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulators, type Emulators } from '#infra/local/emulators';
import { headerPolicyFor, securityHeaders, startCdn, ttlOf, type LocalCdn } from '#infra/local/cdn';
import { localNames } from '#infra/local/resources';
import { resetClients } from '#shared/aws/clients';
import { cdnPath, invalidate, invalidationPaths, MAX_PATHS, MAX_WILDCARDS, pathMatches, type InvalidationRecord } from '#shared/site/invalidate';
import { envName, KEYS, topology } from '#shared/topology';

/**
 * The local CDN behaves as CloudFront does for what the site relies on: cached copies are
 * served for their max-age until an invalidation recorded by shared/site/invalidate.ts
 * drops them; `/` is the root object; each path gets its behaviour's security headers.
 * Runs on a real s3rver.
 */

describe('invalidation paths (pure)', () => {
  it('encodes keys as CloudFront paths and adds / for the root object', () => {
    expect(cdnPath('documents/01ABC.html')).toBe('/documents/01ABC.html');
    expect(cdnPath('files/公告 (1).pdf')).toBe('/files/%E5%85%AC%E5%91%8A%20%281%29.pdf');
    expect(cdnPath('search/*')).toBe('/search/*');
    expect(invalidationPaths(['index.html', 'documents/a.html', 'documents/a.html'])).toEqual(['/', '/documents/a.html', '/index.html']);
    // A wildcard covers what is under it.
    expect(invalidationPaths(['search/*', 'search/pagefind.js', 'search.html'])).toEqual(['/search.html', '/search/*']);
  });

  it('collapses more than MAX_PATHS files into folder wildcards, within the wildcard limit', () => {
    const many = [
      ...Array.from({ length: 150 }, (_, i) => `columns/catalogue/page-${i + 1}.html`),
      ...Array.from({ length: 30 }, (_, i) => `documents/d${i}.html`),
      'index.html',
      'rules.html',
    ];
    const paths = invalidationPaths(many);
    expect(paths.length).toBeLessThanOrEqual(MAX_PATHS);
    expect(paths).toContain('/columns/catalogue/*');
    expect(paths).toContain('/documents/d0.html');
    expect(paths).toContain('/');
    for (const k of many)
      expect(
        paths.some((p) => pathMatches(p, cdnPath(k))),
        k,
      ).toBe(true);
    // Too many folders for the wildcard limit: collapsed further, at worst /*.
    const scattered = Array.from({ length: 400 }, (_, i) => `columns/domain-${i % 40}/page-${i}.html`);
    const collapsed = invalidationPaths(scattered);
    expect(collapsed.filter((p) => p.endsWith('*')).length).toBeLessThanOrEqual(MAX_WILDCARDS);
    for (const k of scattered)
      expect(
        collapsed.some((p) => pathMatches(p, cdnPath(k))),
        k,
      ).toBe(true);
  });

  it('takes the TTL from Cache-Control within the cache policy bounds', () => {
    expect(ttlOf(undefined)).toBe(topology.cdn.ttl.default);
    expect(ttlOf('max-age=60')).toBe(60);
    expect(ttlOf('public, s-maxage=30, max-age=600')).toBe(30);
    expect(ttlOf('max-age=0')).toBe(topology.cdn.ttl.min);
    expect(ttlOf('no-cache')).toBe(topology.cdn.ttl.min);
    expect(ttlOf('max-age=999999999')).toBe(topology.cdn.ttl.max);
  });

  it('picks the behaviour of each path as CloudFront does', () => {
    expect(headerPolicyFor('index.html')).toBe('site');
    expect(headerPolicyFor('documents/x.html')).toBe('site');
    expect(headerPolicyFor('search.html')).toBe('search');
    expect(headerPolicyFor('search/pagefind.js')).toBe('search');
    expect(headerPolicyFor('searching.html')).toBe('site');
    expect(headerPolicyFor('app/console.html')).toBe('app');
  });
});

describe('in AWS', () => {
  it('sends one CreateInvalidation to the distribution, with the reference as CallerReference', async () => {
    vi.stubEnv(envName.distribution, 'E2EXAMPLE');
    const send = vi.spyOn(CloudFrontClient.prototype, 'send').mockImplementation(async () => ({ Invalidation: { Id: 'I1' } }));
    try {
      await invalidate(['documents/a.html', 'index.html'], 'a:withdraw');
      expect(send).toHaveBeenCalledTimes(1);
      const command = send.mock.calls[0]![0] as CreateInvalidationCommand;
      expect(command).toBeInstanceOf(CreateInvalidationCommand);
      expect(command.input).toEqual({
        DistributionId: 'E2EXAMPLE',
        InvalidationBatch: { CallerReference: 'a:withdraw', Paths: { Quantity: 3, Items: ['/', '/documents/a.html', '/index.html'] } },
      });
      // The same reference already used with other paths: a new invalidation under a derived reference.
      send.mockReset();
      send.mockImplementationOnce(async () => {
        throw Object.assign(new Error('exists'), { name: 'InvalidationBatchAlreadyExists' });
      });
      send.mockImplementationOnce(async () => ({ Invalidation: { Id: 'I2' } }));
      await invalidate(['documents/b.html'], 'a:withdraw');
      expect(send).toHaveBeenCalledTimes(2);
      expect((send.mock.calls[1]![0] as CreateInvalidationCommand).input.InvalidationBatch!.CallerReference).toMatch(/^a:withdraw:[0-9a-f]{16}$/);
    } finally {
      send.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});

describe('the local CDN on s3rver', () => {
  let dataDir: string;
  let emulators: Emulators;
  let s3: S3Client;
  let cdn: LocalCdn;
  const names = localNames('cdntest');
  const saved = { ...process.env };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gongkai-cdn-'));
    emulators = await startEmulators({ dataDir, bucketNames: names.buckets });
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      S3_ENDPOINT: emulators.endpoints.s3,
      [envName.localInvalidations]: names.buckets.drafts,
    });
    delete process.env[envName.distribution];
    resetClients();
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: emulators.endpoints.s3,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    cdn = await startCdn({ port: 0, s3, bucket: names.buckets.site, invalidations: names.buckets.drafts, pollMs: 100 });
  });

  afterAll(async () => {
    await cdn?.stop();
    await emulators?.stop();
    s3?.destroy();
    process.env = saved;
    resetClients();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const put = (key: string, body: string, cacheControl?: string) =>
    s3.send(
      new PutObjectCommand({ Bucket: names.buckets.site, Key: key, Body: body, ContentType: 'text/html; charset=utf-8', ...(cacheControl ? { CacheControl: cacheControl } : {}) }),
    );
  const get = async (path: string) => {
    const res = await fetch(`${cdn.url}${path}`);
    return { status: res.status, body: await res.text(), headers: res.headers };
  };

  it('serves the cached copy until the page is invalidated, then the fresh one', async () => {
    await put('documents/a.html', '<p>第一版</p>', 'max-age=3600');
    const first = await get('/documents/a.html');
    expect(first).toMatchObject({ status: 200, body: '<p>第一版</p>' });
    expect(first.headers.get('x-cache')).toMatch(/^Miss/);

    await put('documents/a.html', '<p>撤回公告</p>', 'max-age=3600');
    const stale = await get('/documents/a.html');
    expect(stale.body).toBe('<p>第一版</p>');
    expect(stale.headers.get('x-cache')).toMatch(/^Hit/);
    // The query string is not part of the cache key (CachingOptimized).
    expect((await get('/documents/a.html?v=2')).body).toBe('<p>第一版</p>');

    await invalidate(['documents/a.html'], 'test:withdraw:a');
    // What render-site leaves behind: a record in the private bucket, naming the CloudFront paths.
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: names.buckets.drafts, Prefix: KEYS.cdnInvalidations }));
    const keys = (listed.Contents ?? []).map((o) => o.Key!);
    expect(keys).toHaveLength(1);
    const record = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: names.buckets.drafts, Key: keys[0]! }))).Body!.transformToString()) as InvalidationRecord;
    expect(record).toMatchObject({ reference: 'test:withdraw:a', paths: ['/documents/a.html'] });

    const honoured = await cdn.waitForInvalidation('test:withdraw:a', 5_000);
    expect(honoured.paths).toEqual(['/documents/a.html']);
    const fresh = await get('/documents/a.html');
    expect(fresh.body).toBe('<p>撤回公告</p>');
    expect(fresh.headers.get('x-cache')).toMatch(/^Miss/);
  });

  it('a retried invalidation (same reference, same paths) is recorded once', async () => {
    await invalidate(['documents/b.html'], 'test:retry');
    await invalidate(['documents/b.html'], 'test:retry');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: names.buckets.drafts, Prefix: KEYS.cdnInvalidations }));
    const records = await Promise.all(
      (listed.Contents ?? []).map(
        async (o) => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: names.buckets.drafts, Key: o.Key! }))).Body!.transformToString()) as InvalidationRecord,
      ),
    );
    expect(records.filter((r) => r.reference === 'test:retry')).toHaveLength(1);
  });

  it('serves / as index.html, cached under its own path; invalidating index.html refreshes both', async () => {
    await put('index.html', '<p>首页一</p>', 'max-age=60');
    expect((await get('/')).body).toBe('<p>首页一</p>');
    expect((await get('/index.html')).body).toBe('<p>首页一</p>');
    await put('index.html', '<p>首页二</p>', 'max-age=60');
    expect((await get('/')).body).toBe('<p>首页一</p>');
    await invalidate(['index.html'], 'test:home');
    await cdn.waitForInvalidation('test:home', 5_000);
    expect((await get('/')).body).toBe('<p>首页二</p>');
    expect((await get('/index.html')).body).toBe('<p>首页二</p>');
    // Only the root is rewritten: a folder path is not its index.html.
    await put('columns/catalogue/index.html', '<p>目录</p>');
    expect((await get('/columns/catalogue/')).status).toBe(404);
    expect((await get('/columns/catalogue/index.html')).status).toBe(200);
  });

  it('a folder wildcard drops every cached page under it', async () => {
    await put('search/pagefind.js', 'v1', 'max-age=3600');
    await put('search/fragment/x.pf_fragment', 'f1', 'max-age=3600');
    await get('/search/pagefind.js');
    await get('/search/fragment/x.pf_fragment');
    await put('search/pagefind.js', 'v2', 'max-age=3600');
    expect((await get('/search/pagefind.js')).body).toBe('v1');
    await invalidate(['search/*'], 'test:search');
    await cdn.waitForInvalidation('test:search', 5_000);
    expect((await get('/search/pagefind.js')).body).toBe('v2');
    expect(cdn.cachedPaths()).not.toContain('/search/fragment/x.pf_fragment');
  });

  it('sends the security headers of the CloudFront behaviour, by path', async () => {
    await put('search.html', '<p>搜索</p>');
    const page = await get('/documents/a.html');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('script-src');
    expect(page.headers.get('strict-transport-security')).toBe(`max-age=${730 * 24 * 3600}; includeSubDomains`);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');

    for (const path of ['/search.html', '/search/pagefind.js']) {
      const search = (await get(path)).headers.get('content-security-policy')!;
      expect(search, path).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(search, path).toContain("connect-src 'self'");
      expect(search, path).toContain("form-action 'self'");
    }
    const missing = await get('/app/nothing.html');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(securityHeaders('app')['content-security-policy']);
    expect(missing.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

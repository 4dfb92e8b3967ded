import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { log } from '#shared/log';
import { serve } from '#infra/local/serve';
import { cdnPath, invalidationRecordPrefix, pathMatches, type InvalidationRecord } from '#shared/site/invalidate';
import { KEYS, topology, type HeaderPolicyName } from '#shared/topology';

const { cdn } = topology;

/** The response headers policy CloudFront applies to a path (infra/cdk/site.ts builds them from the same topology). */
export function headerPolicyFor(key: string): HeaderPolicyName {
  return cdn.behaviours.find((b) => globMatches(b.pathPattern, key))?.headers ?? cdn.defaultHeaders;
}

/** The security headers of a response headers policy, as CloudFront sends them. */
export function securityHeaders(policy: HeaderPolicyName): Record<string, string> {
  const spec = cdn.headers[policy];
  return {
    'strict-transport-security': `max-age=${cdn.hstsSeconds}; includeSubDomains`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': spec.referrerPolicy,
    'content-security-policy': policy === 'app' ? localApi(spec.contentSecurityPolicy) : spec.contentSecurityPolicy,
  };
}

/**
 * The one local difference: the web apps call the API and post uploads over plain http on
 * 127.0.0.1 (the emulators and the local API have no TLS); in AWS both are https.
 */
const localApi = (csp: string): string => csp.replace(/connect-src ([^;]*)/, 'connect-src $1 http://127.0.0.1:*');

/** CloudFront path patterns: `*` any characters (also `/`), `?` one; case-sensitive; the leading `/` optional. */
function globMatches(pattern: string, key: string): boolean {
  const p = pattern.replace(/^\//, '');
  const re = new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(key);
}

/**
 * Seconds CloudFront keeps a response under the CachingOptimized policy: the origin's
 * s-maxage or max-age clamped to [min, max]; no-cache / no-store / private: the minimum TTL
 * (CloudFront caches for the minimum TTL when it is above 0); nothing: the default TTL.
 */
export function ttlOf(cacheControl: string | undefined): number {
  const { min, default: def, max } = cdn.ttl;
  if (!cacheControl) return def;
  const cc = cacheControl.toLowerCase();
  if (/(^|[\s,])(no-cache|no-store|private)([\s,=]|$)/.test(cc)) return min;
  const m = /(?:^|[\s,])s-maxage=(\d+)/.exec(cc) ?? /(?:^|[\s,])max-age=(\d+)/.exec(cc);
  if (!m) return def;
  return Math.min(max, Math.max(min, Number(m[1])));
}

const NOT_FOUND = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>页面不存在</title></head><body><h1>页面不存在</h1><p>您访问的页面不存在或已撤回。<a href="/index.html">返回首页</a></p><p lang="en">Page not found.</p></body></html>`;

const BAD_REQUEST = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>请求无效</title></head><body><h1>请求无效</h1><p>请求的地址格式不正确。<a href="/index.html">返回首页</a></p><p lang="en">Bad request: the address is malformed.</p></body></html>`;

export type SiteKey = { readonly ok: true; readonly key: string; readonly root: boolean } | { readonly ok: false; readonly status: 400 | 404 };

/**
 * The site-bucket key a request target names, or why it names none. The only way from a
 * request to an object: the query and fragment are dropped, the path must start with `/`
 * and is decoded exactly once (a broken escape: 400). Whatever could name something other
 * than one plain key of the site bucket is refused with 404, before and after decoding:
 * encoded `/`, `\` or NUL (%2f %5c %00), a `%` left after the one decode (double
 * encoding), a backslash, control characters, and `.`, `..` or empty segments (which
 * also covers `//` and a trailing `/`: only `/` itself is rewritten, to the root object).
 * The key is then read with GetObject from the site bucket; no path ever reaches the
 * emulator as a path (s3rver resolved `/<site>/../<drafts>/…` into the private bucket).
 */
export function siteKeyOf(rawPath: string): SiteKey {
  const end = rawPath.search(/[?#]/);
  const raw = end === -1 ? rawPath : rawPath.slice(0, end);
  if (!raw.startsWith('/')) return { ok: false, status: 400 };
  if (raw === '/') return { ok: true, key: cdn.defaultRootObject, root: true };
  if (/%(2f|5c|00)/i.test(raw)) return { ok: false, status: 404 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { ok: false, status: 400 };
  }
  if (/[%\\\u0000-\u001f\u007f-\u009f]/.test(decoded)) return { ok: false, status: 404 };
  const key = decoded.slice(1);
  if (key.split('/').some((s) => s === '' || s === '.' || s === '..')) return { ok: false, status: 404 };
  return { ok: true, key, root: false };
}

interface CachedObject {
  readonly body: Uint8Array;
  readonly headers: Record<string, string>;
  readonly storedAt: number;
  readonly expiresAt: number;
}

export interface CdnOptions {
  readonly port: number;
  readonly s3: S3Client;
  /** The site bucket: the only origin. */
  readonly bucket: string;
  /** The bucket where invalidations are recorded (shared/site/invalidate.ts); without it nothing is invalidated. */
  readonly invalidations?: string;
  /** How often the records are read (default 1000 ms). */
  readonly pollMs?: number;
}

export interface LocalCdn {
  readonly url: string;
  readonly server: Server;
  /** Every invalidation honoured so far, in order (for tests). */
  readonly invalidated: readonly InvalidationRecord[];
  /** Resolves once an invalidation with this reference has been honoured (its cached copies dropped). */
  waitForInvalidation(reference: string | ((r: InvalidationRecord) => boolean), timeoutMs?: number): Promise<InvalidationRecord>;
  /** Reads the records now instead of at the next poll. */
  poll(): Promise<void>;
  /** The request paths cached now. */
  cachedPaths(): string[];
  stop(): Promise<void>;
}

/** Records this old (wall clock) are still read at each poll, so one written late (a slow PUT) is not missed. */
const LOOKBACK_MS = 5 * 60_000;

/**
 * Stands in for CloudFront: serves the site bucket, and only it, read through the S3 API
 * exactly as the distribution's origin access would. Like CloudFront (topology.cdn):
 * `/` serves index.html (the default root object) and nothing else is rewritten (no folder
 * index: pages link to explicit index.html files); GET/HEAD responses are cached per path
 * (the query string is not part of the key) for the object's max-age within the TTL bounds
 * (a day without one), answered with `age` and `x-cache`; recorded invalidations drop cached
 * paths within `pollMs`; every response carries the security headers of the behaviour its
 * path matches. Errors are not cached.
 */
export async function startCdn(options: CdnOptions): Promise<LocalCdn> {
  const cache = new Map<string, CachedObject>();
  const invalidated: InvalidationRecord[] = [];
  const seen = new Map<string, number>();
  const waiters = new Set<{ match: (r: InvalidationRecord) => boolean; resolve: (r: InvalidationRecord) => void }>();

  const server = createServer(
    serve('local CDN', async (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const checked = siteKeyOf(req.url ?? '/');
      if (!checked.ok) {
        res.writeHead(checked.status, { ...securityHeaders(cdn.defaultHeaders), 'content-type': 'text/html; charset=utf-8' });
        res.end(req.method === 'HEAD' ? undefined : checked.status === 404 ? NOT_FOUND : BAD_REQUEST);
        return;
      }
      const { key } = checked;
      // One cache entry per object whatever the request's encoding: the form invalidations use.
      const path = checked.root ? '/' : cdnPath(key);
      const policyHeaders = securityHeaders(headerPolicyFor(key));
      const send = (obj: CachedObject, hit: boolean) => {
        res.writeHead(200, {
          ...obj.headers,
          ...policyHeaders,
          age: String(Math.floor((Date.now() - obj.storedAt) / 1000)),
          'x-cache': hit ? 'Hit from local-cdn' : 'Miss from local-cdn',
        });
        res.end(req.method === 'HEAD' ? undefined : obj.body);
      };
      const cached = cache.get(path);
      if (cached && cached.expiresAt > Date.now()) {
        send(cached, true);
        return;
      }
      try {
        const obj = await options.s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
        const body = await obj.Body!.transformToByteArray();
        const now = Date.now();
        const entry: CachedObject = {
          body,
          headers: {
            'content-type': obj.ContentType ?? 'application/octet-stream',
            'content-length': String(body.length),
            ...(obj.CacheControl ? { 'cache-control': obj.CacheControl } : {}),
            ...(obj.ETag ? { etag: obj.ETag } : {}),
            ...(obj.LastModified ? { 'last-modified': obj.LastModified.toUTCString() } : {}),
          },
          storedAt: now,
          expiresAt: now + ttlOf(obj.CacheControl) * 1000,
        };
        cache.set(path, entry);
        send(entry, false);
      } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (err instanceof NoSuchKey || status === 404 || status === 403) {
          res.writeHead(404, { ...policyHeaders, 'content-type': 'text/html; charset=utf-8' }).end(NOT_FOUND);
          return;
        }
        log.error('local CDN failure', { key, error: String(err) });
        res.writeHead(502).end();
      }
    }),
  );

  const honour = (record: InvalidationRecord) => {
    for (const p of [...cache.keys()]) if (record.paths.some((ip) => pathMatches(ip, p))) cache.delete(p);
    invalidated.push(record);
    for (const w of [...waiters]) {
      if (w.match(record)) {
        waiters.delete(w);
        w.resolve(record);
      }
    }
  };

  let polling: Promise<void> | undefined;
  const readRecords = async () => {
    const bucket = options.invalidations;
    if (!bucket) return;
    const since = Date.now() - LOOKBACK_MS;
    let token: string | undefined;
    do {
      const page = await options.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: KEYS.cdnInvalidations, StartAfter: invalidationRecordPrefix(new Date(since)), ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key || seen.has(o.Key)) continue;
        const res = await options.s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }));
        const record = JSON.parse(await res.Body!.transformToString()) as InvalidationRecord;
        seen.set(o.Key, Date.now());
        honour(record);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    for (const [k, t] of seen) if (t < since - LOOKBACK_MS) seen.delete(k);
  };
  const poll = () =>
    (polling ??= readRecords()
      .catch((err: unknown) => log.error('local CDN: reading invalidations failed', { error: String(err) }))
      .finally(() => (polling = undefined)));
  /** A read that starts after this call (one in flight may have listed before the newest record). */
  const pollNow = async () => {
    await polling;
    await poll();
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  // Records written before this start concern a cache that no longer exists.
  await poll();
  invalidated.length = 0;
  const timer = options.invalidations ? setInterval(() => void poll(), options.pollMs ?? 1000) : undefined;
  timer?.unref();

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    invalidated,
    waitForInvalidation(reference, timeoutMs = 30_000) {
      const match = typeof reference === 'string' ? (r: InvalidationRecord) => r.reference === reference : reference;
      const done = invalidated.find(match);
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve };
        waiters.add(waiter);
        setTimeout(() => {
          if (waiters.delete(waiter)) reject(new Error(`local CDN: no invalidation matching ${String(reference)} within ${timeoutMs} ms`));
        }, timeoutMs).unref();
      });
    },
    poll: pollNow,
    cachedPaths: () => [...cache.keys()],
    async stop() {
      if (timer) clearInterval(timer);
      await polling;
      await new Promise((r) => server.close(r));
    },
  };
}

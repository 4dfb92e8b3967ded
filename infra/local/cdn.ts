import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { log } from '#shared/log';

/** The response headers policy the CloudFront distribution applies (see infra/cdk). */
export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

const NOT_FOUND = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>页面不存在</title></head><body><h1>页面不存在</h1><p>您访问的页面不存在或已撤回。<a href="/index.html">返回首页</a></p><p lang="en">Page not found.</p></body></html>`;

/**
 * Stands in for CloudFront: serves the site bucket, and only it, read through the S3 API
 * exactly as the distribution's origin access would. "/" serves index.html (the default
 * root object); nothing else is rewritten.
 */
export async function startCdn(options: { port: number; s3: S3Client; bucket: string }): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    let key: string;
    try {
      key = path === '/' ? 'index.html' : decodeURIComponent(path.slice(1));
    } catch {
      res.writeHead(400).end();
      return;
    }
    try {
      const obj = await options.s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
      const body = await obj.Body!.transformToByteArray();
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': obj.ContentType ?? 'application/octet-stream',
        'content-length': String(body.length),
        'cache-control': obj.CacheControl ?? 'max-age=300',
        ...(obj.ETag ? { etag: obj.ETag } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (err instanceof NoSuchKey || status === 404 || status === 403) {
        res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' }).end(NOT_FOUND);
        return;
      }
      log.error('local CDN failure', { key, error: String(err) });
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MAX_REQUEST_BODY_BYTES, PayloadTooLargeError } from '#shared/errors';
import { log } from '#shared/log';
import { serve } from '#infra/local/serve';
import { ROUTE_LIST, routeKey as keyOf, type RouteSpec } from '#shared/routes';
import { lambdaContext, loadHandler } from '#infra/local/handlers';
import { claimsOf, type LocalUser } from '#infra/local/users';

/** Matches a request path against an HTTP API route pattern such as /drafts/{id}. */
export function matchRoute(method: string, path: string): { route: RouteSpec; params: Record<string, string> } | undefined {
  for (const route of ROUTE_LIST) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp('^' + route.path.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/]+)')) + '/?$');
    const m = pattern.exec(path);
    if (m) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return undefined;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET,POST,OPTIONS',
  'access-control-allow-headers': 'authorization,content-type,idempotency-key',
  'access-control-max-age': '600',
  // A 429's Retry-After, read by the public application page to say how long to wait.
  'access-control-expose-headers': 'retry-after',
};

/** Past this many bytes an oversized body is no longer read to its end: the connection is closed after the 413. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * The body, or `{ tooLarge }` once it passes the API's limit. As API Gateway does, an
 * oversized body is answered with 413 (not a reset connection): the rest is read and
 * dropped (up to DRAIN_LIMIT) so the client sees the answer.
 */
const readBody = (req: IncomingMessage) =>
  new Promise<Buffer | { tooLarge: number }>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > DRAIN_LIMIT) {
      resolve({ tooLarge: declared });
      return;
    }
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BODY_BYTES) chunks.push(c);
      else if (size > DRAIN_LIMIT) {
        req.pause();
        resolve({ tooLarge: size });
      }
    });
    req.on('end', () => resolve(size > MAX_REQUEST_BODY_BYTES ? { tooLarge: size } : Buffer.concat(chunks)));
    req.on('error', reject);
  });

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string) {
  res.writeHead(status, { ...CORS, ...headers });
  res.end(body);
}

const unauthorized = JSON.stringify({
  error: { code: 'Unauthorized', zh: '未登录或令牌无效，请提供有效的身份令牌（Authorization: Bearer …）。', en: 'Missing or invalid bearer token.' },
});

/**
 * Stands in for API Gateway (HTTP API, payload 2.0, JWT authorizer): checks the bearer
 * token, turns the request into the event API Gateway would send, and the function's
 * result into the response.
 */
export async function startApiServer(options: { port: number; users: readonly LocalUser[] }): Promise<{ url: string; server: Server }> {
  const byToken = new Map(options.users.map((u) => [u.token, u]));
  const server = createServer(
    serve('local API', async (req, res) => {
      try {
        const url = new URL(req.url ?? '/', 'http://local');
        if (req.method === 'OPTIONS') return send(res, 204, {}, '');
        const match = matchRoute(req.method ?? 'GET', url.pathname);
        if (!match) {
          return send(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ error: { code: 'NotFound', zh: '没有这个接口。', en: 'No such route.' } }));
        }
        const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
        const user = token ? byToken.get(token) : undefined;
        // A public route has no authorizer: no token is asked for, and none is passed on.
        if (!user && !match.route.public) return send(res, 401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }, unauthorized);

        const body = await readBody(req);
        if (!Buffer.isBuffer(body)) {
          const err = new PayloadTooLargeError(body.tooLarge);
          res.setHeader('connection', 'close');
          return send(res, 413, { 'content-type': 'application/json' }, JSON.stringify({ error: { code: err.name, zh: err.zh, en: err.en } }));
        }
        const now = new Date();
        const routeKey = keyOf(match.route);
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
        const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
          version: '2.0',
          routeKey,
          rawPath: url.pathname,
          rawQueryString: url.search.replace(/^\?/, ''),
          headers,
          ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
          ...(Object.keys(match.params).length ? { pathParameters: match.params } : {}),
          requestContext: {
            accountId: '000000000000',
            apiId: 'local',
            domainName: req.headers.host ?? 'localhost',
            domainPrefix: 'local',
            http: { method: req.method!, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: req.headers['user-agent'] ?? '' },
            requestId: randomUUID(),
            routeKey,
            stage: '$default',
            time: now.toISOString(),
            timeEpoch: now.getTime(),
            // (The type insists on an authorizer; a route without one gets none, as in API Gateway.)
            ...((user && !match.route.public ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claimsOf(user), scopes: [] } } } : {}) as {
              authorizer: APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer'];
            }),
          },
          ...(body.length ? { body: body.toString('utf8') } : {}),
          isBase64Encoded: false,
        };
        const handler = await loadHandler(match.route.fn);
        const result = (await handler(event, lambdaContext(match.route.fn))) as APIGatewayProxyStructuredResultV2;
        const outHeaders = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
        send(res, result.statusCode ?? 200, outHeaders, result.body ?? '');
      } catch (err) {
        log.error('local API failure', { error: String(err), stack: (err as Error).stack });
        if (!res.headersSent)
          send(res, 500, { 'content-type': 'application/json' }, JSON.stringify({ error: { code: 'InternalError', zh: '服务器内部错误。', en: 'Internal error.' } }));
      }
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

// The web apps' one way to call the Gongkai API (the console, the upload page and the public
// application pages share it): a bearer token where the caller has one (the public routes take
// none), JSON in and out, and an ApiError carrying the status and the body, whose message is the
// API's Chinese message when it gave one, and a 429's Retry-After as `retryAfter` (seconds).
// And the one way to read the site's `config.json` (`{ apiUrl, bodies? }`), beside each app's folder.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.zh ?? `请求失败（${status}）`);
    this.status = status;
    this.body = body;
  }
}

/** Calls `method path` on `apiUrl` with `token` (none: no Authorization header); resolves to the parsed body, rejects with ApiError. */
export async function callApi({ apiUrl, token }, method, path, body) {
  const res = await fetch(`${String(apiUrl).replace(/\/+$/, '')}${path}`, {
    method,
    headers: { ...(token !== undefined ? { authorization: `Bearer ${token ?? ''}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { error: { zh: '服务器返回了无法解析的内容。', en: 'The server answered with something that is not JSON.' } };
  }
  if (!res.ok) {
    const err = new ApiError(res.status, parsed);
    const retry = Number(res.headers.get('retry-after'));
    if (Number.isFinite(retry) && retry > 0) err.retryAfter = retry;
    throw err;
  }
  return parsed;
}

/**
 * The site's `config.json` (one folder up from the app's page): `{ apiUrl, bodies? }`, with `apiUrl`
 * required and without its trailing slashes. Read fresh each time (never from the HTTP cache), so a
 * changed API address takes effect at the next page load; rejects when it is missing, unreadable
 * or names no API.
 */
export async function loadConfig() {
  const res = await fetch('../config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  const config = await res.json();
  const apiUrl = String(config?.apiUrl ?? '').replace(/\/+$/, '');
  if (!apiUrl) throw new Error('config.json has no apiUrl');
  return { ...config, apiUrl };
}

// A small HTTP client for tests against a server in another process (kill/restart tests), where
// the harness's app.inject cannot reach. Network errors surface as status 0, so callers can retry.
import { randomBytes } from 'node:crypto';
import { PASSWORD } from './harness.js';

export interface LiveResponse {
  status: number;
  body: any;
}

export interface LiveTenant {
  tenantId: string;
  token: string;
}

export async function call(baseUrl: string, method: string, path: string, options: { token?: string; json?: unknown; form?: FormData } = {}): Promise<LiveResponse> {
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: options.form ?? (options.json === undefined ? undefined : JSON.stringify(options.json)),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  } catch {
    return { status: 0, body: undefined }; // refused, reset or timed out: the server is down or restarting
  }
}

/** Registers a new tenant through the API (its first user is ADMIN) and logs in. */
export async function registerTenant(baseUrl: string, label: string): Promise<LiveTenant> {
  const name = `${label}-${randomBytes(4).toString('hex')}`;
  const email = `${name}@example.com`;
  const registered = await call(baseUrl, 'POST', '/api/v1/auth/register', {
    json: { email, username: name.replaceAll('-', '_'), password: PASSWORD, tenant_name: name, tenant_domain: `${name}.example.com` },
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await call(baseUrl, 'POST', '/api/v1/auth/login', { json: { email, password: PASSWORD } });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  return { tenantId: registered.body.tenant_id, token: login.body.access_token };
}

/** POST /api/v1/contents/upload of one in-memory file. */
export function uploadBytes(baseUrl: string, token: string, fileName: string, bytes: Uint8Array): Promise<LiveResponse> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'text/plain' }), fileName);
  return call(baseUrl, 'POST', '/api/v1/contents/upload', { token, form });
}

/** Documents of the tenant with this status (X-Total-Count is not needed: the pages are small). */
export async function countByStatus(baseUrl: string, token: string, status: string): Promise<number | undefined> {
  const res = await call(baseUrl, 'GET', `/api/v1/contents?status=${status}&limit=100&skip=0`, { token });
  if (res.status !== 200) return undefined;
  let n = (res.body as unknown[]).length;
  for (let skip = 100; n === skip; skip += 100) {
    const page = await call(baseUrl, 'GET', `/api/v1/contents?status=${status}&limit=100&skip=${skip}`, { token });
    if (page.status !== 200) return undefined;
    n += (page.body as unknown[]).length;
  }
  return n;
}

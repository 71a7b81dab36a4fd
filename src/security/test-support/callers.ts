// The ways a client can present itself to the API — bearer token, browser cookie session, widget
// key — and one bounded request helper, so an attack that hangs the server fails instead of waiting.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { ACCESS_COOKIE } from '../../modules/auth/cookies.js';
import type { RequestOptions, TestApp, TestUser } from '../../test/harness.js';
import type { RouteAuth } from './openapi-routes.js';

/** How a request authenticates: headers and cookies to add. */
export interface Credential {
  name: string;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
}

export const bearer = (user: TestUser, name = `bearer ${user.role}`): Credential => ({ name, headers: { authorization: `Bearer ${user.accessToken}` } });

export const widgetKey = (key: string, name = 'widget key'): Credential => ({ name, headers: { 'x-api-key': key } });

/**
 * A browser session: logs the user in (a session of its own) and keeps the HttpOnly access cookie.
 * Writes carry this server's Origin, as our own pages do (src/http/csrf.ts), so a refusal is about
 * the data and not about CSRF.
 */
export async function cookieSession(t: TestApp, user: TestUser): Promise<Credential> {
  const res = await t.login(user.email, user.password);
  const cookie = res.cookies.find((c) => c.name === ACCESS_COOKIE);
  if (res.statusCode !== 200 || !cookie) throw new Error(`cookie login failed: ${res.statusCode} ${res.body}`);
  return { name: `cookie ${user.role}`, cookies: { [ACCESS_COOKIE]: cookie.value }, headers: { origin: t.publicUrl } };
}

/** The widget key a tenant's embed snippet carries (created on first request). */
export async function widgetKeyOf(t: TestApp, tenant: { id: string; admin: TestUser }): Promise<string> {
  const res = await t.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token: tenant.admin.accessToken });
  if (res.statusCode !== 200) throw new Error(`embed-snippet answered ${res.statusCode}: ${res.body}`);
  return res.json().api_key;
}

/** Which of a caller's credentials fits a route's documented security. */
export function credentialFor(auth: RouteAuth, callers: { user: Credential; widget: Credential }): Credential | undefined {
  return auth === 'user' ? callers.user : auth === 'widget' ? callers.widget : undefined;
}

export const REQUEST_TIMEOUT_MS = 10_000;

/** One request with a credential; rejects after REQUEST_TIMEOUT_MS ("never a hang"). */
export async function send(
  t: TestApp,
  method: InjectOptions['method'],
  url: string,
  credential: Credential | undefined,
  options: Omit<RequestOptions, 'token' | 'cookies'> = {},
): Promise<LightMyRequestResponse> {
  const request = t.request(method, url, {
    ...options,
    headers: { ...credential?.headers, ...options.headers },
    cookies: credential?.cookies,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${method} ${url} did not answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
  });
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Null when `res` is an error in the one shape `{detail, error_code, timestamp}` (docs/decisions.md D9), else what is wrong. */
export function errorShapeProblem(res: LightMyRequestResponse): string | null {
  let body: Record<string, unknown>;
  try {
    body = res.json();
  } catch {
    return `body is not JSON: ${res.body.slice(0, 200)}`;
  }
  const ok = typeof body.detail === 'string' && body.detail !== '' && typeof body.error_code === 'string' && !Number.isNaN(Date.parse(String(body.timestamp)));
  return ok ? null : `body is not {detail, error_code, timestamp}: ${res.body.slice(0, 200)}`;
}

/** A short description of a response for assertion messages. */
export const describeResponse = (res: LightMyRequestResponse) => `${res.statusCode} ${res.body.slice(0, 300)}`;

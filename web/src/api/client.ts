// The one way the dashboard talks to the API: same origin, the HttpOnly session cookie, JSON in and
// out, every failure as ApiError carrying the server's one error shape (docs/decisions.md D9).

export interface ApiErrorBody {
  detail: string;
  error_code: string;
  timestamp?: string;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.detail);
  }
}

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener = () => {};
/** The app sends the user to the login page when a session ends (set once by the session provider). */
export function setUnauthorizedListener(listener: UnauthorizedListener): void {
  onUnauthorized = listener;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Public endpoints (login, register…): a 401 is an answer, not an ended session. */
  anonymous?: boolean;
}

export function urlWithQuery(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

let uiLanguage = 'ja';
/** The UI's language, sent as Accept-Language so the server words its messages (errors, failure reasons) in it. */
export function setRequestLanguage(language: string): void {
  uiLanguage = language;
}
export const languageHeader = () => ({ 'Accept-Language': uiLanguage });

let refreshing: Promise<boolean> | undefined;
/** The access cookie lives 30 minutes; the refresh cookie renews it (one attempt shared by all callers). */
export function refreshSession(): Promise<boolean> {
  refreshing ??= fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'same-origin', headers: languageHeader() })
    .then((res) => res.ok)
    .catch(() => false)
    .finally(() => setTimeout(() => (refreshing = undefined), 0));
  return refreshing;
}

/** fetch with the session cookie; on 401 renews the session once, then gives up to the login page. */
export async function apiFetch(path: string, options: RequestOptions & { accept?: string } = {}): Promise<Response> {
  const send = () =>
    fetch(urlWithQuery(path, options.query), {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      headers: {
        Accept: options.accept ?? 'application/json',
        ...languageHeader(),
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    });
  let res = await send();
  if (res.status === 401 && !options.anonymous) {
    if (await refreshSession()) res = await send();
    if (res.status === 401) onUnauthorized();
  }
  if (!res.ok) throw new ApiError(res.status, await errorBodyOf(res));
  return res;
}

/** JSON request → parsed JSON answer (typed by the caller from the server's z.infer types). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await apiFetch(path, options);
  return (await res.json()) as T;
}

export async function errorBodyOf(res: Response): Promise<ApiErrorBody> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (typeof body.detail === 'string' && typeof body.error_code === 'string') return body as ApiErrorBody;
  } catch {
    // not JSON: a proxy's error page, for instance
  }
  return { detail: `HTTP ${res.status}`, error_code: res.status >= 500 ? 'INTERNAL_ERROR' : 'HTTP_ERROR' };
}

/** Any thrown value as the error shape the UI shows. */
export function toErrorBody(error: unknown): ApiErrorBody {
  if (error instanceof ApiError) return error.body;
  if (error instanceof DOMException && error.name === 'AbortError') return { detail: 'Cancelled', error_code: 'CANCELLED' };
  return { detail: error instanceof Error ? error.message : String(error), error_code: 'NETWORK_ERROR' };
}

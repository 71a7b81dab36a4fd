import { ApiError, languageHeader, refreshSession, type ApiErrorBody } from './client.js';

/** What the server's X-RateLimit-* headers said about the upload limit after this request. */
export interface RateBudget {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** An upload's refusal: the server's error, plus when to try again (429 `Retry-After`) and the budget left. */
export class UploadError extends ApiError {
  constructor(
    status: number,
    body: ApiErrorBody,
    readonly retryAfterSeconds?: number,
    readonly budget?: RateBudget,
  ) {
    super(status, body);
  }
}

export interface UploadOptions {
  onProgress(fraction: number): void;
  signal?: AbortSignal;
}

/**
 * Uploads one file as multipart (field `file`) with XMLHttpRequest, the one browser API that
 * reports upload progress. Resolves with the parsed JSON answer and the rate budget; rejects with
 * UploadError. A 401 renews the session once (as apiFetch does) and sends again.
 */
export async function uploadFile<T>(path: string, file: File, options: UploadOptions): Promise<{ body: T; budget?: RateBudget }> {
  try {
    return await sendOnce<T>(path, file, options);
  } catch (error) {
    if (!(error instanceof UploadError) || error.status !== 401 || !(await refreshSession())) throw error;
    return sendOnce<T>(path, file, options);
  }
}

function sendOnce<T>(path: string, file: File, { onProgress, signal }: UploadOptions): Promise<{ body: T; budget?: RateBudget }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', languageHeader()['Accept-Language']);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      const budget = budgetOf(xhr);
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve({ body: body as T, budget });
        return;
      }
      const error = body && typeof body === 'object' && 'error_code' in body ? (body as ApiErrorBody) : { detail: `HTTP ${xhr.status}`, error_code: 'HTTP_ERROR' };
      reject(new UploadError(xhr.status, error, seconds(xhr.getResponseHeader('Retry-After')), budget));
    };
    xhr.onerror = () => reject(new UploadError(0, { detail: 'Network error', error_code: 'NETWORK_ERROR' }));
    xhr.onabort = () => reject(new UploadError(0, { detail: 'Cancelled', error_code: 'CANCELLED' }));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

function budgetOf(xhr: XMLHttpRequest): RateBudget | undefined {
  const limit = seconds(xhr.getResponseHeader('X-RateLimit-Limit'));
  const remaining = seconds(xhr.getResponseHeader('X-RateLimit-Remaining'));
  const resetSeconds = seconds(xhr.getResponseHeader('X-RateLimit-Reset'));
  return limit === undefined || remaining === undefined || resetSeconds === undefined ? undefined : { limit, remaining, resetSeconds };
}

/** A whole, non-negative number header (Retry-After in its seconds form; the server never sends a date). */
function seconds(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

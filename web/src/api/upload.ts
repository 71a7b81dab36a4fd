import { ApiError, languageHeader, type ApiErrorBody } from './client.js';

/**
 * Uploads one file as multipart (field `file`) with XMLHttpRequest, the one browser API that
 * reports upload progress. Resolves with the parsed JSON answer; rejects with ApiError.
 */
export function uploadFile<T>(path: string, file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = false; // same origin: the session cookie goes anyway
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
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
        return;
      }
      const error = body && typeof body === 'object' && 'error_code' in body ? (body as ApiErrorBody) : { detail: `HTTP ${xhr.status}`, error_code: 'HTTP_ERROR' };
      reject(new ApiError(xhr.status, error));
    };
    xhr.onerror = () => reject(new ApiError(0, { detail: 'Network error', error_code: 'NETWORK_ERROR' }));
    xhr.onabort = () => reject(new ApiError(0, { detail: 'Cancelled', error_code: 'CANCELLED' }));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

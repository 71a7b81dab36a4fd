import { apiFetch, type RequestOptions } from './client.js';

/**
 * Fetches a file the API makes (a CSV export) with the session and the UI's language — a plain link
 * would send the browser's Accept-Language, not the language the dashboard is shown in — and saves it.
 */
export async function downloadFile(path: string, query: RequestOptions['query'], fileName: string): Promise<void> {
  const res = await apiFetch(path, { query });
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

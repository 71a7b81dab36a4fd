import type { z } from 'zod';
import type { CreateFaqBody, faqEntrySchema, FaqImportResult, UpdateFaqBody } from '../../../../src/modules/sources/faq/faq.schemas.js';
import { api, apiFetch } from '../../api/client.js';
import { uploadFile } from '../../api/upload.js';

export type FaqEntry = z.infer<typeof faqEntrySchema>;
export type { FaqImportResult };

export interface FaqFilters {
  search?: string;
  skip: number;
  limit: number;
}

/** One page of entries, with the total from X-Total-Count. */
export async function listFaq(filters: FaqFilters, signal?: AbortSignal): Promise<{ items: FaqEntry[]; total: number }> {
  const res = await apiFetch('/api/v1/faq', { query: { ...filters }, signal });
  const items = (await res.json()) as FaqEntry[];
  return { items, total: Number(res.headers.get('X-Total-Count') ?? items.length) };
}
export const createFaq = (body: CreateFaqBody) => api<FaqEntry>('/api/v1/faq', { method: 'POST', body });
export const updateFaq = (id: string, body: UpdateFaqBody) => api<FaqEntry>(`/api/v1/faq/${encodeURIComponent(id)}`, { method: 'PATCH', body });
export const deleteFaq = (id: string) => api<{ message: string }>(`/api/v1/faq/${encodeURIComponent(id)}`, { method: 'DELETE' });
export const importFaq = async (file: File) => (await uploadFile<FaqImportResult>('/api/v1/faq/import', file, { onProgress: () => undefined })).body;
/** A plain link: the session cookie goes with it and the browser saves the attachment. */
export const EXPORT_URL = '/api/v1/faq/export';

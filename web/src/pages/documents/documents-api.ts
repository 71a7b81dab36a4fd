import type { z } from 'zod';
import type { contentDetailSchema, contentSummarySchema } from '../../../../src/modules/contents/contents.schemas.js';
import { api, apiFetch } from '../../api/client.js';
import { uploadFile } from '../../api/upload.js';
import type { SendUpload } from './upload-queue.js';

export type Content = z.infer<typeof contentSummarySchema>;
export type ContentDetail = z.infer<typeof contentDetailSchema>;
export type ContentStatus = Content['status'];

export interface ContentFilters {
  search?: string;
  file_type?: Content['file_type'];
  status?: ContentStatus;
  skip: number;
  limit: number;
}

/** Still being worked on: the page polls while any document is in one of these. */
export const isBusy = (status: ContentStatus) => status === 'pending' || status === 'processing';

export async function listContents(filters: ContentFilters, signal?: AbortSignal): Promise<{ items: Content[]; total: number }> {
  const res = await apiFetch('/api/v1/contents', { query: { ...filters }, signal });
  const items = (await res.json()) as Content[];
  return { items, total: Number(res.headers.get('X-Total-Count') ?? items.length) };
}

export const getContent = (id: string, signal?: AbortSignal) => api<ContentDetail>(`/api/v1/contents/${encodeURIComponent(id)}`, { signal });
export const reprocessContent = (id: string) => api<Content>(`/api/v1/contents/${encodeURIComponent(id)}/reprocess`, { method: 'POST' });
export const deleteContent = (id: string) => api<{ message: string }>(`/api/v1/contents/${encodeURIComponent(id)}`, { method: 'DELETE' });
/** One file to POST /api/v1/contents/upload, for the upload queue. */
export const sendContent: SendUpload = async (file, onProgress, signal) => {
  const { body, budget } = await uploadFile<Content>('/api/v1/contents/upload', file, { onProgress, signal });
  return { contentId: body.id, budget };
};

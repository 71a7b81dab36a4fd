import type { z } from 'zod';
import type { contentChunkSchema, contentDetailSchema, contentPageSchema, contentSummarySchema, UpdateContentBody } from '../../../../src/modules/contents/contents.schemas.js';
import { api, apiFetch } from '../../api/client.js';
import { uploadFile } from '../../api/upload.js';
import type { SendUpload } from './upload-queue.js';

export type Content = z.infer<typeof contentSummarySchema>;
export type ContentDetail = z.infer<typeof contentDetailSchema>;
export type ContentStatus = Content['status'];
export type ContentPage = z.infer<typeof contentPageSchema>;
export type ContentChunk = z.infer<typeof contentChunkSchema>;

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

/** A range of a document's pages or passages, with the total from X-Total-Count. */
async function pagedText<T>(id: string, what: 'pages' | 'chunks', paging: { skip: number; limit: number }, signal?: AbortSignal): Promise<{ items: T[]; total: number }> {
  const res = await apiFetch(`/api/v1/contents/${encodeURIComponent(id)}/${what}`, { query: { ...paging }, signal });
  const items = (await res.json()) as T[];
  return { items, total: Number(res.headers.get('X-Total-Count') ?? items.length) };
}

export const listPages = (id: string, paging: { skip: number; limit: number }, signal?: AbortSignal) => pagedText<ContentPage>(id, 'pages', paging, signal);
export const listChunks = (id: string, paging: { skip: number; limit: number }, signal?: AbortSignal) => pagedText<ContentChunk>(id, 'chunks', paging, signal);
export const updateContent = (id: string, body: UpdateContentBody) => api<ContentDetail>(`/api/v1/contents/${encodeURIComponent(id)}`, { method: 'PATCH', body });
export const getContent = (id: string, signal?: AbortSignal) => api<ContentDetail>(`/api/v1/contents/${encodeURIComponent(id)}`, { signal });
export const reprocessContent = (id: string) => api<Content>(`/api/v1/contents/${encodeURIComponent(id)}/reprocess`, { method: 'POST' });
export const deleteContent = (id: string) => api<{ message: string }>(`/api/v1/contents/${encodeURIComponent(id)}`, { method: 'DELETE' });
/** One file to POST /api/v1/contents/upload, for the upload queue. */
export const sendContent: SendUpload = async (file, onProgress, signal) => {
  const { body, budget } = await uploadFile<Content>('/api/v1/contents/upload', file, { onProgress, signal });
  return { contentId: body.id, budget };
};

import type { z } from 'zod';
import type { contentChunkSchema, contentDetailSchema, contentPageSchema, contentSummarySchema, UpdateContentBody } from '../../../../src/modules/sources/contents/contents.schemas.js';
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

/** One page of a list, with the total from X-Total-Count (the API's `skip`/`limit` lists). */
async function listed<T>(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<{ items: T[]; total: number }> {
  const res = await apiFetch(path, { query, signal });
  const items = (await res.json()) as T[];
  return { items, total: Number(res.headers.get('X-Total-Count') ?? items.length) };
}

type Paging = { skip: number; limit: number };
export const listContents = (filters: ContentFilters, signal?: AbortSignal) => listed<Content>('/api/v1/contents', { ...filters }, signal);
export const listPages = (id: string, paging: Paging, signal?: AbortSignal) => listed<ContentPage>(`/api/v1/contents/${encodeURIComponent(id)}/pages`, { ...paging }, signal);
export const listChunks = (id: string, paging: Paging, signal?: AbortSignal) => listed<ContentChunk>(`/api/v1/contents/${encodeURIComponent(id)}/chunks`, { ...paging }, signal);
export const updateContent = (id: string, body: UpdateContentBody) => api<ContentDetail>(`/api/v1/contents/${encodeURIComponent(id)}`, { method: 'PATCH', body });
export const getContent = (id: string, signal?: AbortSignal) => api<ContentDetail>(`/api/v1/contents/${encodeURIComponent(id)}`, { signal });
export const reprocessContent = (id: string) => api<Content>(`/api/v1/contents/${encodeURIComponent(id)}/reprocess`, { method: 'POST' });
export const deleteContent = (id: string) => api<{ message: string }>(`/api/v1/contents/${encodeURIComponent(id)}`, { method: 'DELETE' });
/** One file to POST /api/v1/contents/upload, for the upload queue. */
export const sendContent: SendUpload = async (file, onProgress, signal) => {
  const { body, budget } = await uploadFile<Content>('/api/v1/contents/upload', file, { onProgress, signal });
  return { contentId: body.id, budget };
};

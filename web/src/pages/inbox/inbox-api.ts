import type { z } from 'zod';
import type { AnswerInboxBody, inboxItemDetailSchema, inboxItemSchema, inboxListSchema, reaskResultSchema } from '../../../../src/modules/inbox/inbox.schemas.js';
import { api } from '../../api/client.js';
import { downloadFile } from '../../api/download.js';

export type InboxItem = z.infer<typeof inboxItemSchema>;
export type InboxList = z.infer<typeof inboxListSchema>;
export type InboxItemDetail = z.infer<typeof inboxItemDetailSchema>;
export type ReaskResult = z.infer<typeof reaskResultSchema>;

export interface InboxFilters {
  status: InboxItem['status'];
  reason?: InboxItem['reasons'][number];
  skip: number;
  limit: number;
}

const path = (id: string, action = '') => `/api/v1/inbox/${encodeURIComponent(id)}${action && `/${action}`}`;

export const listInbox = (filters: InboxFilters, signal?: AbortSignal) => api<InboxList>('/api/v1/inbox', { query: { ...filters }, signal });
export const getInboxItem = (id: string, signal?: AbortSignal) => api<InboxItemDetail>(path(id), { signal });
export const answerInboxItem = (id: string, body: AnswerInboxBody) => api<InboxItemDetail>(path(id, 'answer'), { method: 'POST', body });
export const setInboxStatus = (id: string, action: 'resolve' | 'ignore' | 'reopen') => api<InboxItem>(path(id, action), { method: 'POST' });
export const reaskInboxItem = (id: string) => api<ReaskResult>(path(id, 'reask'), { method: 'POST' });

/** The reader's own time zone, for the times an export writes. */
export const readerTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Tokyo';
/** The inbox (under these filters) as a CSV file, headers in the UI's language. */
export const downloadInbox = (filters: Pick<InboxFilters, 'status' | 'reason'>) => downloadFile('/api/v1/inbox/export.csv', { ...filters, time_zone: readerTimeZone() }, 'inbox.csv');

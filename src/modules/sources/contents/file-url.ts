import type { FileType } from '../../../db/enums.js';

/**
 * Where the original of a cited file opens, relative to this server (the route needs the caller's
 * credentials): a PDF shown by the browser at the passage's page, other kinds downloaded.
 * fileUrl(id, 'pdf', 3) → `/api/v1/contents/${id}/file?disposition=inline#page=3`
 */
export function fileUrl(fileId: string, fileType: FileType, page: number | null): string {
  const base = `/api/v1/contents/${fileId}/file`;
  if (fileType !== 'pdf') return base;
  return `${base}?disposition=inline${page === null ? '' : `#page=${page}`}`;
}

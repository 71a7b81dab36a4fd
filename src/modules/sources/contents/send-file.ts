import { create as contentDisposition } from 'content-disposition';
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { FileType } from '../../../db/enums.js';
import type { ContentRow } from './contents.repo.js';

/** Types for downloads; text stays in its own encoding (stored as `encoding`), so no charset is claimed. */
const DOWNLOAD_TYPES: Record<FileType, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html', // safe: always an attachment, with nosniff and a sandboxing CSP (below)
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

export const dispositionSchema = z
  .enum(['attachment', 'inline'], { error: 'must be attachment or inline' })
  .default('attachment')
  .describe('`inline` shows a PDF in the browser (add `#page=N` to open it at a page); every other type is always an attachment');

export const fileResponseSchema = z.custom<Readable>().meta({ type: 'string', format: 'binary', description: 'The original file' });

/**
 * Sends an original file. Only a PDF is ever shown inline: the browser's PDF viewer runs no script
 * of ours, and `object-src 'self'` is the least it needs (a `sandbox` CSP leaves it blank). Every
 * other type is an attachment under a sandboxing CSP, so a hostile file never renders in our origin.
 */
export function sendFile(reply: FastifyReply, content: ContentRow, bytes: Readable, disposition: 'attachment' | 'inline') {
  const inline = disposition === 'inline' && content.fileType === 'pdf';
  return reply
    .type(DOWNLOAD_TYPES[content.fileType])
    .header('content-length', content.fileSize)
    .header('content-disposition', contentDisposition(content.fileName, { type: inline ? 'inline' : 'attachment' }))
    .header('content-security-policy', inline ? "default-src 'none'; object-src 'self'" : "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .send(bytes);
}

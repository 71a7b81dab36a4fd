import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChatSource } from '../chat/chat.schemas.js';

/** How long a visitor's link to a cited file opens it. */
export const FILE_LINK_SECONDS = 24 * 60 * 60;

/** A UUID in 22 characters: links stay under the router's 100-character parameter limit. */
const shortId = (uuid: string) => Buffer.from(uuid.replaceAll('-', ''), 'hex').toString('base64url');
function uuidOf(short: string): string | null {
  const hex = Buffer.from(short, 'base64url').toString('hex');
  if (hex.length !== 32 || shortId(hex) !== short) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Signed links that let a website visitor open a cited file without an account (docs/decisions.md
 * D21): the tenant, the file and an expiry, with an HMAC over them. A link names one file of one
 * tenant; the route that opens it checks again that the tenant still lets visitors open files.
 */
export function createFileLinks(key: Buffer, now: () => number = Date.now) {
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest().subarray(0, 16).toString('base64url');

  const token = (tenantId: string, fileId: string) => {
    const payload = `${shortId(tenantId)}.${shortId(fileId)}.${(Math.floor(now() / 1000) + FILE_LINK_SECONDS).toString(36)}`;
    return `${payload}.${mac(payload)}`;
  };

  return {
    /** The source with `url` a signed link to its file (a PDF at its page), or null when visitors may not open files. */
    sign(publicUrl: string, tenantId: string, source: ChatSource, allowed: boolean): ChatSource {
      // A website page is public: it opens where it came from.
      if (source.source_url) return { ...source, url: source.source_url };
      if (!allowed || !source.file_type) return { ...source, url: null };
      const page = source.file_type === 'pdf' && source.page !== null ? `#page=${source.page}` : '';
      return { ...source, url: `${publicUrl}/api/v1/chats/widget/files/${token(tenantId, source.file_id)}${page}` };
    },

    /** The tenant and file a link names, or null when it was altered or has expired. */
    verify(link: string): { tenantId: string; fileId: string } | null {
      const [tenant = '', file = '', expires = '', signature = ''] = link.split('.');
      const expected = Buffer.from(mac(`${tenant}.${file}.${expires}`));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      const tenantId = uuidOf(tenant);
      const fileId = uuidOf(file);
      return tenantId && fileId && parseInt(expires, 36) * 1000 > now() ? { tenantId, fileId } : null;
    },
  };
}

export type FileLinks = ReturnType<typeof createFileLinks>;

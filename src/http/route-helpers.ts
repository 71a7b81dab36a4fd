import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ClientInfo } from '../modules/auth/auth.service.js';

/** OpenAPI security for routes anyone may call (login, register, health…): no credentials. */
export const publicSecurity: Array<Record<string, string[]>> = [];

/** OpenAPI security for routes that take a user's access token (header or cookie). */
export const userSecurity: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** OpenAPI security for the widget chat: the publishable key in X-API-Key. */
export const widgetSecurity: Array<Record<string, string[]>> = [{ widgetKey: [] }];

export function clientInfo(request: FastifyRequest): ClientInfo {
  return { ip: request.ip, userAgent: request.headers['user-agent'] };
}

/** The body of a route that only confirms what it did, e.g. `{ "message": "APIキーが削除されました" }`. */
export const messageResponseSchema = z.object({ message: z.string() }).meta({ id: 'Message' });

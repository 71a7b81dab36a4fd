import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../http/errors.js';
import type { RateLimiter, RateLimitRule } from '../../http/rate-limit.js';
import type { MonthlyMessages } from '../billing/plan-limits.service.js';
import type { WidgetKeysService, WidgetTenant } from './widget-keys.service.js';

export interface WidgetLimits {
  /** Per client address, checked first: it also slows down key guessing. */
  perIp: RateLimitRule;
  /** Per key (seed 000 §6: 60 a minute), i.e. per website. */
  perKey: RateLimitRule;
  /** Per visitor (X-Visitor-Id, else the address). */
  perVisitor: RateLimitRule;
}

export interface WidgetCaller extends WidgetTenant {
  visitorId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    widget?: WidgetCaller;
  }
}

type Language = 'ja' | 'en';
/** Messages a website visitor sees in the widget, in their browser's language. */
const messages = {
  tooFast: { ja: (s: number) => `短時間に多くのメッセージが送信されました。${s}秒後にもう一度お試しください。`, en: (s: number) => `You are sending messages too quickly. Please try again in ${s} seconds.` },
  busy: { ja: (s: number) => `ただいまチャットが大変混み合っています。${s}秒後にもう一度お試しください。`, en: (s: number) => `The chat is very busy right now. Please try again in ${s} seconds.` },
  monthly: { ja: () => '今月のチャットの利用上限に達しました。恐れ入りますが、来月以降にご利用ください。', en: () => 'This chat has reached its message limit for this month. Please try again next month.' },
} satisfies Record<string, Record<Language, (seconds: number) => string>>;

const languageOf = (request: FastifyRequest): Language => (/^\s*ja\b/i.test(request.headers['accept-language'] ?? '') ? 'ja' : 'en');

const VISITOR_ID = /^[\w-]{8,64}$/;

/**
 * The dashboard's widget preview runs widget.js on this server's own origin, whatever the tenant's
 * allowed origins say; its GETs carry no Origin (same-origin), so the browser's `Sec-Fetch-Site:
 * same-origin` is what marks it. Only browsers enforce the origin rule anyway — any other client can
 * send whichever Origin it likes — and this origin serves no page a tenant or visitor controls.
 */
const fromOwnPages = (request: FastifyRequest) => request.headers['sec-fetch-site'] === 'same-origin';

/**
 * Everything the widget chat checks before answering, cheapest first: the address's rate, the
 * key, the page's origin, the key's and the visitor's rates, the plan's messages this month
 * (every channel counts). Each refusal is the one error shape with a message the widget can show
 * as it is.
 */
export function createWidgetGuard(deps: {
  keys: WidgetKeysService;
  limiter: RateLimiter;
  limits: WidgetLimits;
  /** The tenant's plan limit and its answers this month, all channels (src/modules/billing). */
  monthlyMessages(tenantId: string): Promise<MonthlyMessages>;
}) {
  const { limiter, limits } = deps;

  async function consume(rule: RateLimitRule, key: string, reply: FastifyReply, message: (s: number) => string) {
    const state = await limiter.consume(rule, key, { detail: message });
    reply.header('X-RateLimit-Limit', state.limit);
    reply.header('X-RateLimit-Remaining', state.remaining);
    reply.header('X-RateLimit-Reset', state.resetSeconds);
  }

  /** Who is calling: the address's rate, the key, the page's origin. Every widget route runs this. */
  async function identify(request: FastifyRequest, reply: FastifyReply): Promise<WidgetCaller> {
    await consume(limits.perIp, request.ip, reply, messages.tooFast[languageOf(request)]);
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string' || !key) throw new AppError('AUTHENTICATION_ERROR', 'Widget key required: send "X-API-Key: <tenant widget key>"');
    const tenant = await deps.keys.authenticate(key.trim());
    if (!tenant) throw new AppError('AUTHENTICATION_ERROR', 'Invalid widget key (it may have been rotated: copy the current embed snippet)');

    const origin = request.headers.origin;
    if (tenant.allowedOrigins.length > 0 && !fromOwnPages(request) && (!origin || !tenant.allowedOrigins.includes(origin.toLowerCase()))) {
      throw new AppError('PERMISSION_DENIED', `This widget key may not be used from ${origin ? `the origin ${origin}` : 'a page without an Origin'}: add it to the tenant's allowed origins`);
    }
    const visitorHeader = request.headers['x-visitor-id'];
    if (visitorHeader !== undefined && (typeof visitorHeader !== 'string' || !VISITOR_ID.test(visitorHeader))) {
      throw new AppError('VALIDATION_ERROR', 'X-Visitor-Id must be 8–64 letters, digits, - or _', { errors: [{ field: 'X-Visitor-Id', message: 'must be 8-64 letters, digits, - or _' }] });
    }
    request.widget = { ...tenant, visitorId: visitorHeader ?? null };
    return request.widget;
  }

  /** A question on top of that: the key's and the visitor's rates, and the plan's messages this month. */
  async function admitQuestion(caller: WidgetCaller, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const language = languageOf(request);
    await consume(limits.perKey, caller.tenantId, reply, messages.busy[language]);
    await consume(limits.perVisitor, `${caller.tenantId}:${caller.visitorId ?? request.ip}`, reply, messages.tooFast[language]);
    const budget = await deps.monthlyMessages(caller.tenantId);
    if (budget.limit !== null && budget.used >= budget.limit) {
      // The visitor sees no plan details: only that the chat is resting until next month.
      const retryAfterSeconds = Math.max(1, Math.ceil((budget.resetsAt.getTime() - Date.now()) / 1000));
      throw new AppError('QUOTA_EXCEEDED', messages.monthly[language](), { retryAfterSeconds });
    }
  }

  return { identify, admitQuestion };
}

export type WidgetGuard = ReturnType<typeof createWidgetGuard>;

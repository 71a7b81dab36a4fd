import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, validationFailed } from '../../http/errors.js';
import type { Text } from '../../http/language.js';
import type { RateLimiter, RateLimitRule } from '../../http/rate-limit.js';
import type { MonthlyMessages } from '../billing/plan-limits.service.js';
import type { WidgetKeysService, WidgetTenant } from './widget-keys.service.js';

export interface WidgetLimits {
  /** Per client address, checked first: it also slows down key guessing. */
  perIp: RateLimitRule;
  /** Per key (60 a minute, docs/decisions.md C10), i.e. per website. */
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

/** Refusals a website visitor sees in the widget as they are (the error handler picks their language). */
const messages = {
  tooFast: (s: number): Text => ({ ja: `短時間に多くのメッセージが送信されました。${s}秒後にもう一度お試しください。`, en: `You are sending messages too quickly. Please try again in ${s} seconds.` }),
  busy: (s: number): Text => ({ ja: `ただいまチャットが大変混み合っています。${s}秒後にもう一度お試しください。`, en: `The chat is very busy right now. Please try again in ${s} seconds.` }),
  monthly: { ja: '今月のチャットの利用上限に達しました。恐れ入りますが、来月以降にご利用ください。', en: 'This chat has reached its message limit for this month. Please try again next month.' } satisfies Text,
};

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

  async function consume(rule: RateLimitRule, key: string, reply: FastifyReply, message: (s: number) => Text) {
    const state = await limiter.consume(rule, key, { detail: message });
    reply.header('X-RateLimit-Limit', state.limit);
    reply.header('X-RateLimit-Remaining', state.remaining);
    reply.header('X-RateLimit-Reset', state.resetSeconds);
  }

  /** Who is calling: the address's rate, the key, the page's origin. Every widget route runs this. */
  async function identify(request: FastifyRequest, reply: FastifyReply): Promise<WidgetCaller> {
    await consume(limits.perIp, request.ip, reply, messages.tooFast);
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string' || !key) throw new AppError('AUTHENTICATION_ERROR', { ja: 'ウィジェットのキーがありません（"X-API-Key: <組織のウィジェットキー>" を送ってください）。', en: 'Widget key required: send "X-API-Key: <tenant widget key>"' });
    const tenant = await deps.keys.authenticate(key.trim());
    if (!tenant) throw new AppError('AUTHENTICATION_ERROR', { ja: 'ウィジェットのキーが無効です（再発行された可能性があります。ダッシュボードの「ウィジェット」ページから最新の埋め込みコードをコピーしてください）。', en: 'Invalid widget key (it may have been rotated: copy the current embed snippet from the Widget page of the dashboard)' });

    const origin = request.headers.origin;
    if (tenant.allowedOrigins.length > 0 && !fromOwnPages(request) && (!origin || !tenant.allowedOrigins.includes(origin.toLowerCase()))) {
      throw new AppError('PERMISSION_DENIED', {
        ja: `このウィジェットのキーは${origin ? `オリジン ${origin}` : 'Origin のないページ'}からは使えません。ダッシュボードの「ウィジェット」ページで許可するオリジンに追加してください。`,
        en: `This widget key may not be used from ${origin ? `the origin ${origin}` : 'a page without an Origin'}: add it to the allowed origins on the Widget page of the dashboard`,
      });
    }
    const visitorHeader = request.headers['x-visitor-id'];
    if (visitorHeader !== undefined && (typeof visitorHeader !== 'string' || !VISITOR_ID.test(visitorHeader))) {
      throw validationFailed([{ field: 'X-Visitor-Id', message: { ja: '半角英数字、- または _ の 8〜64 文字にしてください', en: 'must be 8-64 letters, digits, - or _' } }]);
    }
    request.widget = { ...tenant, visitorId: visitorHeader ?? null };
    return request.widget;
  }

  /** A question on top of that: the key's and the visitor's rates, and the plan's messages this month. */
  async function admitQuestion(caller: WidgetCaller, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await consume(limits.perKey, caller.tenantId, reply, messages.busy);
    await consume(limits.perVisitor, `${caller.tenantId}:${caller.visitorId ?? request.ip}`, reply, messages.tooFast);
    const budget = await deps.monthlyMessages(caller.tenantId);
    if (budget.limit !== null && budget.used >= budget.limit) {
      // The visitor sees no plan details: only that the chat is resting until next month.
      const retryAfterSeconds = Math.max(1, Math.ceil((budget.resetsAt.getTime() - Date.now()) / 1000));
      throw new AppError('QUOTA_EXCEEDED', messages.monthly, { retryAfterSeconds });
    }
  }

  /** A visitor's action that is not a question (handing off to a person, rating an answer): their own rate only, not the plan's answers. */
  async function admitAction(caller: WidgetCaller, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await consume(limits.perVisitor, `${caller.tenantId}:${caller.visitorId ?? request.ip}`, reply, messages.tooFast);
  }

  return { identify, admitQuestion, admitAction };
}

export type WidgetGuard = ReturnType<typeof createWidgetGuard>;

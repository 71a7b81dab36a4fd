// Every write route of /openapi.json for the mass-assignment and type-confusion suites: the ones
// with a JSON body, each with a body that would succeed (or a stated refusal) and who sends it; and
// the few that take no JSON body, each with the reason. A write route in neither table fails both
// suites (see assertWriteRoutesCovered).
import { randomBytes } from 'node:crypto';
import { billingConfig } from '../../modules/billing/test-support/billing-fixtures.js';
import { startFakeStripe } from '../../test/fake-stripe.js';
import { buildTestApp, PASSWORD, unique, type TestApp } from '../../test/harness.js';
import { uploadText } from '../../test/upload.js';
import { bearer, widgetKey, widgetKeyOf, type Credential } from './callers.js';
import { isWrite, readApiRoutes, type ApiRoute } from './openapi-routes.js';

/** What the write routes act on: tenant A's own objects. */
export interface WriteContext {
  t: TestApp;
  widgetKey: string;
  /** A's conversation with an answer, for the feedback route. */
  conversationId: string;
  messageId: string;
  /** A's document, for the route that edits one. */
  documentId: string;
  /** A's FAQ entry, for the route that edits one. */
  faqId: string;
  /** A's website source, for the route that changes its schedule. */
  websiteId: string;
  /** A's webhook endpoint, for the route that edits one. */
  webhookId: string;
  /** A's widget conversation (asked with the widget key alone), handed to a person: for the handoff routes. */
  widgetConversationId: string;
  /** Its answer, for the widget's feedback route. */
  widgetMessageId: string;
  /** A's inbox item (its conversation's question found nothing), for the route that answers one. */
  inboxItemId: string;
}

type Body = Record<string, unknown>;

export interface JsonWriteRoute {
  /** Who sends it: the least privileged caller the route lets in, so an escalation would show. */
  caller: 'admin' | 'operator' | 'anonymous' | 'widget';
  params?: (ctx: WriteContext) => Record<string, string>;
  /** A fresh body that is valid for the route (some routes need a fresh token or name per call). */
  body: (ctx: WriteContext) => Body | Promise<Body>;
}

const WRONG_CODE = '000000';
const fresh = () => unique('sec').toLowerCase();

async function invitationToken(ctx: WriteContext): Promise<string> {
  const res = await ctx.t.request('POST', '/api/v1/invitations', { token: ctx.t.a.admin.accessToken, body: { email: `${fresh()}@example.com` } });
  if (res.statusCode !== 201) throw new Error(`invitation for the test failed: ${res.body}`);
  return res.json().token;
}

async function refreshToken(ctx: WriteContext): Promise<string> {
  const res = await ctx.t.login(ctx.t.a.operator.email);
  if (res.statusCode !== 200) throw new Error(`login for a refresh token failed: ${res.body}`);
  return res.json().refresh_token;
}

/**
 * Routes with a JSON body. Bodies marked "refused" cannot succeed without a live authenticator
 * code or the right current password; they still show that extra or confused fields never get
 * further than the plain refusal.
 */
export const jsonWriteRoutes: Record<string, JsonWriteRoute> = {
  'POST /api/v1/auth/register': {
    caller: 'anonymous',
    body: () => {
      const name = fresh();
      return { email: `${name}@example.com`, username: name, password: PASSWORD, tenant_name: `Tenant ${name}`, tenant_domain: `${name.replaceAll('_', '-')}.example.com` };
    },
  },
  'POST /api/v1/auth/login': { caller: 'anonymous', body: ({ t }) => ({ email: t.a.operator.email, password: PASSWORD }) },
  'POST /api/v1/auth/refresh': { caller: 'anonymous', body: async (ctx) => ({ refresh_token: await refreshToken(ctx) }) },
  // Refused: a wrong current password (a right one would log the harness's other sessions out).
  'POST /api/v1/auth/password': { caller: 'operator', body: () => ({ current_password: 'WrongPassword1', new_password: 'Password456' }) },
  // Refused: no authenticator code.
  'POST /api/v1/auth/2fa/enable': { caller: 'operator', body: () => ({ code: WRONG_CODE }) },
  'POST /api/v1/auth/2fa/disable': { caller: 'operator', body: () => ({ password: PASSWORD, code: WRONG_CODE }) },
  'POST /api/v1/auth/2fa/recovery-codes': { caller: 'operator', body: () => ({ code: WRONG_CODE }) },
  'PATCH /api/v1/users/{id}': { caller: 'admin', params: ({ t }) => ({ id: t.a.operator.id }), body: () => ({ is_active: true }) },
  'POST /api/v1/invitations': { caller: 'admin', body: () => ({ email: `${fresh()}@example.com` }) },
  'POST /api/v1/invitations/preview': { caller: 'anonymous', body: async (ctx) => ({ token: await invitationToken(ctx) }) },
  'POST /api/v1/invitations/accept': { caller: 'anonymous', body: async (ctx) => ({ token: await invitationToken(ctx), username: fresh(), password: PASSWORD }) },
  'POST /api/v1/search': { caller: 'operator', body: () => ({ query: 'opening hours' }) },
  'PATCH /api/v1/contents/{file_id}': { caller: 'admin', params: (ctx) => ({ file_id: ctx.documentId }), body: () => ({ title: 'Opening hours', tags: ['shop'] }) },
  'POST /api/v1/faq': { caller: 'admin', body: () => ({ question: `Opening hours ${fresh()}?`, answer: '9 to 18.', alternatives: ['When are you open?'] }) },
  'PATCH /api/v1/faq/{faq_id}': { caller: 'admin', params: (ctx) => ({ faq_id: ctx.faqId }), body: () => ({ answer: '9 to 19.' }) },
  'PATCH /api/v1/tenants/{tenant_id}': { caller: 'admin', params: ({ t }) => ({ tenant_id: t.a.id }), body: () => ({ chunk_size: 512 }) },
  // Port 9 refuses at once: the crawl ends at robots.txt, nothing leaves the machine.
  'POST /api/v1/sources/websites': { caller: 'admin', body: () => ({ start_url: `http://127.0.0.1:9/${fresh()}`, sync_interval_hours: 0 }) },
  'PATCH /api/v1/sources/websites/{website_id}': { caller: 'admin', params: (ctx) => ({ website_id: ctx.websiteId }), body: () => ({ sync_interval_hours: 48 }) },
  // Port 9 is never connected to (fetch refuses it): nothing leaves the machine.
  'POST /api/v1/webhooks': { caller: 'admin', body: () => ({ url: `http://127.0.0.1:9/${fresh()}`, description: 'CRM', events: ['document.completed'] }) },
  'PATCH /api/v1/webhooks/{webhook_id}': { caller: 'admin', params: (ctx) => ({ webhook_id: ctx.webhookId }), body: () => ({ description: 'CRM', events: ['answer.rated_down'] }) },
  'POST /api/v1/chats/rag': { caller: 'operator', body: () => ({ query: 'opening hours', model: 'extractive' }) },
  'POST /api/v1/inbox/{item_id}/answer': { caller: 'admin', params: (ctx) => ({ item_id: ctx.inboxItemId }), body: () => ({ answer: `Open 9 to 18. ${fresh()}` }) },
  'POST /api/v1/chats/widget/chat': { caller: 'widget', body: () => ({ query: 'opening hours', model: 'extractive' }) },
  'PUT /api/v1/chats/widget/feedback': { caller: 'widget', body: (ctx) => ({ conversation_id: ctx.widgetConversationId, message_id: ctx.widgetMessageId, rating: 'down', comment: 'Missing the price' }) },
  'POST /api/v1/chats/widget/handoff': { caller: 'widget', body: (ctx) => ({ conversation_id: ctx.widgetConversationId, message: 'Please call me', contact: '03-0000-0000' }) },
  'PATCH /api/v1/conversations/{conversation_id}/handoff': { caller: 'operator', params: (ctx) => ({ conversation_id: ctx.widgetConversationId }), body: () => ({ note: 'Called back' }) },
  'PUT /api/v1/conversations/{conversation_id}/messages/{message_id}/feedback': {
    caller: 'operator',
    params: (ctx) => ({ conversation_id: ctx.conversationId, message_id: ctx.messageId }),
    body: () => ({ rating: 'up', comment: 'helpful' }),
  },
  // Anthropic keys never embed, so adding one starts no background work.
  'POST /api/v1/api-keys': { caller: 'admin', body: () => ({ provider: 'anthropic', model: 'claude-3-5-haiku-latest', api_key: `sk-ant-${randomBytes(12).toString('hex')}` }) },
  'POST /api/v1/billing/checkout': { caller: 'admin', body: () => ({ plan: 'PRO', billing_cycle: 'MONTHLY' }) },
  'POST /api/signup/': {
    caller: 'anonymous',
    body: () => {
      const name = fresh();
      return { username: name, password: PASSWORD, email: `${name}@example.com` };
    },
  },
  'POST /api/login/': { caller: 'anonymous', body: ({ t }) => ({ username: t.a.operator.username, password: PASSWORD }) },
  // Refused: the user has no 2FA / a wrong code.
  'POST /api/login-2fa/': { caller: 'anonymous', body: ({ t }) => ({ username: t.a.operator.username, password: PASSWORD, code: WRONG_CODE }) },
  'POST /api/signup-tfa/': { caller: 'operator', body: () => ({ secret_key: 'JBSWY3DPEHPK3PXPJBSWY3DP', code: WRONG_CODE }) },
};

/** Write routes that truly take no JSON body, and why. */
export const routesWithoutJsonBody: Record<string, string> = {
  'POST /api/v1/auth/logout': 'ends the session of the token it is called with; nothing else to say',
  'POST /api/v1/auth/2fa/setup': 'issues a new pending secret for the caller; nothing to send',
  'POST /api/v1/users/{id}/2fa/reset': 'the id in the path is the whole request',
  'DELETE /api/v1/invitations/{id}': 'the id in the path is the whole request',
  'POST /api/v1/contents/upload': 'multipart/form-data, not JSON: its text fields are attacked by the upload case of mass-assignment.test.ts',
  'DELETE /api/v1/contents/{file_id}': 'the id in the path is the whole request',
  'POST /api/v1/contents/{file_id}/reprocess': 'the id in the path is the whole request',
  'POST /api/v1/faq/import': 'multipart/form-data, not JSON: a CSV file (its rows are validated like POST /api/v1/faq bodies)',
  'DELETE /api/v1/faq/{faq_id}': 'the id in the path is the whole request',
  'POST /api/v1/inbox/{item_id}/resolve': 'the id in the path is the whole request',
  'POST /api/v1/inbox/{item_id}/ignore': 'the id in the path is the whole request',
  'POST /api/v1/inbox/{item_id}/reopen': 'the id in the path is the whole request',
  'POST /api/v1/inbox/{item_id}/reask': 'the id in the path is the whole request (the item’s question is asked)',
  'POST /api/v1/tenants/{tenant_id}/widget-key/rotate': 'the id in the path is the whole request',
  'DELETE /api/v1/sources/websites/{website_id}': 'the id in the path is the whole request',
  'POST /api/v1/sources/websites/{website_id}/sync': 'the id in the path is the whole request',
  'DELETE /api/v1/api-keys/{api_key_id}': 'the id in the path is the whole request',
  'DELETE /api/v1/webhooks/{webhook_id}': 'the id in the path is the whole request',
  'POST /api/v1/webhooks/{webhook_id}/rotate-secret': 'the id in the path is the whole request',
  'POST /api/v1/webhooks/{webhook_id}/test': 'the id in the path is the whole request',
  'POST /api/v1/billing/portal': 'opens a portal session for the caller’s tenant; nothing to send',
  'POST /api/v1/billing/webhook': 'Stripe’s signed raw event, verified before it is parsed: the raw-body attacks of type-confusion.test.ts cover it',
  'POST /api/logout/': 'ends the session of the token it is called with; nothing else to send',
};

/** Fails unless every write route of /openapi.json is in exactly one table, and the tables agree with the document. */
export function assertWriteRoutesCovered(routes: ApiRoute[]): void {
  const writes = routes.filter(isWrite);
  if (writes.length < 20) throw new Error(`only ${writes.length} write routes in /openapi.json: is it read right?`);
  const problems: string[] = [];
  for (const route of writes) {
    const json = route.key in jsonWriteRoutes;
    const skipped = route.key in routesWithoutJsonBody;
    if (!json && !skipped) problems.push(`${route.key} is new: add it to jsonWriteRoutes (with a valid body) or, if it truly takes no body, to routesWithoutJsonBody with the reason`);
    if (json && !route.body) problems.push(`${route.key} is in jsonWriteRoutes but documents no JSON body`);
    if (skipped && route.body) problems.push(`${route.key} now takes a JSON body: move it from routesWithoutJsonBody to jsonWriteRoutes`);
  }
  const known = new Set(writes.map((r) => r.key));
  for (const key of [...Object.keys(jsonWriteRoutes), ...Object.keys(routesWithoutJsonBody)]) {
    if (!known.has(key)) problems.push(`${key} is no longer in /openapi.json: remove it from src/security/test-support/write-routes.ts`);
  }
  if (problems.length) throw new Error(`write routes not covered by the security suites (src/security/test-support/write-routes.ts):\n${problems.join('\n')}`);
}

/** The credential for a table entry's caller. */
export function callerCredential(ctx: WriteContext, caller: JsonWriteRoute['caller']): Credential | undefined {
  if (caller === 'admin') return bearer(ctx.t.a.admin);
  if (caller === 'operator') return bearer(ctx.t.a.operator);
  if (caller === 'widget') return widgetKey(ctx.widgetKey);
  return undefined;
}

/** A's own conversation with one answer (extractive: no provider needed), for the feedback route. */
export async function ownConversation(t: TestApp): Promise<{ conversationId: string; messageId: string }> {
  const res = await t.request('POST', '/api/v1/chats/rag', { token: t.a.admin.accessToken, body: { query: 'opening hours', model: 'extractive' } });
  if (res.statusCode !== 200) throw new Error(`chat for the test failed: ${res.body}`);
  return { conversationId: res.json().conversation_id, messageId: res.json().message_id };
}

/** A's widget conversation and its answer, handed to a person on A's contact route (set here), for the handoff and widget feedback routes. */
async function ownHandedOffConversation(t: TestApp, key: string): Promise<{ widgetConversationId: string; widgetMessageId: string }> {
  const route = await t.request('PATCH', `/api/v1/tenants/${t.a.id}`, { token: t.a.admin.accessToken, body: { widget: { contact_route: { kind: 'url', target: 'https://a.example/contact' } } } });
  if (route.statusCode !== 200) throw new Error(`contact route for the test failed: ${route.body}`);
  const asked = await t.request('POST', '/api/v1/chats/widget/chat', { headers: { 'x-api-key': key }, body: { query: 'opening hours', model: 'extractive' } });
  if (asked.statusCode !== 200) throw new Error(`widget chat for the test failed: ${asked.body}`);
  const handed = await t.request('POST', '/api/v1/chats/widget/handoff', { headers: { 'x-api-key': key }, body: { conversation_id: asked.json().conversation_id } });
  if (handed.statusCode !== 200) throw new Error(`handoff for the test failed: ${handed.body}`);
  return { widgetConversationId: asked.json().conversation_id, widgetMessageId: asked.json().message_id };
}

/** A's own inbox item: ownConversation's question finds nothing (A has no documents yet). */
async function ownInboxItem(t: TestApp): Promise<string> {
  const res = await t.request('GET', '/api/v1/inbox', { token: t.a.admin.accessToken });
  const id = res.json().items?.[0]?.id;
  if (res.statusCode !== 200 || !id) throw new Error(`inbox item for the test missing: ${res.body}`);
  return id;
}

/** A's own document (a text file; processing need not have finished), for the edit route. */
async function ownDocument(t: TestApp): Promise<string> {
  const res = await uploadText(t, t.a.admin.accessToken, `Opening hours: 9 to 18.\n${fresh()}`);
  if (res.statusCode !== 201) throw new Error(`upload for the test failed: ${res.body}`);
  return res.json().id;
}

/** A's own FAQ entry, for the edit route. */
async function ownFaqEntry(t: TestApp): Promise<string> {
  const res = await t.request('POST', '/api/v1/faq', { token: t.a.admin.accessToken, body: { question: `Where is the office? ${fresh()}`, answer: 'Tokyo.' } });
  if (res.statusCode !== 201) throw new Error(`FAQ entry for the test failed: ${res.body}`);
  return res.json().id;
}

/** A's own webhook endpoint, for the edit route. */
async function ownWebhook(t: TestApp): Promise<string> {
  const res = await t.request('POST', '/api/v1/webhooks', { token: t.a.admin.accessToken, body: { url: 'http://127.0.0.1:9/hook', events: ['document.completed'] } });
  if (res.statusCode !== 201) throw new Error(`webhook for the test failed: ${res.body}`);
  return res.json().id;
}

/** A's own website source (on a port that refuses: its crawl ends at once), for the schedule route. */
async function ownWebsite(t: TestApp): Promise<string> {
  const res = await t.request('POST', '/api/v1/sources/websites', { token: t.a.admin.accessToken, body: { start_url: 'http://127.0.0.1:9/', sync_interval_hours: 0 } });
  if (res.statusCode !== 201) throw new Error(`website for the test failed: ${res.body}`);
  return res.json().id;
}

/**
 * The app both write suites attack, with billing on (a fake Stripe) and no reachable model: a write
 * that slipped through to a model call fails loudly instead of reaching the internet.
 */
export async function buildWriteSuite(): Promise<{ t: TestApp; routes: ApiRoute[]; ctx: WriteContext; close(): Promise<void> }> {
  const stripe = await startFakeStripe();
  const t = await buildTestApp({ billing: billingConfig(stripe), providerUrls: { openai: 'http://127.0.0.1:9/v1', anthropic: 'http://127.0.0.1:9' } });
  const routes = await readApiRoutes(t);
  const widgetKey = await widgetKeyOf(t, t.a);
  const ctx = {
    t,
    widgetKey,
    ...(await ownConversation(t)),
    inboxItemId: await ownInboxItem(t),
    documentId: await ownDocument(t),
    faqId: await ownFaqEntry(t),
    websiteId: await ownWebsite(t),
    webhookId: await ownWebhook(t),
    ...(await ownHandedOffConversation(t, widgetKey)),
  };
  return {
    t,
    routes,
    ctx,
    async close() {
      await t.close();
      await stripe.close();
    },
  };
}

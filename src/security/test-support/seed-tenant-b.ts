// Tenant B's data of every kind, made through the HTTP API as B's users would, each object carrying
// one unique marker string, so a leak to tenant A shows up as the marker (or one of B's ids) in
// whatever A gets back.
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../../test/harness.js';
import { previousTotpCode } from '../../test/authenticator.js';
import { uploadAndProcess, waitForDocument } from '../../test/upload.js';
import { widgetKeyOf } from './callers.js';

export interface SeededTenant {
  /** In B's tenant name, widget title, file name, title, tags and text, key model, questions, feedback, invitee emails, member's username. */
  marker: string;
  /** Words only B's document contains (without the marker), for A's searches. */
  topic: string;
  tenantId: string;
  adminId: string;
  operatorId: string;
  /** A member who joined through an invitation (POST /invitations → /invitations/accept), with 2FA on (an ADMIN could reset it). */
  memberId: string;
  /** A pending invitation (POST /invitations). */
  invitationId: string;
  /** An uploaded and ingested TXT document (POST /contents/upload). */
  documentId: string;
  /** An FAQ entry (POST /faq) about the topic, with the marker in its question, answer and alternative. */
  faqId: string;
  /** A website source (POST /sources/websites) whose first crawl has finished; its start URL carries the marker. */
  websiteId: string;
  /** A webhook endpoint (POST /webhooks) on a local address, its description carrying the marker; subscribed to nothing the sweep sets off. */
  webhookId: string;
  /** A provider key (POST /api-keys), openai-compatible, pointing at the fake OpenAI server. */
  apiKeyId: string;
  /** The dashboard/API conversation of B's operator (POST /chats/rag through the key's model: usage is recorded). */
  conversationId: string;
  /** Its messages, the user's question and the rated answer (PUT …/feedback). */
  messageIds: [string, string];
  /** The inbox item of B's 👎-rated answer. */
  inboxItemId: string;
  /** A widget conversation (POST /chats/widget/chat with B's widget key). */
  widgetConversationId: string;
  /** Its answer, rated 👎 by B's visitor in the widget (PUT /chats/widget/feedback), the comment carrying the marker. */
  widgetMessageId: string;
  widgetVisitorId: string;
  /** The publishable key of B's embed snippet (GET /tenants/{id}/embed-snippet). */
  widgetKey: string;
  /** Everything of B's that must never reach tenant A: ids, keys, emails, domain and the marker. */
  secrets: string[];
}

const ok = (res: LightMyRequestResponse, status: number, what: string) => {
  if (res.statusCode !== status) throw new Error(`seeding tenant B: ${what} answered ${res.statusCode}: ${res.body}`);
  return res.json();
};

/** Seeds `t.b`; `openaiBaseUrl` is a fake OpenAI-protocol server (src/test/fake-openai.ts) for B's provider key. */
export async function seedTenantB(t: TestApp, openaiBaseUrl: string): Promise<SeededTenant> {
  const { b } = t;
  const marker = `zqmark${randomBytes(5).toString('hex')}`;
  const topic = 'lighthouse keeper zebra quartz';
  const admin = b.admin.accessToken;
  const req = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown, token = admin, headers?: Record<string, string>) =>
    t.request(method, url, { token, body, headers });

  ok(await req('PATCH', `/api/v1/tenants/${b.id}`, { name: `B ${marker}`, widget: { title: `Help ${marker}`, greeting: `Hello from ${marker}` } }), 200, 'PATCH tenant');

  const text = `The ${topic} counts the ${marker} stones every morning.\nOur ${marker} policy: the lighthouse keeper rests on Sundays.\n`;
  const doc = await uploadAndProcess(t, admin, `${marker}.txt`, text, { title: `Title ${marker}`, description: `About ${marker}`, tags: `${marker}, secret` });
  if (doc.detail.status !== 'completed') throw new Error(`seeding tenant B: the document did not complete: ${JSON.stringify(doc.detail)}`);

  const key = ok(
    await req('POST', '/api/v1/api-keys', { provider: 'openai-compatible', model: `llm-${marker}`, api_key: `sk-${marker}-0123456789`, base_url: openaiBaseUrl }),
    201,
    'POST api-keys',
  );
  // Adding an embedding-capable key re-embeds B's documents in the background (when the database has
  // pgvector): let that finish, so nothing of B changes while the sweep compares B before and after.
  if (t.app.database.vectorSearch) await waitForDocument(t, admin, doc.id, (d) => d.timings.embed_ms !== undefined && d.status === 'completed');

  const answer = ok(await req('POST', '/api/v1/chats/rag', { query: `What does the ${marker} policy say about the lighthouse keeper?`, model: `llm-${marker}` }, b.operator.accessToken), 200, 'POST chats/rag');
  const conversation = ok(await req('GET', `/api/v1/conversations/${answer.conversation_id}`, undefined, b.operator.accessToken), 200, 'GET conversation');
  const messageIds = conversation.messages.map((m: { id: string }) => m.id) as [string, string];
  ok(
    await req('PUT', `/api/v1/conversations/${answer.conversation_id}/messages/${answer.message_id}/feedback`, { rating: 'down', comment: `Wrong about ${marker}` }, b.operator.accessToken),
    200,
    'PUT feedback',
  );

  const inboxItem = ok(await req('GET', '/api/v1/inbox?reason=downvoted', undefined, b.operator.accessToken), 200, 'GET inbox').items[0];
  if (!inboxItem) throw new Error('seeding tenant B: the 👎 answer is not in the inbox');

  const widgetKey = await widgetKeyOf(t, b);
  const widgetVisitorId = `visitor_${marker}`;
  const widgetAnswer = ok(
    await req('POST', '/api/v1/chats/widget/chat', { query: `Is the ${marker} lighthouse open?`, model: 'extractive' }, undefined, { 'x-api-key': widgetKey, 'x-visitor-id': widgetVisitorId }),
    200,
    'POST widget chat',
  );

  ok(
    await req('PUT', '/api/v1/chats/widget/feedback', { conversation_id: widgetAnswer.conversation_id, message_id: widgetAnswer.message_id, rating: 'down', comment: `No ${marker} hours` }, undefined, { 'x-api-key': widgetKey, 'x-visitor-id': widgetVisitorId }),
    200,
    'PUT widget feedback',
  );

  // B's visitor hands that conversation to a person (B's contact route carries the marker), with a message.
  ok(await req('PATCH', `/api/v1/tenants/${b.id}`, { widget: { contact_route: { kind: 'url', target: `https://b.example/contact-${marker}`, label: `Ask ${marker}` } } }), 200, 'PATCH contact route');
  ok(
    await req('POST', '/api/v1/chats/widget/handoff', { conversation_id: widgetAnswer.conversation_id, message: `Call me about ${marker}`, contact: `visitor-${marker}@example.com` }, undefined, { 'x-api-key': widgetKey, 'x-visitor-id': widgetVisitorId }),
    200,
    'POST widget handoff',
  );

  const faq = ok(
    await req('POST', '/api/v1/faq', { question: `When does the ${marker} lighthouse keeper rest?`, answer: `On Sundays, says the ${marker} policy.`, alternatives: [`${marker} rest day`] }),
    201,
    'POST faq',
  );
  const pending = ok(await req('POST', '/api/v1/invitations', { email: `pending-${marker}@example.com` }), 201, 'POST invitation');
  const joining = ok(await req('POST', '/api/v1/invitations', { email: `member-${marker}@example.com` }), 201, 'POST invitation');
  const member = ok(await req('POST', '/api/v1/invitations/accept', { token: joining.token, username: `member_${marker}`, password: b.admin.password }, undefined), 201, 'accept invitation');
  const memberToken = ok(await t.login(member.email, b.admin.password), 200, 'member login').access_token;
  const setup = ok(await req('POST', '/api/v1/auth/2fa/setup', undefined, memberToken), 200, 'member 2FA setup');
  ok(await req('POST', '/api/v1/auth/2fa/enable', { code: await previousTotpCode(setup.secret_key) }, memberToken), 200, 'member 2FA enable');

  const webhook = ok(
    await req('POST', '/api/v1/webhooks', { url: `${new URL(openaiBaseUrl).origin}/hook-${marker}`, description: `Hook ${marker}`, events: ['handoff.requested'] }),
    201,
    'POST webhooks',
  );

  const seeded = {
    marker,
    topic,
    tenantId: b.id,
    adminId: b.admin.id,
    operatorId: b.operator.id,
    memberId: member.id,
    invitationId: pending.id,
    documentId: doc.id,
    faqId: faq.id,
    websiteId: await seedWebsite(t, admin, `${new URL(openaiBaseUrl).origin}/site-${marker}`),
    webhookId: webhook.id,
    apiKeyId: key.id,
    conversationId: answer.conversation_id,
    messageIds,
    inboxItemId: inboxItem.id as string,
    widgetConversationId: widgetAnswer.conversation_id,
    widgetMessageId: widgetAnswer.message_id as string,
    widgetVisitorId,
    widgetKey,
  };
  const secrets = [
    ...Object.values(seeded).flat().filter((v) => v !== topic),
    b.domain,
    b.admin.email,
    b.operator.email,
    joining.id,
    webhook.secret,
  ];
  return { ...seeded, secrets };
}

/** Which of `secrets` occur in `text` (case-insensitive). */
export const leakedSecrets = (text: string, secrets: string[]) => secrets.filter((s) => text.toLowerCase().includes(s.toLowerCase()));

/** A website source on a local server (the fake OpenAI: its pages are 404s), once its crawl is over, so it reads the same before and after the sweep. */
async function seedWebsite(t: TestApp, token: string, startUrl: string): Promise<string> {
  const created = await t.request('POST', '/api/v1/sources/websites', { token, body: { start_url: startUrl, sync_interval_hours: 0 } });
  ok(created, 201, 'POST sources/websites');
  const id = created.json().id as string;
  for (let i = 0; i < 600; i++) {
    const now = (await t.request('GET', `/api/v1/sources/websites/${id}`, { token })).json();
    if (now.last_crawl_finished_at && now.status !== 'queued' && now.status !== 'crawling') return id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the seeded website was not crawled');
}

// The closed value sets of the schema's text columns. Plain data with no imports, so the request
// schemas (and through them the dashboard's forms, bundled for browsers) can share them.
export const roles = ['ADMIN', 'OPERATOR'] as const;
export type Role = (typeof roles)[number];
export const plans = ['FREE', 'PRO', 'ENTERPRISE'] as const;
export type Plan = (typeof plans)[number];
export const tenantStatuses = ['ACTIVE', 'SUSPENDED', 'PAST_DUE', 'CANCELED'] as const;
export type TenantStatus = (typeof tenantStatuses)[number];
export const billingCycles = ['MONTHLY', 'YEARLY'] as const;
export type BillingCycle = (typeof billingCycles)[number];
export const fileTypes = ['pdf', 'txt', 'docx', 'md', 'html', 'csv', 'xlsx', 'pptx'] as const;
export type FileType = (typeof fileTypes)[number];
/** The file names each type may carry (the upload checks the content too; the dashboard's file picker offers these). */
export const fileTypeExtensions: Record<FileType, readonly string[]> = {
  pdf: ['pdf'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  pptx: ['pptx'],
  txt: ['txt', 'text'],
  md: ['md', 'markdown'],
  html: ['html', 'htm'],
  csv: ['csv'],
};
export const contentStatuses = ['pending', 'processing', 'completed', 'failed'] as const;
export type ContentStatus = (typeof contentStatuses)[number];
export const jobStatuses = ['queued', 'running', 'done', 'failed'] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const jobKinds = ['ingest', 'embed', 'crawl', 'webhook'] as const;
export type JobKind = (typeof jobKinds)[number];
/** A website source between crawls (idle), waiting for a worker (queued), being read (crawling), or whose last crawl could not run (failed). */
export const websiteStatuses = ['queued', 'crawling', 'idle', 'failed'] as const;
export type WebsiteStatus = (typeof websiteStatuses)[number];
/** A crawled page: its document is current (indexed), or it could not be read or was left out, with the reason (failed, skipped). */
export const websitePageStatuses = ['indexed', 'failed', 'skipped'] as const;
export type WebsitePageStatus = (typeof websitePageStatuses)[number];
export const providers = ['openai', 'anthropic', 'openai-compatible'] as const;
export type Provider = (typeof providers)[number];
export const chatChannels = ['dashboard', 'api', 'widget'] as const;
export type ChatChannel = (typeof chatChannels)[number];
export const messageRoles = ['user', 'assistant'] as const;
export const messageStatuses = ['completed', 'cancelled', 'failed'] as const;
export const feedbackRatings = ['up', 'down'] as const;
/** A conversation handed to a person: the visitor asked (requested), an operator finished it (closed). */
export const handoffStatuses = ['requested', 'closed'] as const;
export type HandoffStatus = (typeof handoffStatuses)[number];
export type FeedbackRating = (typeof feedbackRatings)[number];
export const usageChannels = [...chatChannels, 'ingestion'] as const;
export type UsageChannel = (typeof usageChannels)[number];
export const usageKinds = ['chat', 'rewrite', 'embedding'] as const;
export type UsageKind = (typeof usageKinds)[number];
/** What tenants' webhook endpoints can subscribe to (src/modules/webhooks/README.md); `test` is sent only by the "send test event" button. */
export const webhookEventTypes = ['document.completed', 'document.failed', 'website.synced', 'handoff.requested', 'answer.rated_down', 'inbox.item_created'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
/** A delivery waits for its (next) attempt (pending), was answered with a 2xx (succeeded), or ran out of attempts (failed). */
export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];
/** Where a visitor is handed to a person (src/modules/tenants/contact-route.ts). */
export const contactRouteKinds = ['url', 'email', 'line', 'teams', 'slack'] as const;
export type ContactRouteKind = (typeof contactRouteKinds)[number];
/** Business hours are set per weekday, Monday first. */
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];
/** How far an answer can be trusted (src/modules/chat/confidence.ts). */
export const confidenceLevels = ['high', 'medium', 'low', 'none'] as const;
export type ConfidenceLevel = (typeof confidenceLevels)[number];
/** An inbox item: waiting for someone (open), dealt with (resolved: comes back if the question fails again), or set aside for good (ignored). */
export const inboxStatuses = ['open', 'resolved', 'ignored'] as const;
export type InboxStatus = (typeof inboxStatuses)[number];
/** Why a question is in the inbox: nothing found, a low-confidence answer, an answer rated 👎, or a visitor handed to a person. */
export const inboxReasons = ['unanswered', 'low_confidence', 'downvoted', 'handoff'] as const;
export type InboxReason = (typeof inboxReasons)[number];

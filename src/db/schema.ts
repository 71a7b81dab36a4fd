import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, boolean, check, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { StoredText } from '../http/language.js';
import type { ChatSource } from '../modules/chat/chat.schemas.js';
import type { CrawlFailureCode, CrawlLimitCode } from '../modules/sources/websites/page-failures.js';
import type { ConfidenceSignals } from '../modules/chat/confidence.js';
import { roles, plans, tenantStatuses, billingCycles, fileTypes, contentStatuses, jobStatuses, jobKinds, websiteStatuses, websitePageStatuses, webhookDeliveryStatuses, providers, chatChannels, messageRoles, messageStatuses, feedbackRatings, usageChannels, usageKinds, handoffStatuses, confidenceLevels, inboxStatuses, inboxReasons, type ContactRouteKind, type Weekday } from './enums.js';

export * from './enums.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();


export interface TenantSettings {
  embedding_model: string;
  llm_model: string;
  /** Chunk size and overlap in estimated tokens; defaults in src/lib/text/chunk.ts. */
  chunk_size?: number;
  chunk_overlap?: number;
  /** The widget's look and behaviour (src/modules/tenants/widget-settings.ts); defaults fill what is absent. */
  widget?: Partial<WidgetSettings>;
  /** Origins (scheme://host[:port]) allowed to call the widget chat; empty or absent = any origin (docs/decisions.md D6). */
  allowed_origins?: string[];
  /** The tenant's own instructions to the chat (tone, scope, a closing line), above the product's rules; null or absent = none. */
  bot_instructions?: string | null;
}

export interface WidgetSettings {
  title: string | null;
  greeting: string | null;
  placeholder: string | null;
  accent_color: string;
  position: 'bottom-right' | 'bottom-left';
  language: 'auto' | 'ja' | 'en';
  show_sources: boolean;
  /** Visitors may open a cited file (signed links, 24 h); off by default: a passage is not the whole document. */
  link_files: boolean;
  /** How visitors reach a person, e.g. 「お電話 03-1234-5678（平日9–18時）」; shown when the bot cannot answer. Null: none. */
  contact: string | null;
  /** The button that hands a conversation to a person (src/modules/tenants/contact-route.ts). Null: none. */
  contact_route: ContactRoute | null;
}

/** One day's opening, "HH:MM" to "HH:MM" (24:00 allowed as the end) in the route's time zone. */
export interface OpeningHours {
  start: string;
  end: string;
}
/** Where a visitor is handed to a person, and when someone is there. */
export interface ContactRoute {
  kind: ContactRouteKind;
  /** An https URL, a mail address (kind email), or a LINE/Teams/Slack link on its own hosts. */
  target: string;
  /** The button's text; null: the built-in one for the kind, in the visitor's language. */
  label: string | null;
  /** Per weekday its opening, or null (or absent) when closed; null as a whole: always open (no hours shown). */
  hours: Partial<Record<Weekday, OpeningHours | null>> | null;
  /** IANA time zone the hours are in. */
  time_zone: string;
}

export const tenants = pgTable(
  'tenants',
  {
    id: id(),
    name: text('name').notNull(),
    /** Null for the personal tenants that the /api signup creates (docs/decisions.md D3). */
    domain: text('domain'),
    plan: text('plan', { enum: plans }).notNull().default('FREE'),
    status: text('status', { enum: tenantStatuses }).notNull().default('ACTIVE'),
    settings: jsonb('settings').$type<TenantSettings>().notNull(),
    /** SHA-256 of the publishable widget key (X-API-Key), for lookup; null until first shown. */
    widgetKeyHash: text('widget_key_hash'),
    /** The same key sealed: the embed snippet shows it again, so it cannot be hash-only. */
    widgetKeySealed: text('widget_key_sealed'),
    /** Stripe's customer (cus_…), known from the first completed Checkout; reused by later ones and by the portal. */
    stripeCustomerId: text('stripe_customer_id'),
    /** The live subscription (sub_…); null on FREE. Events of any other subscription are stale. */
    stripeSubscriptionId: text('stripe_subscription_id'),
    billingCycle: text('billing_cycle', { enum: billingCycles }),
    currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }),
    /** `created` of the last Stripe event applied: an older event (Stripe does not promise order) changes nothing. */
    billingEventAt: timestamp('billing_event_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('tenants_domain_key').on(sql`lower(${t.domain})`),
    uniqueIndex('tenants_widget_key_hash_key').on(t.widgetKeyHash),
    uniqueIndex('tenants_stripe_customer_key').on(t.stripeCustomerId),
    index('tenants_stripe_subscription_idx').on(t.stripeSubscriptionId),
  ],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    /** Stored lower-cased; null for /api users who signed up without one (docs/decisions.md D3). */
    email: text('email'),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: roles }).notNull(),
    isActive: boolean('is_active').notNull().default(true),
    isVerified: boolean('is_verified').notNull().default(false),
    /** AES-256-GCM sealed TOTP secret, set once 2FA is enabled. */
    totpSecret: text('totp_secret'),
    /** Sealed secret handed out by setup, waiting for a first valid code. */
    totpPendingSecret: text('totp_pending_secret'),
    /** Highest TOTP time step accepted so far: a code is never accepted twice. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    uniqueIndex('users_username_key').on(sql`lower(${t.username})`),
    index('users_tenant_idx').on(t.tenantId),
  ],
);

export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: id(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    /** HMAC-SHA256 of the code: the codes are random enough that a slow hash adds nothing. */
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('recovery_codes_user_hash_key').on(t.userId, t.codeHash)],
);

/** One login = one session = one family of rotating refresh tokens. */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: id(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokeReason: text('revoke_reason'),
    userAgent: text('user_agent'),
    ip: text('ip'),
    createdAt: createdAt(),
  },
  (t) => [index('auth_sessions_user_idx').on(t.userId)],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    /** SHA-256 of the token's jti; the token itself is never stored. */
    jtiHash: text('jti_hash').primaryKey(),
    sessionId: uuid('session_id').notNull().references(() => authSessions.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('refresh_tokens_session_idx').on(t.sessionId)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: roles }).notNull(),
    /** SHA-256 of the one-time token; the token is shown once, to the inviting ADMIN. */
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('invitations_token_hash_key').on(t.tokenHash), index('invitations_tenant_idx').on(t.tenantId)],
);


export interface ContentTimings {
  queued_ms?: number;
  extract_ms?: number;
  chunk_ms?: number;
  index_ms?: number;
  embed_ms?: number;
  total_ms?: number;
}

/** An uploaded document. Its status mirrors its ingestion job. */
export const contents = pgTable(
  'contents',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    /** The uploader's file name, for display only: storage never uses it. */
    fileName: text('file_name').notNull(),
    fileType: text('file_type', { enum: fileTypes }).notNull(),
    title: text('title'),
    /** When a person last changed the title (PATCH): from then on a re-sync of a crawled page keeps it. */
    titleEditedAt: timestamp('title_edited_at', { withTimezone: true }),
    description: text('description'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    status: text('status', { enum: contentStatuses }).notNull().default('pending'),
    failureCode: text('failure_code'),
    /** Documents failed before migration 0007 only: their reason in English (failure_message since). */
    failureReason: text('failure_reason'),
    /** Why processing failed, for the uploader in both languages; the API shows the reader's. */
    failureMessage: jsonb('failure_message').$type<{ ja: string; en: string }>(),
    fileSize: bigint('file_size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    pageCount: integer('page_count'),
    /** What each page is called where a number does not say it: an XLSX sheet's name, by page (null for other kinds). */
    pageLabels: text('page_labels').array(),
    chunkCount: integer('chunk_count').notNull().default(0),
    encoding: text('encoding'),
    /** `{ja, en}` each; documents read before warnings had both languages hold English strings. */
    warnings: jsonb('warnings').$type<StoredText[]>().notNull().default([]),
    /** PDF pages whose text was read by OCR (scanned, no text layer), in order; passages on them are marked. */
    ocrPages: jsonb('ocr_pages').$type<number[]>().notNull().default([]),
    timings: jsonb('timings').$type<ContentTimings>().notNull().default({}),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    processingStartedAt: timestamp('processing_started_at', { withTimezone: true }),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    /** A crawled web page: the website source it came from and its address (what its citations link to). */
    websiteSourceId: uuid('website_source_id').references((): AnyPgColumn => websiteSources.id, { onDelete: 'cascade' }),
    sourceUrl: text('source_url'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The same bytes twice in one tenant are one upload (see the upload route); two pages of a site may be alike.
    uniqueIndex('contents_tenant_sha256_key').on(t.tenantId, t.sha256).where(sql`website_source_id is null`),
    index('contents_website_source_idx').on(t.websiteSourceId),
    index('contents_tenant_created_idx').on(t.tenantId, t.createdAt),
  ],
);

/**
 * A hand-written question and answer (src/modules/sources/faq/). A question close enough to the
 * entry's question or one of its alternatives is answered with `answer` verbatim.
 */
export const faqEntries = pgTable(
  'faq_entries',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    /** Other phrasings of the question, matched like it. */
    alternatives: text('alternatives').array().notNull().default(sql`'{}'::text[]`),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('faq_entries_tenant_created_idx').on(t.tenantId, t.createdAt)],
);

/** A passage of a document, indexed for full-text search. Re-ingesting replaces them all. */
export const chunks = pgTable(
  'chunks',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    contentId: uuid('content_id').notNull().references(() => contents.id, { onDelete: 'cascade' }),
    chunkIndex: integer('chunk_index').notNull(),
    text: text('text').notNull(),
    pageStart: integer('page_start'),
    pageEnd: integer('page_end'),
    charStart: integer('char_start').notNull(),
    charEnd: integer('char_end').notNull(),
    tokenCount: integer('token_count').notNull(),
    /** to_tsvector('simple', …) of the text segmented into words by Intl.Segmenter (Japanese has no spaces). */
    tsv: tsvector('tsv').notNull(),
  },
  (t) => [
    uniqueIndex('chunks_content_index_key').on(t.contentId, t.chunkIndex),
    index('chunks_tenant_idx').on(t.tenantId),
    // btree_gin: one index key per tenant and word, so a search reads its own tenant's postings only.
    // A small pending list (256 kB, not 4 MB): every search scans it whole, and PGlite has no
    // autovacuum to empty it, so the insert that fills it merges it.
    index('chunks_tenant_tsv_idx').using('gin', t.tenantId, t.tsv).with({ gin_pending_list_limit: 256 }),
  ],
);

/**
 * BM25 statistics of each tenant's indexed chunks, kept by retrieval/search-index.ts in the
 * transaction that writes the chunks: a search reads them instead of counting.
 */
export const searchTerms = pgTable(
  'search_terms',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    /** A lexeme of the chunks' tsvectors (a word or a CJK bigram). */
    term: text('term').notNull(),
    /** How many of the tenant's chunks hold it; 0 once they are all gone (the row is left). */
    df: integer('df').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.term] })],
);

export const searchCorpus = pgTable('search_corpus', {
  tenantId: uuid('tenant_id').primaryKey().references(() => tenants.id, { onDelete: 'cascade' }),
  chunkCount: bigint('chunk_count', { mode: 'number' }).notNull(),
  /** Sum of length(tsv) (distinct lexemes) over the chunks: BM25's average length is this / chunkCount. */
  totalLength: bigint('total_length', { mode: 'number' }).notNull(),
});

/**
 * The text of each page as it was chunked (cleaned, as cited), for reading it back. Every page
 * from 1 to the page count has a row; a page without text has ''. Re-ingesting replaces them.
 */
export const contentPages = pgTable(
  'content_pages',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    contentId: uuid('content_id').notNull().references(() => contents.id, { onDelete: 'cascade' }),
    page: integer('page').notNull(),
    text: text('text').notNull(),
    /** The text was read by OCR from a scanned page. */
    ocr: boolean('ocr').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.contentId, t.page] }), index('content_pages_tenant_idx').on(t.tenantId)],
);

/** `ingest` reads, chunks and embeds a document; `embed` only (re)computes the vectors of a completed one. */

/**
 * The durable ingestion queue. Workers claim with FOR UPDATE SKIP LOCKED and hold a lease; a job
 * whose lease ran out (its worker died) is claimed again.
 */
export const ingestionJobs = pgTable(
  'ingestion_jobs',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    /** The document of an ingest or embed job; null for a crawl, whose subject is a website source. */
    contentId: uuid('content_id').references(() => contents.id, { onDelete: 'cascade' }),
    websiteSourceId: uuid('website_source_id').references(() => websiteSources.id, { onDelete: 'cascade' }),
    /** The delivery of a webhook job (src/modules/webhooks/). */
    webhookDeliveryId: uuid('webhook_delivery_id').references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: jobKinds }).notNull().default('ingest'),
    status: text('status', { enum: jobStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(4),
    /** Runs the database interrupted; the first few are not counted as attempts (see jobs.repo retryUncounted). */
    databaseRetries: integer('database_retries').notNull().default(0),
    runAfter: timestamp('run_after', { withTimezone: true }).notNull().defaultNow(),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    workerId: text('worker_id'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // At most one live job per document.
    uniqueIndex('ingestion_jobs_live_key').on(t.contentId).where(sql`status in ('queued', 'running')`),
    // At most one live crawl per website source: the scheduler of two workers cannot start it twice.
    uniqueIndex('ingestion_jobs_live_crawl_key').on(t.websiteSourceId).where(sql`status in ('queued', 'running')`),
    index('ingestion_jobs_claim_idx').on(t.status, t.runAfter),
    // A crawl's subject is a website source, a webhook job's a delivery; every other job's is a document.
    check(
      'ingestion_jobs_subject_check',
      sql`(kind in ('crawl', 'webhook')) = (content_id is null) and (kind = 'crawl') = (website_source_id is not null) and (kind = 'webhook') = (webhook_delivery_id is not null)`,
    ),
    uniqueIndex('ingestion_jobs_live_webhook_key').on(t.webhookDeliveryId).where(sql`status in ('queued', 'running')`),
  ],
);

/** What a crawl found, counted as it goes: the dashboard's progress. */
export interface CrawlProgress {
  /** Pages in scope found so far (start page, sitemap entries, links). */
  discovered?: number;
  fetched?: number;
  /** New or changed pages handed to ingestion this crawl. */
  changed?: number;
  unchanged?: number;
  failed?: number;
  skipped?: number;
  removed?: number;
  /** Why the crawl stopped before reading everything it found (a limit), in both languages. */
  stopped?: StoredText | null;
  /** The same as a code: PAGE_LIMIT, TIME_LIMIT (src/modules/sources/websites/page-failures.ts). */
  stoppedCode?: CrawlLimitCode | null;
  /** Why the crawl could not run (the source's `last_error`) as a code: ROBOTS_UNAVAILABLE, ADDRESS_REFUSED, UNEXPECTED. */
  errorCode?: CrawlFailureCode | null;
}

/**
 * A website a tenant's knowledge is crawled from (src/modules/sources/websites/): from a start page
 * or a sitemap, within its origin and path prefix, again every `sync_interval_hours` (0: on demand only).
 */
export const websiteSources = pgTable(
  'website_sources',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    startUrl: text('start_url').notNull(),
    isSitemap: boolean('is_sitemap').notNull().default(false),
    /** Only pages whose path starts with this are crawled ('/' for the whole site). */
    pathPrefix: text('path_prefix').notNull().default('/'),
    syncIntervalHours: integer('sync_interval_hours').notNull().default(24),
    /** When the scheduler queues the next crawl; null when there is no schedule. */
    nextSyncAt: timestamp('next_sync_at', { withTimezone: true }),
    status: text('status', { enum: websiteStatuses }).notNull().default('queued'),
    progress: jsonb('progress').$type<CrawlProgress>().notNull().default({}),
    /** Why the last crawl failed as a whole (robots.txt forbids everything, the start page is refused…). */
    lastError: jsonb('last_error').$type<StoredText>(),
    lastCrawlStartedAt: timestamp('last_crawl_started_at', { withTimezone: true }),
    lastCrawlFinishedAt: timestamp('last_crawl_finished_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('website_sources_tenant_idx').on(t.tenantId, t.createdAt), index('website_sources_due_idx').on(t.nextSyncAt)],
);

/** One address of a website source and what its last fetch gave: its document, or why it has none. */
export const websitePages = pgTable(
  'website_pages',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    sourceId: uuid('source_id').notNull().references(() => websiteSources.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    contentId: uuid('content_id').references(() => contents.id, { onDelete: 'set null' }),
    status: text('status', { enum: websitePageStatuses }).notNull(),
    failureCode: text('failure_code'),
    failureMessage: jsonb('failure_message').$type<StoredText>(),
    /** The validators of the stored copy, sent back as If-None-Match / If-Modified-Since. */
    etag: text('etag'),
    lastModified: text('last_modified'),
    sha256: text('sha256'),
    depth: integer('depth').notNull().default(0),
    /** The in-scope links the page had when last read: an unchanged page (304) is walked through them. */
    links: jsonb('links').$type<string[]>().notNull().default([]),
    /** The crawl that last found the page (in the sitemap or a link): older ones are gone from the site. */
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** When its content last changed and was handed to ingestion. */
    changedAt: timestamp('changed_at', { withTimezone: true }),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }),
    /** When a person deleted the page's document (DELETE on contents): re-syncs list the page but never make it a document again. */
    removedAt: timestamp('removed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('website_pages_source_url_key').on(t.sourceId, t.url), index('website_pages_tenant_source_idx').on(t.tenantId, t.sourceId, t.status)],
);


/**
 * A tenant's LLM / embedding provider credentials (docs/decisions.md C5). The key is sealed with the
 * SecretBox and never leaves the server again; `key_hint` is what the dashboard shows.
 * (chunk_embeddings is not here: it needs pgvector, see src/modules/embeddings/vector-schema.ts.)
 */
export const providerKeys = pgTable(
  'provider_keys',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: providers }).notNull(),
    model: text('model').notNull(),
    keySealed: text('key_sealed').notNull(),
    keyHint: text('key_hint').notNull(),
    /** Only for `openai-compatible`: the server's API root, e.g. http://localhost:11434/v1. */
    baseUrl: text('base_url'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('provider_keys_tenant_idx').on(t.tenantId, t.createdAt)],
);

/** Where a conversation (and a usage event) came from: the dashboard (cookie), an API client (bearer), the widget; ingestion only for usage. */

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: chatChannels }).notNull(),
    /** The dashboard or API user who started it; null for the widget. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The widget's anonymous visitor id (X-Visitor-Id), when it sent one. */
    visitorId: text('visitor_id'),
    /** The first question, shortened: what the conversation list shows. */
    title: text('title').notNull(),
    messageCount: integer('message_count').notNull().default(0),
    createdAt: createdAt(),
    /** Time of the last message. */
    updatedAt: updatedAt(),
    /** Handed to a person (src/modules/handoff): requested by the visitor, or closed by an operator; null: never handed off. */
    handoffStatus: text('handoff_status', { enum: handoffStatuses }),
    /** When the visitor last asked for a person. */
    handoffRequestedAt: timestamp('handoff_requested_at', { withTimezone: true }),
    /** What the visitor wrote for the person, and how to reach them (both optional). */
    handoffMessage: text('handoff_message'),
    handoffContact: text('handoff_contact'),
    /** The operator's reply note. */
    handoffNote: text('handoff_note'),
    handoffHandledBy: uuid('handoff_handled_by').references(() => users.id, { onDelete: 'set null' }),
    handoffHandledAt: timestamp('handoff_handled_at', { withTimezone: true }),
  },
  (t) => [
    index('conversations_tenant_updated_idx').on(t.tenantId, t.updatedAt),
    // The operators' list of handed-off conversations (?handoff=requested).
    index('conversations_tenant_handoff_idx').on(t.tenantId, t.handoffStatus, t.handoffRequestedAt).where(sql`${t.handoffStatus} is not null`),
  ],
);


export const messages = pgTable(
  'messages',
  {
    id: id(),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    role: text('role', { enum: messageRoles }).notNull(),
    content: text('content').notNull(),
    /** Answers only: the passages the model was given, in citation order ([n] in the answer is sources[n - 1]), as the API returns them. */
    sources: jsonb('sources').$type<ChatSource[]>(),
    /** Answers only: the standalone query retrieval ran (a follow-up rewritten with its history). */
    retrievalQuery: text('retrieval_query'),
    model: text('model'),
    tokensIn: integer('tokens_in').notNull().default(0),
    tokensOut: integer('tokens_out').notNull().default(0),
    latencyMs: integer('latency_ms'),
    /** `cancelled`: the client went away mid-stream, the partial answer is kept; `failed`: the provider failed. */
    status: text('status', { enum: messageStatuses }).notNull().default('completed'),
    feedback: text('feedback', { enum: feedbackRatings }),
    feedbackComment: text('feedback_comment'),
    feedbackAt: timestamp('feedback_at', { withTimezone: true }),
    /** Answers only: how far it can be trusted, and the signals that level came from (null for answers stored before). */
    confidence: text('confidence', { enum: confidenceLevels }),
    confidenceSignals: jsonb('confidence_signals').$type<ConfidenceSignals>(),
    createdAt: createdAt(),
  },
  (t) => [index('messages_conversation_idx').on(t.conversationId, t.createdAt), index('messages_tenant_created_idx').on(t.tenantId, t.createdAt)],
);

/**
 * A question the bot could not answer well, grouped with the other times it was asked the same way
 * (src/modules/inbox): the representative wording, how often, when, where and why.
 */
export const inboxItems = pgTable(
  'inbox_items',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    status: text('status', { enum: inboxStatuses }).notNull().default('open'),
    /** The representative question: the first wording asked. */
    question: text('question').notNull(),
    /** Its grouping key (src/db/question-key.ts, as analytics' top questions). */
    questionKey: text('question_key').notNull(),
    /** Its matching form (words and CJK bigrams, src/modules/sources/faq/faq-match.ts), for grouping paraphrases. */
    matchTerms: jsonb('match_terms').$type<{ words: string[]; grams: string[] }>().notNull(),
    count: integer('count').notNull().default(0),
    channels: jsonb('channels').$type<string[]>().notNull().default([]),
    reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** The FAQ entry that answered it ("answer it"). */
    faqId: uuid('faq_id').references(() => faqEntries.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('inbox_items_tenant_status_idx').on(t.tenantId, t.status, t.lastSeenAt), index('inbox_items_tenant_key_idx').on(t.tenantId, t.questionKey)],
);

/** One time an inbox item's question was asked (or rated 👎, or handed off): its wording, conversation and what was found. */
export const inboxOccurrences = pgTable(
  'inbox_occurrences',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id').notNull().references(() => inboxItems.id, { onDelete: 'cascade' }),
    question: text('question').notNull(),
    channel: text('channel', { enum: chatChannels }).notNull(),
    reason: text('reason', { enum: inboxReasons }).notNull(),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    confidence: text('confidence', { enum: confidenceLevels }),
    /** The passages retrieval found, with their scores (as the answer cited them). */
    sources: jsonb('sources').$type<ChatSource[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [index('inbox_occurrences_item_idx').on(t.itemId, t.createdAt), index('inbox_occurrences_message_idx').on(t.messageId)],
);

/** `chat`: an answer; `rewrite`: a follow-up turned into a standalone query; `embedding`: document or query vectors. */

/** One billable model call. Cost in millionths of a US dollar, priced when recorded (src/modules/usage/prices.ts). */
export const usageEvents = pgTable(
  'usage_events',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    channel: text('channel', { enum: usageChannels }).notNull(),
    kind: text('kind', { enum: usageKinds }).notNull(),
    provider: text('provider', { enum: providers }).notNull(),
    model: text('model').notNull(),
    tokensIn: integer('tokens_in').notNull(),
    tokensOut: integer('tokens_out').notNull().default(0),
    costMicroUsd: bigint('cost_micro_usd', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('usage_events_tenant_created_idx').on(t.tenantId, t.createdAt)],
);

/**
 * Every Stripe webhook event received, by Stripe's event id: inserted in the same transaction as
 * the change it made, so a redelivered event is recognised and applied at most once.
 */
export const billingEvents = pgTable('billing_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  /** The tenant it concerned, when one was found. */
  tenantId: uuid('tenant_id').references(() => tenants.id, { onDelete: 'set null' }),
  /** `applied`, or why nothing changed: `ignored` (a type we do not act on), `unknown_tenant`, `stale`. */
  outcome: text('outcome').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * An address a tenant's events are POSTed to (src/modules/webhooks/), signed with its own secret:
 * generated by us, shown once, stored sealed with the secret box.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** The event types it is sent (src/db/enums.ts webhookEventTypes). */
    events: jsonb('events').$type<string[]>().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    secretSealed: text('secret_sealed').notNull(),
    secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhook_endpoints_tenant_idx').on(t.tenantId, t.createdAt)],
);

/** One event for one endpoint: the exact body every attempt sends, and how the last attempt went. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    endpointId: uuid('endpoint_id').notNull().references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The event's id (`evt_…`), the same in the deliveries of one event to several endpoints. */
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The JSON body, as sent: a retry sends the same bytes. */
    payload: text('payload').notNull(),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastErrorCode: text('last_error_code'),
    lastError: jsonb('last_error').$type<StoredText>(),
    lastDurationMs: integer('last_duration_ms'),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_deliveries_endpoint_idx').on(t.tenantId, t.endpointId, t.createdAt)],
);

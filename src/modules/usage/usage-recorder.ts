import type { ChatChannel, Provider, UsageChannel, UsageKind, usageEvents } from '../../db/schema.js';

/** One model call to account for: tokens, and (priced on recording) its cost. */
export interface UsageRecord {
  tenantId: string;
  /** The dashboard or API user; null for the widget and ingestion. */
  userId: string | null;
  channel: UsageChannel;
  kind: UsageKind;
  provider: Provider;
  model: string;
  tokensIn: number;
  tokensOut: number;
}

/** A usage_events row, priced. */
export type PricedUsage = typeof usageEvents.$inferInsert;

export interface UsageRecorder {
  /** Records usage; never throws (accounting must not fail an answer), failures are logged. */
  record(event: UsageRecord): Promise<void>;
  /**
   * The row `record` would insert, for a caller that stores it in its own transaction (an answer and
   * its cost together). There the rule is the other way round: an answer is never kept without its usage.
   */
  priced(event: UsageRecord): PricedUsage;
}

/** Whom a model call made on a request's behalf is accounted to (e.g. the query embedding of a search). */
export interface UsageContext {
  channel: UsageChannel;
  userId: string | null;
  /**
   * Hands the priced row to the caller instead of inserting it, for a caller that stores it with
   * its own writes (the chat: with the answer, in one statement, rather than one more of its own).
   */
  defer?: (row: PricedUsage) => void;
}

/** A dashboard user comes with the session cookie; anything sending a bearer token is an API client. */
export function usageContextOf(principal: { userId: string; via: 'bearer' | 'cookie' }): UsageContext & { channel: ChatChannel; userId: string } {
  return { channel: principal.via === 'cookie' ? 'dashboard' : 'api', userId: principal.userId };
}

import type { Provider, UsageChannel, UsageKind } from '../../db/schema.js';

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

/** Records usage; never throws (accounting must not fail an answer), failures are logged. */
export interface UsageRecorder {
  record(event: UsageRecord): Promise<void>;
}

/** How deliveries are sent and retried (src/config.ts `webhooks`; the tests shorten the delays). */
export interface WebhookOptions {
  /** One attempt: connecting, sending and the answer's status line. */
  timeoutMs: number;
  /** The wait after each failed attempt; its length + 1 is the number of attempts. */
  retryDelaysSeconds: number[];
}

/** 8 attempts over about 6 hours: 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 2 h. */
export const defaultWebhookOptions: WebhookOptions = { timeoutMs: 10_000, retryDelaysSeconds: [30, 120, 600, 1800, 3600, 7200, 7200] };

/** Endpoints one tenant may register. */
export const MAX_ENDPOINTS = 20;
export const MAX_URL_LENGTH = 2000;
export const MAX_DESCRIPTION_LENGTH = 500;
/** Bytes of an answer read before the connection is dropped: only the status matters. */
export const MAX_RESPONSE_BYTES = 4096;

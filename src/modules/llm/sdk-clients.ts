import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { OutboundFetch } from '../../lib/outbound/outbound-fetch.js';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** Anthropic's SDK appends `/v1/…` itself. */
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

export interface SdkOptions {
  apiKey: string;
  /** API root; the provider's own when omitted. */
  baseUrl?: string | null;
  /** Per HTTP request, until the response headers arrive (the SDKs' own timeout). */
  timeoutMs: number;
  /** The SDKs' own retries: connection errors, timeouts, 408/409/429 and 5xx, with backoff. */
  maxRetries: number;
  /** How requests go out: the SSRF-guarded fetch for a tenant's base_url, the platform's own otherwise. */
  fetch?: OutboundFetch;
}

/**
 * The official OpenAI SDK for one tenant key. Every option is explicit, so OPENAI_* variables of
 * the server's environment (base URL, organization, project, admin key) never mix into a tenant's
 * requests, and the SDK logs nothing (its debug log would print prompts).
 */
export function createOpenAISdk(options: SdkOptions): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl ?? OPENAI_BASE_URL,
    adminAPIKey: null,
    organization: null,
    project: null,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    fetch: options.fetch,
    logLevel: 'off',
  });
}

/**
 * The official Anthropic SDK for one tenant key. An explicit `apiKey` keeps the SDK from looking
 * for ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN or credential profiles on disk; `baseUrl` exists
 * for tests (the api-keys schema accepts no base_url for anthropic).
 */
export function createAnthropicSdk(options: SdkOptions): Anthropic {
  return new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseUrl ?? ANTHROPIC_BASE_URL,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    fetch: options.fetch,
    logLevel: 'off',
    // Spans could carry prompts to whatever tracer the host process registered.
    openTelemetry: false,
  });
}

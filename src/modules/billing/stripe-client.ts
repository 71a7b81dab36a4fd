import Stripe from 'stripe';
import type { BillingConfig } from '../../config.js';
import { AppError } from '../../http/errors.js';

/** The official SDK for the calls we make (Checkout, the portal); undefined without a secret key. */
export function createStripeClient(config: BillingConfig): Stripe | undefined {
  if (!config.stripeSecretKey) return undefined;
  return new Stripe(config.stripeSecretKey, {
    ...config.stripeApi,
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'Shiori' },
  });
}

/** A failed Stripe call as the error the ADMIN sees; the SDK's own error is logged by the caller. */
export function stripeFailure(error: unknown): AppError | undefined {
  if (!(error instanceof Stripe.errors.StripeError)) return undefined;
  if (error instanceof Stripe.errors.StripeConnectionError) return new AppError('PAYMENT_PROVIDER_ERROR', { ja: 'Stripe に接続できませんでした。しばらくしてからもう一度お試しください。', en: 'Stripe could not be reached; try again in a moment' });
  if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) {
    return new AppError('PAYMENT_PROVIDER_ERROR', { ja: 'Stripe がこのサーバーの API キーを拒否しました。運用者が STRIPE_SECRET_KEY を確認する必要があります。', en: 'Stripe refused this server’s API key: the operator must check STRIPE_SECRET_KEY' });
  }
  return new AppError('PAYMENT_PROVIDER_ERROR', { ja: `Stripe がリクエストを拒否しました: ${error.message}`, en: `Stripe refused the request: ${error.message}` });
}

/** Stripe's expandable fields arrive as an id or as the object. */
export const stripeId = (value: string | { id: string } | null | undefined): string | null => (typeof value === 'string' ? value : (value?.id ?? null));

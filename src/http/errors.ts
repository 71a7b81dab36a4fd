import type { Text } from './language.js';

/** Every error code the API returns, with its HTTP status. Listed in the OpenAPI document. */
export const codeToStatus = {
  BAD_REQUEST: 400,
  AUTHENTICATION_ERROR: 401,
  INVALID_CREDENTIALS: 401,
  TWO_FACTOR_REQUIRED: 401,
  INVALID_TWO_FACTOR_CODE: 401,
  PERMISSION_DENIED: 403,
  CSRF_FAILED: 403,
  RESOURCE_NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED_FILE_TYPE: 415,
  /** The request did not arrive within Node's request timeout: see clientErrorHandler. */
  REQUEST_TIMEOUT: 408,
  /** Node's HTTP parser refused the request line and headers (over 16 kB): see clientErrorHandler. */
  HEADERS_TOO_LARGE: 431,
  VALIDATION_ERROR: 422,
  RATE_LIMIT_EXCEEDED: 429,
  ACCOUNT_LOCKED: 429,
  /** 429 for the monthly messages (they come back on the 1st); 403 for documents, storage and members (see src/modules/billing). */
  QUOTA_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  LLM_PROVIDER_ERROR: 502,
  PAYMENT_PROVIDER_ERROR: 502,
  BILLING_NOT_CONFIGURED: 503,
} as const;

export type ErrorCode = keyof typeof codeToStatus;
export const errorCodes = Object.keys(codeToStatus) as ErrorCode[];

/**
 * What each code says when the site has nothing more precise to say (and the catalog the test of
 * both languages walks). Most sites give their own `detail`; these are for the shared cases.
 */
export const codeTexts: Record<ErrorCode, Text> = {
  BAD_REQUEST: { ja: 'リクエストが正しくありません。', en: 'The request is not valid.' },
  AUTHENTICATION_ERROR: { ja: 'ログインしてください。', en: 'Authentication required.' },
  INVALID_CREDENTIALS: { ja: 'メールアドレスまたはパスワードが正しくありません。', en: 'Email or password is incorrect' },
  TWO_FACTOR_REQUIRED: { ja: '認証アプリの 6 桁のコード（またはリカバリーコード）を入力してください。', en: 'Two-factor authentication code required' },
  INVALID_TWO_FACTOR_CODE: { ja: '認証コードが正しくありません。認証アプリに表示されている最新のコードを入力してください。', en: 'Invalid two-factor authentication code' },
  PERMISSION_DENIED: { ja: 'この操作を行う権限がありません。', en: 'You do not have permission to do this.' },
  CSRF_FAILED: { ja: 'ページの有効期限が切れました。ページを再読み込みしてからもう一度お試しください。', en: 'The request was refused (CSRF check failed): reload the page and try again.' },
  RESOURCE_NOT_FOUND: { ja: '見つかりません。', en: 'Not found' },
  CONFLICT: { ja: 'すでに存在します。', en: 'It already exists.' },
  PAYLOAD_TOO_LARGE: { ja: 'リクエストが大きすぎます。', en: 'Request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { ja: 'この Content-Type には対応していません。', en: 'Unsupported Content-Type' },
  UNSUPPORTED_FILE_TYPE: { ja: 'この種類のファイルには対応していません。PDF、Word（.docx）、Excel（.xlsx）、PowerPoint（.pptx）、CSV、テキスト（.txt）、Markdown（.md）、HTML のファイルをアップロードしてください。', en: 'This file type is not supported: upload a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), CSV, plain text (.txt), Markdown (.md) or HTML file.' },
  REQUEST_TIMEOUT: { ja: 'リクエストの受信に時間がかかりすぎました。', en: 'The request took too long to arrive' },
  HEADERS_TOO_LARGE: { ja: 'リクエストヘッダーが大きすぎます（これほど長いトークンや Cookie は有効ではありません）。', en: 'The request headers are too large (a token or cookie that long is never valid)' },
  VALIDATION_ERROR: { ja: '入力内容を確認してください。', en: 'The request is not valid.' },
  RATE_LIMIT_EXCEEDED: { ja: 'リクエストが多すぎます。しばらくしてからもう一度お試しください。', en: 'Too many requests. Try again later.' },
  ACCOUNT_LOCKED: { ja: 'ログインの失敗が多すぎます。しばらくしてからもう一度お試しください。', en: 'Too many failed attempts. Try again later.' },
  QUOTA_EXCEEDED: { ja: 'プランの上限に達しました。ダッシュボードの「請求」ページでプランを確認してください。', en: 'Your plan’s limit is reached: see the Billing page of the dashboard.' },
  INTERNAL_ERROR: { ja: 'サーバーでエラーが発生しました。しばらくしてからもう一度お試しください。', en: 'Internal server error' },
  LLM_PROVIDER_ERROR: { ja: '言語モデルが応答しませんでした。', en: 'The language model could not answer.' },
  PAYMENT_PROVIDER_ERROR: { ja: '決済サービスに接続できませんでした。しばらくしてからもう一度お試しください。', en: 'The payment provider could not be reached. Try again later.' },
  BILLING_NOT_CONFIGURED: { ja: 'このサーバーでは請求（Stripe）が設定されていないため、購入はできません。', en: 'Billing is not configured on this server, so nothing can be purchased.' },
};

/** One invalid field: `message` in both languages, like every detail. */
export interface FieldError {
  field: string;
  message: Text;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    /** Shown in the caller's language by the error handler; the code's own text when omitted. */
    readonly detail: Text = codeTexts[code],
    readonly extra: {
      retryAfterSeconds?: number;
      errors?: FieldError[];
      status?: number;
      /** Machine-readable fields added to the body (declared in that route's error schema), e.g. `existing_content_id`. */
      fields?: Record<string, string>;
    } = {},
  ) {
    super(detail.en);
    this.name = 'AppError';
    // A few /api routes answer with that surface's own status for a shared code, e.g. 400 for bad credentials (docs/decisions.md C11).
    this.status = extra.status ?? codeToStatus[code];
  }
}

/** The things a 404 can name. */
const resources = {
  User: { ja: 'ユーザー', en: 'User' },
  Invitation: { ja: '招待', en: 'Invitation' },
  Conversation: { ja: '会話', en: 'Conversation' },
  Answer: { ja: '回答', en: 'Answer' },
  'API key': { ja: 'API キー', en: 'API key' },
  Tenant: { ja: '組織', en: 'Tenant' },
  File: { ja: 'ファイル', en: 'File' },
  Website: { ja: 'ウェブサイト', en: 'Website' },
  Webhook: { ja: 'Webhook', en: 'Webhook' },
  'Inbox item': { ja: '受信箱の項目', en: 'Inbox item' },
} satisfies Record<string, Text>;

export const notFound = (what: keyof typeof resources, field?: string) => {
  const name = resources[what];
  return new AppError('RESOURCE_NOT_FOUND', {
    ja: `${name.ja}${field ? `（${field}）` : ''}が見つかりません。`,
    en: `${name.en}${field ? ` (${field})` : ''} not found`,
  });
};

/** "field: message; field: message", the detail of a VALIDATION_ERROR, in both languages. */
export function validationFailed(errors: FieldError[], status?: number): AppError {
  const join = (language: keyof Text, separator: string) => errors.map((e) => `${e.field}: ${e.message[language]}`).join(separator);
  return new AppError('VALIDATION_ERROR', { ja: join('ja', '、'), en: join('en', '; ') }, { errors, status });
}

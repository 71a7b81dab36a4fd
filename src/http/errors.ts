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

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: {
      retryAfterSeconds?: number;
      errors?: FieldError[];
      status?: number;
      /** Machine-readable fields added to the body (declared in that route's error schema), e.g. `existing_content_id`. */
      fields?: Record<string, string>;
    } = {},
  ) {
    super(detail);
    this.name = 'AppError';
    // A few seed-002 routes answer with the seed's own status for a shared code (e.g. 400 for bad credentials).
    this.status = extra.status ?? codeToStatus[code];
  }
}

export const notFound = (what: string) => new AppError('RESOURCE_NOT_FOUND', `${what} not found`);

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, validationFailed, type ErrorCode, type FieldError } from './errors.js';
import { fieldMessage } from './field-messages.js';
import { requestLanguage, type Language, type Text } from './language.js';

/** One shape for every error: ours, validation, and Fastify's own (404, 413, 415, bad JSON). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    const route = `${request.method} ${request.url.split('?')[0]}`;
    send(request, reply, new AppError('RESOURCE_NOT_FOUND', { ja: `${route} という API はありません。`, en: `No route for ${route}` }));
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    send(request, reply, toAppError(error, request));
  });
}

/**
 * Fastify's `frameworkErrors` option: errors its router raises before any route or hook runs (a bad
 * percent-encoding, a path parameter over `maxParamLength`). Without it Fastify answers those itself,
 * in its own shape and echoing the path.
 */
export function renderRouterError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const detail: Text =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? { ja: 'URL のパスの一部が長すぎます。', en: 'A path segment of the URL is too long' }
      : error.code === 'FST_ERR_BAD_URL'
        ? { ja: 'URL が正しくありません（パーセントエンコーディングの誤り）。', en: 'The URL is not valid (bad percent-encoding)' }
        : { ja: 'URL が正しくありません。', en: 'The URL is not valid' };
  send(request, reply, new AppError('BAD_REQUEST', detail));
}

/**
 * Fastify's `clientErrorHandler`: requests Node's HTTP parser refuses before any route runs (headers
 * over its 16 kB limit, e.g. a huge token or cookie; garbage; a timeout). Fastify's default answers
 * in its own shape; this answers in ours, then closes the connection as Node does.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const appError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new AppError('HEADERS_TOO_LARGE')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new AppError('REQUEST_TIMEOUT')
        : new AppError('BAD_REQUEST', { ja: 'HTTP リクエストの形式が正しくありません。', en: 'Malformed HTTP request' });
  // No parsed request, so no Accept-Language to read: the default language.
  const body = JSON.stringify(errorBody(appError, 'en'));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Any thrown error as the AppError it is shown as (unknown ones are logged and become INTERNAL_ERROR). */
export function toAppError(error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors: FieldError[] = error.validation.map((issue) => ({
      field: fieldName(error.validationContext, issue.instancePath),
      // fastify-type-provider-zod keeps Zod's issue as keyword (its code), message and params (the rest).
      message: fieldMessage({ ...issue.params, code: issue.keyword, message: issue.message }),
    }));
    return validationFailed(errors, request.routeOptions.config.validationStatus);
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
    return new AppError('INTERNAL_ERROR');
  }
  const framework = frameworkError(error);
  if (framework) return framework;
  request.log.error({ err: error }, 'unhandled error');
  return new AppError('INTERNAL_ERROR');
}

const invalidJson: Text = { ja: 'リクエスト本文が正しい JSON ではありません。', en: 'Body is not valid JSON' };
const tooManyFields: Text = { ja: 'フォームの項目が多すぎます。', en: 'Too many form fields' };

const frameworkCodes: Record<string, [ErrorCode, Text?]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['PAYLOAD_TOO_LARGE'],
  FST_REQ_FILE_TOO_LARGE: ['PAYLOAD_TOO_LARGE', { ja: 'ファイルが上限の 100 MB を超えています。分割してからアップロードしてください。', en: 'The file is larger than the 100 MB limit' }],
  FST_FILES_LIMIT: ['VALIDATION_ERROR', { ja: 'ファイルは 1 つだけ、"file" 欄で送ってください。', en: 'Send exactly one file, in the "file" field' }],
  FST_PARTS_LIMIT: ['PAYLOAD_TOO_LARGE', tooManyFields],
  FST_FIELDS_LIMIT: ['PAYLOAD_TOO_LARGE', tooManyFields],
  FST_INVALID_MULTIPART_CONTENT_TYPE: ['UNSUPPORTED_MEDIA_TYPE', { ja: 'multipart/form-data で、文書を "file" 欄に入れて送ってください。', en: 'Send multipart/form-data with the document in a "file" field' }],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', { ja: 'この Content-Type には対応していません。application/json で送ってください。', en: 'Unsupported Content-Type; send application/json' }],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_REQUEST', { ja: 'Content-Length が本文の長さと一致しません。', en: 'Content-Length does not match the body' }],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['BAD_REQUEST', { ja: 'Content-Type が application/json ですが、本文が空です。', en: 'Body is empty but Content-Type is application/json' }],
  FST_ERR_CTP_INVALID_JSON_BODY: ['BAD_REQUEST', invalidJson],
  FST_ERR_CTP_INVALID_TYPE: ['BAD_REQUEST', { ja: 'Content-Type ヘッダーが正しくありません。', en: 'Invalid Content-Type header' }],
};

function frameworkError(error: FastifyError): AppError | undefined {
  const known = error.code ? frameworkCodes[error.code] : undefined;
  if (known) return new AppError(known[0], known[1]);
  // Body parser errors without a specific code (e.g. JSON.parse's SyntaxError) carry a 400 status.
  if (error instanceof SyntaxError || error.statusCode === 400) return new AppError('BAD_REQUEST', invalidJson);
  if (error.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (error.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (error.statusCode === 404) return new AppError('RESOURCE_NOT_FOUND');
  return undefined;
}

function fieldName(context: string | undefined, instancePath: string): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (path) return path;
  return context === 'body' ? 'body' : (context ?? 'request');
}

function send(request: FastifyRequest, reply: FastifyReply, error: AppError): void {
  if (error.extra.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.extra.retryAfterSeconds));
  const language = requestLanguage(request);
  void reply
    .status(error.status)
    .type('application/json; charset=utf-8')
    .header('Content-Language', language)
    .send(JSON.stringify(errorBody(error, language)));
}

/**
 * The one error shape (docs/decisions.md D9), its texts in `language`; also what a streamed answer's
 * `error` event carries. Codes never change with the language.
 */
export function errorBody(error: AppError, language: Language) {
  return {
    detail: error.detail[language],
    error_code: error.code,
    timestamp: new Date().toISOString(),
    ...(error.extra.errors ? { errors: error.extra.errors.map((e) => ({ field: e.field, message: e.message[language] })) } : {}),
    ...error.extra.fields,
  };
}

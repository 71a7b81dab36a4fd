// fast-check arbitraries for type confusion, generated from a property's JSON schema: values of the
// wrong JSON type, hostile strings where strings belong, hostile URL components for path and query
// parameters, and whole bodies that are not what a JSON route expects.
import fc from 'fast-check';
import type { JsonSchema } from './openapi-routes.js';

/** A body property's replacement, as JSON text (so 10,000-deep nesting never goes through JSON.stringify). */
export interface JsonText {
  label: string;
  json: string;
}

type JsonKind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export const kindOf = (json: string): JsonKind => {
  const first = json.trimStart()[0];
  return first === '[' ? 'array' : first === '{' ? 'object' : first === '"' ? 'string' : first === 'n' ? 'null' : first === 't' || first === 'f' ? 'boolean' : 'number';
};

/** Whether a value of this JSON kind is of the schema's declared type (so only a range or format rule can refuse it). */
export function kindAllowed(schema: JsonSchema, kind: JsonKind): boolean {
  if (kind === 'null') return schema.nullable === true;
  if (!schema.type) return true;
  return schema.type === kind || (kind === 'number' && schema.type === 'integer');
}

const DEPTH = 10_000;
const text = (label: string, json: string): JsonText => ({ label, json });
const value = (label: string) => (v: unknown) => text(label, JSON.stringify(v));

/** Values of every JSON kind but string, hostile shapes included. */
export const anyKind: fc.Arbitrary<JsonText> = fc.oneof(
  fc.constant(text('null', 'null')),
  fc.boolean().map(value('boolean')),
  fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 63), 1e308)).map(value('number')),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }).map(value('array')),
  fc.object({ maxDepth: 2, maxKeys: 4 }).map(value('object')),
  fc.constantFrom(
    text(`array nested ${DEPTH} deep`, '['.repeat(DEPTH) + ']'.repeat(DEPTH)),
    text(`object nested ${DEPTH} deep`, '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH)),
    text('__proto__ object', '{"__proto__":{"role":"ADMIN","isAdmin":true}}'),
    text('constructor.prototype object', '{"constructor":{"prototype":{"role":"ADMIN"}}}'),
  ),
);

/** Numbers JavaScript cannot hold as written: Infinity, underflow, beyond 2^53. */
export const extremeNumber: fc.Arbitrary<JsonText> = fc
  .constantFrom('1e999', '-1e999', '0.1e-400', '123456789012345678901234567890', '-0', '4.9e-324')
  .map((n) => text('extreme number literal', n));

/** Strings that are strings, but hostile: NUL, lone surrogates, control and bidi characters, 1 MB, prototype names. */
export const hostileString: fc.Arbitrary<JsonText> = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ud83d', '\uffff\ufffe', '\u202e\u200b\ufeff', '\u0007\u001b[31m', '', '   ').map(value('hostile characters')),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${s}\u0000${s}`).map(value('random text with NUL')),
  fc.constantFrom('__proto__', 'constructor', 'prototype', "' OR '1'='1", '%00', '../../etc/passwd', '${7*7}{{7*7}}').map(value('injection-looking text')),
  fc.constantFrom(900_000, 1024 * 1024).map((n) => text(`${n}-character string`, JSON.stringify('x'.repeat(n)))),
);

/** What replaces a property declared by `schema`: any wrong kind, and hostile strings where a string belongs. */
export function confusionFor(schema: JsonSchema): fc.Arbitrary<JsonText> {
  const wrongKind = anyKind.filter((v) => !kindAllowed(schema, kindOf(v.json)));
  if (schema.type === 'string') return fc.oneof(wrongKind, hostileString);
  if (schema.type === 'number' || schema.type === 'integer') return fc.oneof(wrongKind, extremeNumber);
  return wrongKind;
}

/** A path or query parameter's hostile value, already URL-encoded (some on purpose badly). */
export interface UrlText {
  label: string;
  encoded: string;
  /** For a query parameter: the whole `name=…` part, when the attack is its shape (repeated, bracketed). */
  queryPart?: (name: string) => string;
}

const url = (label: string) => (v: string): UrlText => ({ label, encoded: encodeURIComponent(v) });

export const hostileUrlValue: fc.Arbitrary<UrlText> = fc.oneof(
  fc.constantFrom('', ' ', 'null', 'undefined', 'true', '[object Object]', '-1', '1.5', '1e309', 'NaN', 'Infinity', '0x10', '9'.repeat(400), '__proto__', 'constructor', "' OR 1=1 --", '../../etc/passwd', '\u0000', '2026-02-30', '9999-99-99').map(url('hostile text')),
  fc.constant(url('10 KB text')('x'.repeat(10_000))),
  fc.string({ unit: 'binary', maxLength: 30 }).map(url('random text')),
  fc.constantFrom('%00', '%', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF%FE').map((encoded): UrlText => ({ label: 'raw percent-encoding', encoded })),
  fc.constant<UrlText>({ label: 'repeated (array)', encoded: '1', queryPart: (n) => `${n}=1&${n}=2` }),
  fc.constant<UrlText>({ label: 'bracketed (object)', encoded: '1', queryPart: (n) => `${n}[a]=1&${n}[__proto__][role]=ADMIN` }),
);

/** Whole bodies sent as application/json that no route can take: broken JSON, poisoned, too large, wrong bytes. */
export const malformedBodies: Array<{ label: string; body: string; contentType?: string }> = [
  { label: 'truncated JSON', body: '{"query": "x",' },
  { label: 'single quotes', body: "{'query': 'x'}" },
  { label: 'trailing garbage', body: '{"query":"x"} trailing' },
  { label: 'NaN literal', body: '{"top_k": NaN}' },
  { label: 'raw NUL byte in a string', body: '{"query":"a\u0000b"}' },
  { label: 'top-level __proto__', body: '{"__proto__":{"role":"ADMIN","tenant_id":"x"}}' },
  { label: 'constructor.prototype', body: '{"constructor":{"prototype":{"role":"ADMIN"}}}' },
  { label: 'over 1 MB', body: JSON.stringify({ query: 'x'.repeat(1024 * 1024 + 10) }) },
  { label: 'JSON as text/plain', body: '{"query":"x"}', contentType: 'text/plain' },
];

/** Valid JSON (once decoded) of the wrong shape for a route that takes an object. */
export const wrongShapeBodies: Array<{ label: string; body: string | Buffer }> = [
  // Decoded as UTF-8, the bad bytes become U+FFFD: valid JSON, `{"q": "\ufffd…"}`.
  { label: 'invalid UTF-8 bytes', body: Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x7d]) },
  { label: 'null', body: 'null' },
  { label: 'array', body: '[]' },
  { label: 'string', body: '"text"' },
  { label: 'number', body: '1e999' },
  { label: `array nested ${DEPTH} deep`, body: '['.repeat(DEPTH) + ']'.repeat(DEPTH) },
  { label: `object nested ${DEPTH} deep`, body: '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH) },
];

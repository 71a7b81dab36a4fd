import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import * as OTPAuth from 'otpauth';
import { startFakeOpenAI, type FakeOpenAI } from '../test/fake-openai.js';
import { buildTestApp, type TestApp } from '../test/harness.js';
import { previousTotpCode, totpCode } from '../test/authenticator.js';
import { uploadAndProcess } from '../test/upload.js';

// Secrets at rest: every secret the API hands out (or is handed) is created through the API, kept
// as plaintext here, and then looked for — as is, base64, base64url, hex, and raw decoded bytes — in
// a dump of every column of every table and in every file of the data folder (uploads, the local
// secrets files, and PGlite's own files when embedded). A document's text is looked for the same way
// and must be found: the search can fail.

interface Secret {
  kind: string;
  value: string;
  /** Raw bytes the value encodes (a base64url token, a base32 TOTP secret), also looked for. */
  raw?: Buffer;
}

const canary = `canary${randomBytes(8).toString('hex')}`;
const documentText = `社内規程: 駐車場の利用は申請制です。${canary} は書類の確認用の言葉です。`;

let t: TestApp;
let openai: FakeOpenAI;
const secrets: Secret[] = [];
const keep = (kind: string, value: unknown, raw?: Buffer) => {
  assert.equal(typeof value, 'string', `${kind} missing from the response`);
  assert.ok((value as string).length >= 8, `${kind} too short to search for: ${value}`);
  secrets.push({ kind, value: value as string, raw });
};
const fromBase64url = (value: string) => (/^[\w-]+$/.test(value) ? Buffer.from(value, 'base64url') : undefined);

before(async () => {
  openai = await startFakeOpenAI();
  // No JWT_SECRET / ENCRYPTION_KEY: the app generates them into DATA_DIR/secrets, which is read below too.
  t = await buildTestApp({ jwtSecret: undefined, encryptionKey: undefined, providerUrls: { openai: openai.baseUrl, anthropic: openai.baseUrl } });
});
after(async () => {
  await t?.close();
  await openai?.close();
});

/** Everything in the database, one string per table: each column of each row cast to text. */
async function dumpDatabase(): Promise<Map<string, string>> {
  const { db } = t.app.database;
  const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;
  const columns = rowsOf<{ table_schema: string; table_name: string; column_name: string }>(
    await db.execute(sql`
      select c.table_schema, c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema not in ('pg_catalog', 'information_schema') order by 1, 2, c.ordinal_position`),
  );
  const tables = new Map<string, string[]>();
  for (const c of columns) tables.set(`"${c.table_schema}"."${c.table_name}"`, [...(tables.get(`"${c.table_schema}"."${c.table_name}"`) ?? []), `"${c.column_name}"::text`]);
  const dump = new Map<string, string>();
  for (const [table, cols] of tables) {
    const rows = rowsOf<{ r: string }>(await db.execute(sql.raw(`select concat_ws(chr(31), ${cols.join(', ')}) as r from ${table}`)));
    dump.set(table, rows.map((row) => row.r).join('\n'));
  }
  return dump;
}

function filesUnder(dir: string | undefined): string[] {
  if (!dir) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The forms a secret could be stored in, as text (for the dump) and as bytes (for the files). */
function encodings(secret: Secret): Array<[string, string | Buffer]> {
  const bytes = Buffer.from(secret.value, 'utf8');
  const forms: Array<[string, string | Buffer]> = [
    ['plain', secret.value],
    ['base64', bytes.toString('base64').replace(/=+$/, '')],
    ['base64url', bytes.toString('base64url')],
    ['hex', bytes.toString('hex')],
  ];
  if (secret.raw && secret.raw.length >= 8) forms.push(['raw bytes', secret.raw], ['raw hex', secret.raw.toString('hex')], ['raw base64', secret.raw.toString('base64').replace(/=+$/, '')]);
  return forms;
}

/** All files as one buffer (one search per needle instead of one per file), and where each starts. */
interface Haystack {
  bytes: Buffer;
  starts: number[];
  paths: string[];
}
function haystackOf(paths: string[]): Haystack {
  const buffers = paths.map((path) => readFileSync(path));
  const starts: number[] = [];
  let offset = 0;
  for (const buffer of buffers) {
    starts.push(offset);
    offset += buffer.length + 1;
  }
  // A zero byte between files: no match can span two of them (no needle contains one).
  return { bytes: Buffer.concat(buffers.flatMap((b) => [b, Buffer.alloc(1)])), starts, paths };
}
/**
 * For each needle, the files holding it, in one pass over all the bytes: each needle is anchored by
 * its last four bytes; a 2^24-entry table of anchors' low 24 bits filters positions, and only
 * anchor hits are compared in full. (One indexOf per needle and form scanned the 40 MB ~400 times.)
 */
function filesHoldingEach(haystack: Haystack, needles: Buffer[]): string[][] {
  const bytes = haystack.bytes;
  const anchors = new Map<number, number[]>();
  const filter = new Uint8Array(1 << 24);
  needles.forEach((needle, index) => {
    assert.ok(needle.length >= 4, 'needles are at least 4 bytes');
    const anchor = needle.readUInt32LE(needle.length - 4);
    anchors.set(anchor, [...(anchors.get(anchor) ?? []), index]);
    filter[anchor & 0xffffff] = 1;
  });
  const found = needles.map(() => new Set<string>());
  let window = 0;
  for (let i = 0; i < bytes.length; i++) {
    window = (window >>> 8) | (bytes[i]! << 24);
    if (i < 3 || !filter[window & 0xffffff]) continue;
    for (const index of anchors.get(window >>> 0) ?? []) {
      const needle = needles[index]!;
      const start = i + 1 - needle.length;
      if (start < 0 || bytes.compare(needle, 0, needle.length, start, i + 1) !== 0) continue;
      let file = haystack.starts.length - 1;
      while (haystack.starts[file]! > start) file--;
      found[index]!.add(haystack.paths[file]!);
    }
  }
  return found.map((set) => [...set]);
}

/** Where each secret shows up: "kind (form) in place". Hex is compared in both cases. */
function findLeaks(list: Secret[], dump: Map<string, string>, files: Haystack): string[] {
  const found: string[] = [];
  const lowerDump = new Map([...dump].map(([table, text]) => [table, text.toLowerCase()]));
  const needles: Array<{ label: string; bytes: Buffer }> = [];
  for (const secret of list) {
    for (const [form, needle] of encodings(secret)) {
      const label = `${secret.kind} (${form})`;
      const hex = form.includes('hex');
      if (typeof needle !== 'string') {
        needles.push({ label, bytes: needle });
        continue;
      }
      for (const [table, content] of hex ? lowerDump : dump) if (content.includes(hex ? needle.toLowerCase() : needle)) found.push(`${label} in table ${table}`);
      for (const variant of hex ? [needle.toLowerCase(), needle.toUpperCase()] : [needle]) needles.push({ label, bytes: Buffer.from(variant, 'latin1') });
    }
  }
  filesHoldingEach(files, needles.map((n) => n.bytes)).forEach((paths, i) => paths.forEach((path) => found.push(`${needles[i]!.label} in file ${path}`)));
  return found;
}

test('no secret handed out by the API is stored readable: not in any column, not in any file of the data folder', async () => {
  const started = performance.now();
  const tenant = await t.createTenant('sec');
  const admin = tenant.admin;
  keep('access token', admin.accessToken);
  keep('refresh token', admin.refreshToken);
  keep('refresh token jti', JSON.parse(Buffer.from(admin.refreshToken.split('.')[1]!, 'base64url').toString()).jti);
  keep('operator refresh token', tenant.operator.refreshToken);

  // Passwords: the one chosen at sign-up and the one it is changed to.
  const newPassword = `Pw${randomBytes(9).toString('base64url')}9`;
  keep('password', admin.password);
  const changed = await t.request('POST', '/api/v1/auth/password', { token: admin.accessToken, body: { current_password: admin.password, new_password: newPassword } });
  assert.equal(changed.statusCode, 200, changed.body);
  keep('new password', newPassword);

  // Login sessions, rotated once.
  const login = (await t.login(admin.email, newPassword)).json();
  const rotated = (await t.request('POST', '/api/v1/auth/refresh', { body: { refresh_token: login.refresh_token } })).json();
  for (const [kind, token] of [['login refresh token', login.refresh_token], ['rotated refresh token', rotated.refresh_token], ['rotated access token', rotated.access_token]] as const) {
    keep(kind, token);
    keep(`${kind} signature`, token.split('.')[2], fromBase64url(token.split('.')[2]));
  }
  const token = rotated.access_token as string;

  // Provider keys of each provider.
  const providerKeys = [
    { provider: 'openai-compatible', model: 'local-llm', api_key: `ollama-${randomBytes(18).toString('hex')}`, base_url: 'https://llm.example.invalid/v1' },
    { provider: 'anthropic', model: 'claude-3-5-haiku-latest', api_key: `sk-ant-api03-${randomBytes(30).toString('base64url')}` },
    { provider: 'openai', model: 'gpt-4o-mini', api_key: `sk-proj-${randomBytes(30).toString('base64url')}` },
  ];
  const hints: string[] = [];
  for (const key of providerKeys) {
    const res = await t.request('POST', '/api/v1/api-keys', { token, body: key });
    assert.equal(res.statusCode, 201, res.body);
    keep(`${key.provider} API key`, key.api_key);
    hints.push(res.json().key_hint);
  }

  // Two-factor: a set-up replaced by a second one, enabled, recovery codes replaced once.
  const firstSetup = await t.request('POST', '/api/v1/auth/2fa/setup', { token });
  keep('abandoned TOTP secret', firstSetup.json().secret_key, Buffer.from(OTPAuth.Secret.fromBase32(firstSetup.json().secret_key).bytes));
  const setup = await t.request('POST', '/api/v1/auth/2fa/setup', { token });
  const secret = OTPAuth.Secret.fromBase32(setup.json().secret_key);
  keep('TOTP secret', setup.json().secret_key, Buffer.from(secret.bytes));
  keep('TOTP otpauth URL', setup.json().otpauth_url);
  const enabled = await t.request('POST', '/api/v1/auth/2fa/enable', { token, body: { code: await previousTotpCode(setup.json().secret_key) } });
  assert.equal(enabled.statusCode, 200, enabled.body);
  const replaced = await t.request('POST', '/api/v1/auth/2fa/recovery-codes', { token, body: { code: totpCode(setup.json().secret_key) } });
  assert.equal(replaced.statusCode, 200, replaced.body);
  for (const code of [...enabled.json().recovery_codes, ...replaced.json().recovery_codes] as string[]) {
    keep('recovery code', code);
    keep('recovery code without dash', code.replace('-', ''));
  }

  // Invitations: one accepted, one pending, one revoked.
  for (const state of ['accepted', 'pending', 'revoked']) {
    const res = await t.request('POST', '/api/v1/invitations', { token, body: { email: `${state}-${randomBytes(4).toString('hex')}@example.com` } });
    assert.equal(res.statusCode, 201, res.body);
    keep(`${state} invitation token`, res.json().token, fromBase64url(res.json().token));
    if (state === 'accepted') {
      const password = `Inv${randomBytes(9).toString('base64url')}7`;
      const accepted = await t.request('POST', '/api/v1/invitations/accept', { body: { token: res.json().token, username: `inv_${randomBytes(4).toString('hex')}`, password } });
      assert.equal(accepted.statusCode, 201, accepted.body);
      keep('invitee password', password);
    }
    if (state === 'revoked') assert.equal((await t.request('DELETE', `/api/v1/invitations/${res.json().id}`, { token })).statusCode, 200);
  }

  // The widget key, and the key that replaces it.
  const snippet = await t.request('GET', `/api/v1/tenants/${tenant.id}/embed-snippet`, { token });
  assert.equal(snippet.statusCode, 200, snippet.body);
  keep('widget key', snippet.json().api_key);
  const rotatedKey = await t.request('POST', `/api/v1/tenants/${tenant.id}/widget-key/rotate`, { token });
  assert.equal(rotatedKey.statusCode, 200, rotatedKey.body);
  keep('rotated widget key', rotatedKey.json().api_key);

  // A webhook endpoint's signing secret, and the one that replaces it (port 9: nothing is ever delivered).
  const hook = await t.request('POST', '/api/v1/webhooks', { token, body: { url: 'http://127.0.0.1:9/hook', events: ['document.completed'] } });
  assert.equal(hook.statusCode, 201, hook.body);
  keep('webhook secret', hook.json().secret, fromBase64url(hook.json().secret.replace(/^whsec_/, '')));
  const rotatedHook = await t.request('POST', `/api/v1/webhooks/${hook.json().id}/rotate-secret`, { token });
  assert.equal(rotatedHook.statusCode, 200, rotatedHook.body);
  keep('rotated webhook secret', rotatedHook.json().secret, fromBase64url(rotatedHook.json().secret.replace(/^whsec_/, '')));

  // A document: its text is not a secret, and it must be found (proof that the search works).
  const doc = await uploadAndProcess(t, token, 'rules.txt', documentText);
  assert.equal(doc.detail.status, 'completed', JSON.stringify(doc.detail));

  // PGlite writes through its own buffers: a checkpoint puts every page on disk before reading.
  if (t.app.database.driver === 'pglite') await t.app.database.db.execute(sql`checkpoint`);
  const dump = await dumpDatabase();
  const files = haystackOf([...filesUnder(t.config.dataDir), ...filesUnder(t.config.database.pgliteDir)]);
  assert.ok(files.paths.some((p) => p.endsWith(join('secrets', 'encryption.key'))), 'the data folder holds the generated secrets');

  const proof = findLeaks([{ kind: 'document text', value: canary }], dump, files);
  assert.ok(proof.some((p) => p.includes('table "public"."chunks"')), `the document text is in the dump: ${proof.join('; ')}`);
  assert.ok(proof.some((p) => p.includes(t.config.dataDir) && !p.includes('pglite')), `the uploaded file holds the text: ${proof.join('; ')}`);
  if (t.app.database.driver === 'pglite') assert.ok(proof.some((p) => p.includes(t.config.database.pgliteDir!)), `PGlite's files hold the text: ${proof.join('; ')}`);
  // A provider key's visible hint is stored as such: partial strings are found too.
  assert.ok(hints.every((hint) => [...dump.values()].some((text) => text.includes(hint))), 'key hints are in the dump');

  const leaks = findLeaks(secrets, dump, files);
  assert.deepEqual(leaks, [], 'secrets stored readable');
  const forms = secrets.reduce((n, s) => n + encodings(s).length, 0);
  console.log(
    `secrets-at-rest: ${secrets.length} secrets in ${new Set(secrets.map((s) => s.kind.replace(/^(login|rotated|operator|abandoned|accepted|pending|revoked) /, ''))).size} kinds, ${forms} encodings, ` +
      `searched in ${dump.size} tables (${[...dump.values()].reduce((n, s) => n + s.length, 0)} chars) and ${files.paths.length} files (${files.bytes.length} bytes) in ${Math.round(performance.now() - started)} ms`,
  );
});

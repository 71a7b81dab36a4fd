/** Contents API (docs/decisions.md C3) through HTTP: upload → ingestion → list, detail, delete, reprocess; errors and tenant isolation. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { PDFDocument } from 'pdf-lib';
import { chunks, contents, ingestionJobs } from '../../../db/schema.js';
import { buildTestApp, expectError, unique, type TestApp, type TestTenant } from '../../../test/harness.js';
import { streamedUpload, uploadFile, uploadParts, waitForStatus } from '../../../test/upload.js';
import { billionLaughsProlog, documentXml, makeHandmadeDocx, makeStructuredDocx } from '../extract/test-support/make-docx.js';
import { handmadePdf, handmadeTextPage, makeTextPdf } from '../extract/test-support/make-pdf.js';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

const SUMMARY_KEYS = ['created_at', 'file_name', 'file_size', 'file_type', 'id', 'status', 'title'];
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const DONE = ['completed', 'failed'];

/** Unique text, so the per-tenant duplicate check never refuses a test's upload. */
const text = (body = 'Shiori test document.') => Buffer.from(`${body}\n${unique('doc')}\n`);
const admin = () => t.a.admin.accessToken;

/** Every regular file under filesDir, relative to it. */
function filesOnDisk(): string[] {
  const root = resolve(t.config.filesDir);
  const all = (() => {
    try {
      return readdirSync(root, { recursive: true }).map(String);
    } catch {
      return [];
    }
  })();
  return all.filter((p) => statSync(join(root, p)).isFile()).map((p) => relative(root, join(root, p)).split(sep).join('/'));
}

const chunkRows = (contentId: string) =>
  t.app.database.db.select().from(chunks).where(eq(chunks.contentId, contentId)).orderBy(chunks.chunkIndex);

async function duplicateChunkIndexes(contentId: string): Promise<number> {
  const result = await t.app.database.db.execute(
    sql`select chunk_index from ${chunks} where content_id = ${contentId} group by chunk_index having count(*) > 1`,
  );
  return (result as unknown as { rows: unknown[] }).rows.length;
}

async function uploadAndWait(fileName: string, bytes: Buffer, fields: Record<string, string> = {}, token = admin()) {
  const res = await uploadFile(t, token, fileName, bytes, fields);
  assert.equal(res.statusCode, 201, res.body);
  return waitForStatus(t, token, res.json().id, DONE);
}

/** A sentence for people: no stack trace, no internal error names. */
function assertReadable(reason: string | null | undefined): void {
  assert.ok(reason && reason.length > 20, `reason too short: ${reason}`);
  assert.match(reason, /^[A-Z].*\.$/s);
  assert.doesNotMatch(reason, /\n\s+at |Error:|undefined/);
}

describe('POST /api/v1/contents/upload → ingestion', () => {
  test('TXT: 201 with exactly the seed’s fields and pending, then completed with pages, chunks, timings and encoding', async () => {
    const bytes = text('社内規程 第1条 この規程は従業員の休暇について定める。 Paid leave is 20 days.');
    const res = await uploadFile(t, admin(), '社内規程.txt', bytes, { title: '  社内規程  ', description: '休暇について', tags: 'hr, 規程' });
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json();
    assert.deepEqual(Object.keys(created).sort(), SUMMARY_KEYS);
    const { id, created_at: createdAt, ...rest } = created;
    assert.match(id, new RegExp(`^${UUID}$`));
    assert.ok(Math.abs(Date.parse(createdAt) - Date.now()) < 60_000);
    assert.deepEqual(rest, { file_name: '社内規程.txt', file_type: 'txt', title: '社内規程', status: 'pending', file_size: bytes.length });

    const detail = await waitForStatus(t, admin(), created.id, DONE);
    assert.equal(detail.status, 'completed', detail.failure_reason ?? '');
    assert.equal(detail.page_count, 1);
    assert.equal(detail.encoding, 'utf-8');
    assert.equal(detail.description, '休暇について');
    assert.deepEqual(detail.tags, ['hr', '規程']);
    assert.equal(detail.failure_code, null);
    assert.ok(detail.chunk_count > 0);
    for (const key of ['extract_ms', 'chunk_ms', 'index_ms', 'total_ms'] as const) assert.equal(typeof detail.timings[key], 'number', key);
    assert.ok(detail.processed_at && detail.processing_started_at);
    const stored = await chunkRows(created.id);
    assert.equal(stored.length, detail.chunk_count);
    assert.ok(stored.map((c) => c.text).join('').includes('従業員の休暇'));
  });

  test('PDF: completed with its page count and page numbers on the chunks', async () => {
    const pdf = await makeTextPdf([`Page one about vacation ${unique()}`, '', 'Page three about the badge']);
    const detail = await uploadAndWait('handbook.pdf', pdf);
    assert.equal(detail.status, 'completed', detail.failure_reason ?? '');
    assert.equal(detail.file_type, 'pdf');
    assert.equal(detail.page_count, 3);
    assert.equal(detail.encoding, null);
    const stored = await chunkRows(detail.id);
    assert.equal(stored.length, detail.chunk_count);
    assert.equal(stored[0]!.pageStart, 1);
    assert.equal(stored.at(-1)!.pageEnd, 3);
  });

  test('DOCX: completed, with table and footnote text indexed', async () => {
    const detail = await uploadAndWait('就業規則.docx', await makeStructuredDocx());
    assert.equal(detail.status, 'completed', detail.failure_reason ?? '');
    assert.equal(detail.file_type, 'docx');
    assert.equal(detail.page_count, 1);
    const all = (await chunkRows(detail.id)).map((c) => c.text).join('\n');
    assert.ok(all.includes('年次有給休暇') && all.includes('Footnote: measured in 2024.'), all);
  });

  const JAPANESE = '就業規則\r\n第1条 この規則は、従業員の労働条件を定める。\r\n';
  const encodings: Array<[string, Buffer, string]> = [
    ['Shift_JIS', iconv.encode(JAPANESE, 'shift_jis'), 'shift_jis'],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(JAPANESE, 'utf-16le')]), 'utf-16le'],
    ['UTF-16BE without BOM', iconv.encode(JAPANESE, 'utf-16be'), 'utf-16be'],
  ];
  for (const [name, bytes, encoding] of encodings) {
    test(`${name} TXT → completed, encoding ${encoding}, text decoded`, async () => {
      const detail = await uploadAndWait(`${name}.txt`, bytes);
      assert.equal(detail.status, 'completed', detail.failure_reason ?? '');
      assert.equal(detail.encoding, encoding);
      assert.ok((await chunkRows(detail.id)).some((c) => c.text.includes('従業員の労働条件')));
    });
  }

  test('a 2 MB Japanese text of single lines (no blank line anywhere) is indexed, not run out of memory', async () => {
    const lines = Array.from({ length: 15_000 }, (_, i) => `第${i + 1}条　従業員は、会社の定める規則に従い、誠実に職務を遂行しなければならない。詳細は別表${i % 40}による。`);
    const bytes = Buffer.from(`${lines.join('\n')}\n${unique()}\n`);
    assert.ok(bytes.length > 2_000_000);
    const detail = await uploadAndWait('規則集.txt', bytes);
    assert.equal(detail.status, 'completed', detail.failure_reason ?? '');
    assert.ok(detail.chunk_count > 500, `${detail.chunk_count} chunks`);
  });

  test('the content decides the type: a PDF named .docx is stored as a PDF', async () => {
    const res = await uploadFile(t, admin(), 'renamed.docx', await makeTextPdf([`renamed ${unique()}`]));
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().file_type, 'pdf');
  });
});

describe('upload fields', () => {
  test('tags are split on , 、 and ，, trimmed, de-duplicated; title and description are trimmed', async () => {
    const res = await uploadFile(t, admin(), 'tags.txt', text(), { title: ' 題名 ', description: ' 説明 ', tags: ' 人事 , 規程、人事，legal,, ,legal ' });
    assert.equal(res.statusCode, 201, res.body);
    const detail = (await t.request('GET', `/api/v1/contents/${res.json().id}`, { token: admin() })).json();
    assert.deepEqual(detail.tags, ['人事', '規程', 'legal']);
    assert.equal(detail.title, '題名');
    assert.equal(detail.description, '説明');
  });

  const invalid: Array<[string, Record<string, string>, string, RegExp]> = [
    ['title over 200 characters', { title: 'あ'.repeat(201) }, 'title', /at most 200/],
    ['description over 2000 characters', { description: 'x'.repeat(2001) }, 'description', /at most 2000/],
    ['a tag over 50 characters', { tags: `ok,${'t'.repeat(51)}` }, 'tags', /at most 50/],
    ['more than 20 tags', { tags: Array.from({ length: 21 }, (_, i) => `tag${i}`).join(',') }, 'tags', /at most 20 tags/],
    ['tags over 1000 characters', { tags: 'a'.repeat(1001) }, 'tags', /at most 1000/],
  ];
  for (const [name, fields, field, message] of invalid) {
    test(`refuses ${name} with 422 naming the field, and keeps no file`, async () => {
      const before = filesOnDisk().length;
      const body = expectError(await uploadFile(t, admin(), 'fields.txt', text(), fields), 422, 'VALIDATION_ERROR');
      const error = body.errors?.find((e) => e.field === field);
      assert.ok(error, body.detail);
      assert.match(error.message, message);
      assert.equal(filesOnDisk().length, before);
    });
  }
});

describe('upload errors', () => {
  test('no file, two files, a file in another field, an empty file → 422', async () => {
    const before = filesOnDisk().length;
    assert.equal(expectError(await uploadParts(t, admin(), [], { title: 'x' }), 422, 'VALIDATION_ERROR').errors?.[0]?.field, 'file');
    const two = [{ fileName: 'a.txt', bytes: text() }, { fileName: 'b.txt', bytes: text() }];
    assert.match(expectError(await uploadParts(t, admin(), two), 422, 'VALIDATION_ERROR').detail, /exactly one file/);
    expectError(await uploadParts(t, admin(), [{ field: 'document', fileName: 'a.txt', bytes: text() }]), 422, 'VALIDATION_ERROR');
    const empty = expectError(await uploadFile(t, admin(), 'empty.txt', Buffer.alloc(0)), 422, 'VALIDATION_ERROR');
    assert.deepEqual(empty.errors, [{ field: 'file', message: 'is empty' }]);
    assert.equal(filesOnDisk().length, before, 'refused uploads leave nothing on disk');
  });

  test('wrong magic bytes or an unsupported name → 415 UNSUPPORTED_FILE_TYPE with the reason', async () => {
    const before = filesOnDisk().length;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    assert.match(expectError(await uploadFile(t, admin(), 'scan.pdf', png), 415, 'UNSUPPORTED_FILE_TYPE').detail, /image \(PNG\).*OCR/);
    assert.match(expectError(await uploadFile(t, admin(), 'setup.exe', text()), 415, 'UNSUPPORTED_FILE_TYPE').detail, /PDF, Word \(\.docx\), Excel \(\.xlsx\), PowerPoint \(\.pptx\), CSV, plain text \(\.txt\), Markdown \(\.md\) or HTML/);
    assert.match(expectError(await uploadFile(t, admin(), 'notes.pdf', text()), 415, 'UNSUPPORTED_FILE_TYPE').detail, /plain text, not a PDF/);
    assert.equal(filesOnDisk().length, before);
  });

  test('a body that is not multipart → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await t.request('POST', '/api/v1/contents/upload', { token: admin(), body: { file: 'hello' } });
    assert.match(expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE').detail, /multipart\/form-data/);
  });

  test('100 MB + 1 byte (streamed) → 413 PAYLOAD_TOO_LARGE and no partial file; exactly 100 MB is accepted', async () => {
    const before = filesOnDisk();
    const over = streamedUpload('big.txt', 100 * 1024 * 1024 + 1);
    const refused = await t.request('POST', '/api/v1/contents/upload', { token: admin(), body: over.stream, headers: { 'content-type': over.contentType } });
    assert.match(expectError(refused, 413, 'PAYLOAD_TOO_LARGE').detail, /100 MB/);
    assert.deepEqual(filesOnDisk(), before);

    const exact = streamedUpload('big.txt', 100 * 1024 * 1024);
    const accepted = await t.request('POST', '/api/v1/contents/upload', { token: admin(), body: exact.stream, headers: { 'content-type': exact.contentType } });
    assert.equal(accepted.statusCode, 201, accepted.body);
    assert.equal(accepted.json().file_size, 100 * 1024 * 1024);
    // 100 MB of one letter is more text than the extraction limit: refused clearly, not a crash.
    const detail = await waitForStatus(t, admin(), accepted.json().id, DONE);
    assert.equal(detail.failure_code, 'TOO_LARGE');
    assertReadable(detail.failure_reason);
    assert.equal((await t.request('DELETE', `/api/v1/contents/${detail.id}`, { token: admin() })).statusCode, 200);
    assert.deepEqual(filesOnDisk(), before);
  });

  test('the same content twice → 409 CONFLICT naming the existing file, and the second copy is not kept', async () => {
    const bytes = text('duplicate me');
    const first = await uploadFile(t, admin(), 'original.txt', bytes);
    assert.equal(first.statusCode, 201);
    const before = filesOnDisk().length;
    const refused = await uploadFile(t, admin(), 'copy.txt', bytes);
    const detail = expectError(refused, 409, 'CONFLICT').detail;
    // Named by what the ADMIN sees in the list (its title, else its file name), not by a raw id.
    assert.ok(detail.includes('"original.txt"') && !detail.includes(first.json().id), detail);
    // The dashboard links to the existing document by this field, declared in the OpenAPI document.
    assert.equal(refused.json().existing_content_id, first.json().id);
    const spec = (await t.request('GET', '/openapi.json')).json();
    const declared = spec.paths['/api/v1/contents/upload'].post.responses['409'].content['application/json'].schema;
    assert.equal(declared.$ref, '#/components/schemas/DuplicateContentError');
    assert.equal(spec.components.schemas.DuplicateContentError.properties.existing_content_id.format, 'uuid');
    assert.equal(filesOnDisk().length, before);
    // Duplicates are per tenant: another company may upload the same file.
    assert.equal((await uploadFile(t, t.b.admin.accessToken, 'original.txt', bytes)).statusCode, 201);
  });

  const oddNames: Array<[string, string]> = [
    ['../../etc/passwd.txt', 'passwd.txt'],
    ['..\\..\\x.txt', 'x.txt'],
    ['%2e%2e%2f%2e%2e%2fetc.txt', '%2e%2e%2f%2e%2e%2fetc.txt'],
    ['evil\u0000name.txt', 'evilname.txt'],
    ['invoice\u202etxt.exe.txt', 'invoicetxt.exe.txt'],
    ['tab\tand\u0007bell.txt', 'tabandbell.txt'],
    ['"quoted"; filename=evil.exe.txt', '"quoted"; filename=evil.exe.txt'],
    ['就業規則 2024「改訂版」.txt', '就業規則 2024「改訂版」.txt'],
  ];
  for (const [name, shown] of oddNames) {
    test(`file name ${JSON.stringify(name)} is shown as ${JSON.stringify(shown)}, stored under a generated key, downloaded under a safe Content-Disposition`, async () => {
      const bytes = text();
      const res = await uploadFile(t, admin(), name, bytes);
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().file_name, shown);
      const download = await t.request('GET', `/api/v1/contents/${res.json().id}/file`, { token: t.a.operator.accessToken });
      assert.equal(download.statusCode, 200);
      assert.deepEqual(download.rawPayload, bytes);
      const disposition = String(download.headers['content-disposition']);
      // One attachment, printable ASCII only (a token or a quoted string); the real name travels percent-encoded in filename*.
      const form = /^attachment; filename=(?:([!#$%&'*+.^_`|~\w-]+)|"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)")(?:; filename\*=UTF-8''([\w%!'()*.~-]+))?$/.exec(disposition);
      assert.ok(form, disposition);
      const [, token, quoted, extended] = form;
      assert.equal(extended ? decodeURIComponent(extended) : (token ?? quoted!.replace(/\\(.)/g, '$1')), shown);
      assert.equal(download.headers['x-content-type-options'], 'nosniff');
      assert.match(String(download.headers['content-security-policy']), /sandbox/);
      assert.equal(download.headers['content-type'], 'text/plain');
    });
  }

  test('a document whose stored file is gone: the download is a 404 in the error shape, not a 500', async () => {
    const res = await uploadFile(t, admin(), 'vanishing.txt', text());
    assert.equal(res.statusCode, 201, res.body);
    await waitForStatus(t, admin(), res.json().id, DONE);
    const [row] = await t.app.database.db.select({ key: contents.storageKey }).from(contents).where(eq(contents.id, res.json().id));
    rmSync(join(t.config.filesDir, row!.key));
    const download = await t.request('GET', `/api/v1/contents/${res.json().id}/file`, { token: admin() });
    assert.match(expectError(download, 404, 'RESOURCE_NOT_FOUND').detail, /no longer stored/);
  });

  test('a line break in the file name (header injection) drops the part: 422, nothing stored', async () => {
    const before = filesOnDisk().length;
    assert.equal(expectError(await uploadFile(t, admin(), 'two\nlines.txt', text()), 422, 'VALIDATION_ERROR').errors?.[0]?.field, 'file');
    assert.equal(filesOnDisk().length, before);
  });

  test('a 1000-character name is shortened; every file on disk is filesDir/<tenant uuid>/<uuid>', async () => {
    const res = await uploadFile(t, admin(), `${'長'.repeat(996)}.txt`, text());
    assert.equal(res.statusCode, 201, res.body);
    assert.ok(res.json().file_name.length <= 255);
    assert.ok(res.json().file_name.startsWith('長長'));
    const files = filesOnDisk();
    assert.ok(files.length > 0);
    const tenants = new Set([t.a.id, t.b.id]);
    for (const file of files) {
      assert.match(file, new RegExp(`^${UUID}/${UUID}$`), file);
      assert.ok(tenants.has(file.split('/')[0]!), file);
    }
    assert.ok(!files.some((f) => f.includes('passwd') || f.includes('..')));
  });

  test('OPERATOR → 403, no token → 401; nothing stored', async () => {
    const before = filesOnDisk().length;
    expectError(await uploadFile(t, t.a.operator.accessToken, 'op.txt', text()), 403, 'PERMISSION_DENIED');
    expectError(await uploadFile(t, undefined, 'anon.txt', text()), 401, 'AUTHENTICATION_ERROR');
    assert.equal(filesOnDisk().length, before);
  });
});

/** A small black-and-white PNG, for a PDF that is only a picture (a scan). */
function png(size: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const framed = Buffer.alloc(data.length + 12);
    framed.writeUInt32BE(data.length, 0);
    body.copy(framed, 4);
    framed.writeUInt32BE(crc32(body) >>> 0, data.length + 8);
    return framed;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // 8-bit greyscale
  const rows = Buffer.alloc((size + 1) * size, 0xff);
  for (let y = 0; y < size; y++) rows[y * (size + 1)] = 0; // filter byte
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

async function imageOnlyPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(unique('scan'));
  pdf.addPage([595, 842]).drawImage(await pdf.embedPng(png(32)), { x: 50, y: 400, width: 400, height: 400 });
  return Buffer.from(await pdf.save());
}

/** A PDF with a standard-security /Encrypt dictionary whose user password is not empty. */
function encryptedPdf(): Buffer {
  const id = Buffer.from(unique('id')).toString('hex').slice(0, 32).padEnd(32, '0');
  return handmadePdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
      `<< /Filter /Standard /V 1 /R 2 /O <${'5a'.repeat(32)}> /U <${'a5'.repeat(32)}> /P -4 >>`,
    ],
    `/Encrypt 4 0 R /ID [<${id}> <${id}>] `,
  );
}

describe('failed extractions end as failed, with a code and a reason', () => {
  test('encrypted → PASSWORD_REQUIRED, image-only → NO_TEXT, truncated → CORRUPT, zip bomb → TOO_LARGE; the server stays healthy', async () => {
    const whole = await makeTextPdf([`Some text that will be cut off ${unique()}`, 'More text']);
    const cases: Array<[string, Buffer, string, RegExp]> = [
      ['locked.pdf', encryptedPdf(), 'PASSWORD_REQUIRED', /password/],
      ['scan.pdf', await imageOnlyPdf(), 'NO_TEXT', /OCR/],
      ['cut.pdf', whole.subarray(0, Math.floor(whole.length * 0.6)), 'CORRUPT', /damaged|incomplete/],
      ['bomb.docx', makeHandmadeDocx({ extraEntries: [{ name: 'word/media/image1.png', data: Buffer.alloc(64 * 1024 * 1024) }] }), 'TOO_LARGE', /zip bomb/],
    ];
    const ids = [];
    for (const [name, bytes] of cases) {
      const res = await uploadFile(t, admin(), name, bytes);
      assert.equal(res.statusCode, 201, `${name}: ${res.body}`);
      ids.push(res.json().id as string);
    }
    for (const [i, [name, , code, reason]] of cases.entries()) {
      const detail = await waitForStatus(t, admin(), ids[i]!, DONE);
      assert.equal(detail.status, 'failed', name);
      assert.equal(detail.failure_code, code, `${name}: ${detail.failure_reason}`);
      assert.match(detail.failure_reason ?? '', reason);
      assertReadable(detail.failure_reason);
      assert.equal(detail.chunk_count, 0);
      assert.equal((await chunkRows(detail.id)).length, 0);
    }
    assert.equal((await t.request('GET', '/health')).statusCode, 200);
    assert.equal((await uploadAndWait('after-failures.txt', text())).status, 'completed');
  });
  test('hostile archives and PDFs (bombs, billion laughs, zip slip, deep object graphs, page-count lies) each end clearly; memory stays bounded', async () => {
    const deep = (open: string, close: string, depth: number) => `/Deep ${open.repeat(depth)}1${close.repeat(depth)}`;
    const manyEntries = Array.from({ length: 10_001 }, (_, index) => ({ name: `customXml/item${index}.xml`, data: '<a/>' }));
    // [name, bytes, status, failure code, reason]
    const cases: Array<[string, Buffer, 'completed' | 'failed', string | null, RegExp]> = [
      ['laughs.docx', makeHandmadeDocx({ documentXml: documentXml([`&lol9; ${unique()}`], billionLaughsProlog()) }), 'failed', 'CORRUPT', /document type declaration/],
      ['slip.docx', makeHandmadeDocx({ extraEntries: [{ name: '../../etc/cron.d/evil', data: unique() }] }), 'failed', 'CORRUPT', /points outside the document/],
      ['nested.docx', makeHandmadeDocx({ extraEntries: [{ name: 'word/media/inner.zip', data: `PK${unique()}` }] }), 'failed', 'CORRUPT', /another archive/],
      ['entries.docx', makeHandmadeDocx({ extraEntries: manyEntries }), 'failed', 'TOO_LARGE', /more than 10,000 internal parts/],
      ['liar.docx', makeHandmadeDocx({ extraEntries: [{ name: 'word/styles.xml', data: Buffer.alloc(5 * 1024 * 1024, 0x20), declaredSize: 100 }] }), 'failed', 'CORRUPT', /not the size the archive says/],
      ['arrays.pdf', handmadePdf(handmadeTextPage(unique('arrays'), { pageExtra: deep('[', ']', 200_000) })), 'failed', 'CORRUPT', /damaged/],
      ['dicts.pdf', handmadePdf(handmadeTextPage(unique('dicts'), { pageExtra: deep('<< /A ', ' >>', 100_000) })), 'failed', 'CORRUPT', /damaged/],
      ['count.pdf', handmadePdf(handmadeTextPage(`Counted ${unique()}`, { pagesCount: 100_000_000 })), 'completed', null, /^$/],
    ];
    const ids: string[] = [];
    for (const [name, bytes] of cases) {
      const res = await uploadFile(t, admin(), name, bytes);
      assert.equal(res.statusCode, 201, `${name}: ${res.body}`);
      ids.push(res.json().id as string);
    }
    const rssBefore = process.memoryUsage().rss;
    for (const [i, [name, , status, code, reason]] of cases.entries()) {
      const detail = await waitForStatus(t, admin(), ids[i]!, DONE);
      assert.equal(detail.status, status, `${name}: ${detail.failure_reason}`);
      assert.equal(detail.failure_code, code, `${name}: ${detail.failure_reason}`);
      if (status === 'failed') {
        assert.match(detail.failure_reason ?? '', reason, name);
        assertReadable(detail.failure_reason);
        assert.equal((await chunkRows(detail.id)).length, 0, name);
      } else {
        assert.equal(detail.page_count, 1, `${name}: the real pages, not the claimed 100,000,000`);
      }
    }
    // Parsing happens in a worker process with its own heap cap: the server's memory barely moves.
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    assert.ok(grownMb < 100, `the server grew by ${grownMb.toFixed(0)} MB`);
    assert.equal((await t.request('GET', '/health')).statusCode, 200);
    assert.equal((await uploadAndWait('after-hostile.txt', text())).status, 'completed');
  });
});

describe('GET /api/v1/contents', () => {
  let list: TestTenant;
  const ids: Record<string, string> = {};
  const get = (query: Record<string, string>, token = list.admin.accessToken) => t.request('GET', '/api/v1/contents', { token, query });
  const names = (res: { json(): Array<{ file_name: string }> }) => res.json().map((c) => c.file_name).sort();

  before(async () => {
    list = await t.createTenant('list');
    const uploads: Array<[string, Buffer, Record<string, string>]> = [
      ['handbook.txt', text('handbook'), { title: '就業規則ハンドブック', tags: 'HR,規程' }],
      ['minutes.txt', text('minutes'), { title: 'Board minutes', description: 'Quarterly review' }],
      ['notes_100%.txt', text('notes'), {}],
      ['report.pdf', await makeTextPdf([`Annual report ${unique()}`]), {}],
      ['blank.pdf', await makeTextPdf(['', '']), { title: 'blank' }],
      ['guide.docx', await makeStructuredDocx(), { tags: 'manual' }],
    ];
    for (const [name, bytes, fields] of uploads) {
      const res = await uploadFile(t, list.admin.accessToken, name, bytes, fields);
      assert.equal(res.statusCode, 201, res.body);
      ids[name] = res.json().id;
    }
    for (const id of Object.values(ids)) await waitForStatus(t, list.admin.accessToken, id, DONE);
  });

  test('newest first, exactly the seed’s fields, X-Total-Count; OPERATOR may list', async () => {
    const res = await get({});
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['x-total-count'], '6');
    assert.deepEqual(res.json().map((c: { id: string }) => c.id), Object.values(ids).reverse());
    for (const item of res.json()) assert.deepEqual(Object.keys(item).sort(), SUMMARY_KEYS);
    assert.equal((await get({}, list.operator.accessToken)).statusCode, 200);
    expectError(await t.request('GET', '/api/v1/contents'), 401, 'AUTHENTICATION_ERROR');
  });

  test('skip and limit page through the same order; the total stays the total', async () => {
    const all = (await get({})).json().map((c: { id: string }) => c.id);
    const first = await get({ limit: '4' });
    const second = await get({ skip: '4', limit: '4' });
    assert.deepEqual([...first.json(), ...second.json()].map((c: { id: string }) => c.id), all);
    assert.equal(second.headers['x-total-count'], '6');
    const beyond = await get({ skip: '10' });
    assert.deepEqual(beyond.json(), []);
    assert.equal(beyond.headers['x-total-count'], '6');
    assert.equal((await get({ limit: '1000' })).statusCode, 200);
  });

  const filters: Array<[string, Record<string, string>, string[]]> = [
    ['file_type=pdf', { file_type: 'pdf' }, ['blank.pdf', 'report.pdf']],
    ['file_type=docx', { file_type: 'docx' }, ['guide.docx']],
    ['status=failed', { status: 'failed' }, ['blank.pdf']],
    ['status=completed&file_type=txt', { status: 'completed', file_type: 'txt' }, ['handbook.txt', 'minutes.txt', 'notes_100%.txt']],
    ['search in a Japanese title', { search: '就業規則' }, ['handbook.txt']],
    ['search a tag, any case', { search: 'hr' }, ['handbook.txt']],
    ['search a file name, any case', { search: 'MINUTES' }, ['minutes.txt']],
    ['search the description', { search: 'quarterly' }, ['minutes.txt']],
    ['search % is literal', { search: '%' }, ['notes_100%.txt']],
    ['search _ is literal', { search: '_' }, ['notes_100%.txt']],
    ['search with no match', { search: 'nothing-like-this' }, []],
  ];
  for (const [name, query, expected] of filters) {
    test(`filters: ${name}`, async () => {
      const res = await get(query);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(names(res), expected);
      assert.equal(res.headers['x-total-count'], String(expected.length));
    });
  }

  const invalid: Array<[string, Record<string, string>, string, RegExp]> = [
    ['limit over 1000', { limit: '1001' }, 'limit', /at most 1000/],
    ['limit 0', { limit: '0' }, 'limit', /at least 1/],
    ['negative skip', { skip: '-1' }, 'skip', /0 or more/],
    ['skip not a number', { skip: 'abc' }, 'skip', /number/],
    ['unknown file_type', { file_type: 'xls' }, 'file_type', /pdf|txt|docx/],
    ['unknown status', { status: 'done' }, 'status', /pending|completed/],
    ['search over 200 characters', { search: 'x'.repeat(201) }, 'search', /at most 200/],
  ];
  for (const [name, query, field, message] of invalid) {
    test(`refuses ${name} with 422 naming the field`, async () => {
      const body = expectError(await get(query), 422, 'VALIDATION_ERROR');
      const error = body.errors?.find((e) => e.field === field);
      assert.ok(error, body.detail);
      assert.match(error.message, message);
    });
  }

  test('never shows another tenant’s files, nor counts them', async () => {
    const other = await get({ limit: '1000' }, t.b.admin.accessToken);
    const shown = new Set(other.json().map((c: { id: string }) => c.id));
    assert.ok(Object.values(ids).every((id) => !shown.has(id)));
    assert.equal(Number(other.headers['x-total-count']), other.json().length);
    const search = await get({ search: '就業規則' }, t.b.admin.accessToken);
    assert.deepEqual(search.json(), []);
    assert.equal(search.headers['x-total-count'], '0');
  });
});

describe('GET /api/v1/contents/{file_id}', () => {
  test('an unknown id → 404, a malformed id → 422', async () => {
    expectError(await t.request('GET', `/api/v1/contents/${randomUUID()}`, { token: admin() }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await t.request('GET', '/api/v1/contents/not-a-uuid', { token: admin() }), 422, 'VALIDATION_ERROR');
  });
});

describe('DELETE and reprocess', () => {
  test('DELETE → 200 with the seed’s message; file, chunks and jobs are gone; then 404', async () => {
    const detail = await uploadAndWait('to-delete.txt', text('delete me'));
    assert.equal(detail.status, 'completed');
    assert.ok((await chunkRows(detail.id)).length > 0);
    const before = filesOnDisk();
    expectError(await t.request('DELETE', `/api/v1/contents/${detail.id}`, { token: t.a.operator.accessToken }), 403, 'PERMISSION_DENIED');
    expectError(await t.request('DELETE', `/api/v1/contents/${detail.id}`), 401, 'AUTHENTICATION_ERROR');

    const res = await t.request('DELETE', `/api/v1/contents/${detail.id}`, { token: admin() });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { message: 'ファイルが削除されました' });
    assert.equal(filesOnDisk().length, before.length - 1);
    assert.equal((await chunkRows(detail.id)).length, 0);
    assert.equal((await t.app.database.db.select().from(ingestionJobs).where(eq(ingestionJobs.contentId, detail.id))).length, 0);
    expectError(await t.request('GET', `/api/v1/contents/${detail.id}`, { token: admin() }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await t.request('DELETE', `/api/v1/contents/${detail.id}`, { token: admin() }), 404, 'RESOURCE_NOT_FOUND');
  });

  test('reprocess → 202 pending, then completed again with the same chunks and no duplicates', async () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `第${i + 1}条 従業員は、会社の定める規則を守り、誠実に職務を行う。Article ${i + 1} applies to everyone.`);
    const first = await uploadAndWait('long.txt', text(paragraphs.join('\n\n')));
    assert.equal(first.status, 'completed');
    assert.ok(first.chunk_count > 1, 'several chunks, so a duplicate would show');
    expectError(await t.request('POST', `/api/v1/contents/${first.id}/reprocess`, { token: t.a.operator.accessToken }), 403, 'PERMISSION_DENIED');

    const res = await t.request('POST', `/api/v1/contents/${first.id}/reprocess`, { token: admin() });
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.json().status, 'pending');
    const again = await waitForStatus(t, admin(), first.id, DONE);
    assert.equal(again.status, 'completed');
    assert.equal(again.chunk_count, first.chunk_count);
    assert.ok(Date.parse(again.processed_at!) > Date.parse(first.processed_at!));
    assert.equal((await chunkRows(first.id)).length, first.chunk_count);
    assert.equal(await duplicateChunkIndexes(first.id), 0);
  });
});

describe('tenant isolation', () => {
  test('tenant b’s ADMIN gets 404 for GET, DELETE and reprocess on a’s document, which stays unchanged', async () => {
    const doc = await uploadAndWait('private.txt', text('機密 confidential'));
    const onDisk = filesOnDisk();
    const other = t.b.admin.accessToken;
    for (const [method, url] of [
      ['GET', `/api/v1/contents/${doc.id}`],
      ['DELETE', `/api/v1/contents/${doc.id}`],
      ['POST', `/api/v1/contents/${doc.id}/reprocess`],
    ] as const) {
      const body = expectError(await t.request(method, url, { token: other }), 404, 'RESOURCE_NOT_FOUND');
      assert.doesNotMatch(body.detail, /private\.txt|forbidden/i);
    }
    const after = (await t.request('GET', `/api/v1/contents/${doc.id}`, { token: admin() })).json();
    assert.deepEqual(after, doc);
    assert.deepEqual(filesOnDisk(), onDisk);
    assert.equal((await chunkRows(doc.id)).length, doc.chunk_count);
    assert.equal((await t.app.database.db.select().from(ingestionJobs).where(eq(ingestionJobs.contentId, doc.id))).length, 1, 'no job was queued');
  });
});

/**
 * Every file type beyond PDF/DOCX/TXT through the API: uploaded with POST /api/v1/contents/upload,
 * processed by the worker, and a passage of each found with POST /api/v1/search (sheets and
 * slides cited by their number, the others without a page). Files are generated, Japanese.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { buildTestApp, type TestApp } from '../../../test/harness.js';
import { multipartBody, uploadAllAndProcess, type ContentDetail } from '../../../test/upload.js';
import { makePptx, makeXlsx } from '../extract/test-support/make-office.js';
import type { ChatResponse } from '../../chat/chat.schemas.js';
import type { SearchResponse } from '../../retrieval/retrieval.schemas.js';

interface Case {
  fileName: string;
  bytes: () => Promise<Buffer> | Buffer;
  fileType: string;
  query: string;
  /** Found in the best passage of this file. */
  passage: RegExp;
  page: number | null;
}

const cases: Case[] = [
  {
    fileName: '就業規則.md',
    bytes: () => Buffer.from('# 就業規則\n\n## 第5条 リモート勤務\n\nリモート勤務は**週に三日**まで認める。申請は前日までに行う。\n'),
    fileType: 'md',
    query: 'リモート勤務は週に何日までですか',
    passage: /第5条リモート勤務\n\nリモート勤務は週に三日まで認める。/, // cleanText joins CJK across an ASCII space (lib/text README)
    page: null,
  },
  {
    fileName: 'shuttle.html',
    bytes: () =>
      Buffer.from(
        '<!doctype html><html><head><title>送迎バス</title></head><body><nav><a href="/">会社案内</a><a href="/bus">送迎バスの時刻表</a></nav>' +
          '<main><h1>送迎バスのご案内</h1><p>送迎バスは新宿駅西口から毎朝 8 時 15 分に出発します。祝日は運休です。</p></main><footer>© 送迎バス株式会社</footer></body></html>',
      ),
    fileType: 'html',
    query: '送迎バスは何時に出発しますか',
    passage: /新宿駅西口から毎朝 8 時 15 分に出発します/,
    page: null,
  },
  {
    fileName: '備品一覧.csv',
    bytes: () => iconv.encode('備品名,保管場所,数量\r\nプロジェクター,第二会議室の棚,2\r\n延長コード,総務部,10\r\n', 'cp932'),
    fileType: 'csv',
    query: 'プロジェクターの保管場所',
    passage: /備品名: プロジェクター \| 保管場所: 第二会議室の棚 \| 数量: 2/,
    page: null,
  },
  {
    fileName: '価格表.xlsx',
    bytes: makeXlsx,
    fileType: 'xlsx',
    query: '購買部の担当者の内線番号',
    passage: /^担当者\n\n[\s\S]*氏名: 山田太郎 \| 部署: 購買部 \| 内線: 1234/,
    page: 2,
  },
  {
    fileName: '四半期報告.pptx',
    bytes: () =>
      makePptx([
        { title: '表紙', body: ['2024年 第1四半期'] },
        { title: '在庫の見通し', body: ['倉庫の在庫は七月に解消する見込み'], notes: '質疑では物流費の値上げに触れる' },
      ]),
    fileType: 'pptx',
    query: '物流費の値上げ',
    passage: /^在庫の見通し\n\n倉庫の在庫は七月に解消する見込み\n\nノート\n\n質疑では物流費の値上げに触れる$/,
    page: 2,
  },
];

describe('Markdown, HTML, CSV, XLSX and PPTX through the API', () => {
  let t: TestApp;
  let details: Map<string, ContentDetail>;

  before(async () => {
    t = await buildTestApp();
    const files = await Promise.all(cases.map(async (c) => ({ fileName: c.fileName, bytes: await c.bytes() })));
    details = await uploadAllAndProcess(t, t.a.admin.accessToken, files);
  });
  after(() => t?.close());

  for (const c of cases) {
    test(`${c.fileName}: completed as ${c.fileType}, and "${c.query}" finds it`, async () => {
      const detail = details.get(c.fileName)!;
      assert.equal(detail.status, 'completed', `${detail.failure_code}: ${detail.failure_reason}`);
      assert.equal(detail.file_type, c.fileType);
      const res = await t.request('POST', '/api/v1/search', { token: t.a.admin.accessToken, body: { query: c.query, top_k: 5 } });
      assert.equal(res.statusCode, 200, res.body);
      const best = (res.json() as SearchResponse).results[0];
      assert.ok(best, `nothing found for ${c.query}`);
      assert.equal(best.file_id, detail.id, `best result for ${c.query}: ${best.file_name}`);
      assert.match(best.chunk_text, c.passage);
      assert.equal(best.page_start, c.page);
    });

    test(`${c.fileName}: the chat answers "${c.query}" from it, citing it first`, async () => {
      const res = await t.request('POST', '/api/v1/chats/rag', { token: t.a.admin.accessToken, body: { query: c.query } });
      assert.equal(res.statusCode, 200, res.body);
      const answer = res.json() as ChatResponse;
      assert.equal(answer.sources[0]?.file_id, details.get(c.fileName)!.id, `first source for ${c.query}: ${answer.sources[0]?.file_name}`);
      assert.deepEqual([answer.sources[0]!.file_type, answer.sources[0]!.page], [c.fileType, c.page]);
      assert.match(answer.answer, /\[1\]/, 'the answer cites it');
    });
  }

  test('the CSV was read as Shift_JIS; the workbook and the slides count their sheets and slides as pages', () => {
    assert.equal(details.get('備品一覧.csv')!.encoding, 'shift_jis');
    assert.equal(details.get('価格表.xlsx')!.page_count, 3);
    assert.equal(details.get('四半期報告.pptx')!.page_count, 2);
  });

  test('the sheets read back as pages, each headed by its name', async () => {
    const token = t.a.admin.accessToken;
    const sheets = await t.request('GET', `/api/v1/contents/${details.get('価格表.xlsx')!.id}/pages`, { token });
    assert.equal(sheets.statusCode, 200, sheets.body);
    const pages = sheets.json() as { page: number; text: string }[];
    assert.deepEqual(pages.filter((p) => p.text).map((p) => [p.page, p.text.split('\n')[0]]), [[1, '価格表2024'], [2, '担当者']]);
  });

  test('an unsupported type is refused with the accepted types listed, in Japanese and English', async () => {
    const zip = Buffer.from('504b0506' + '00'.repeat(18), 'hex'); // an empty zip archive
    for (const [language, pattern] of [
      ['ja', /zip 圧縮ファイルで、Office 文書（\.docx、\.xlsx、\.pptx）ではありません/],
      ['en', /zip archive, not an Office document \(\.docx, \.xlsx, \.pptx\)/],
    ] as const) {
      const upload = await uploadWithLanguage(t, 'archive.zip', zip, language);
      assert.equal(upload.statusCode, 415, upload.body);
      assert.match(upload.json().detail, language === 'ja' ? /PDF、Word（\.docx）、Excel（\.xlsx）、PowerPoint（\.pptx）、CSV、テキスト（\.txt）、Markdown（\.md）、HTML/ : /PDF, Word \(\.docx\), Excel \(\.xlsx\), PowerPoint \(\.pptx\), CSV, plain text \(\.txt\), Markdown \(\.md\) or HTML/);
      const named = await uploadWithLanguage(t, 'archive.pptx', zip, language);
      assert.match(named.json().detail, pattern);
    }
  });
});

async function uploadWithLanguage(t: TestApp, fileName: string, bytes: Buffer, language: string) {
  const { body, contentType } = multipartBody([{ fileName, bytes }]);
  return t.request('POST', '/api/v1/contents/upload', { token: t.a.admin.accessToken, body, headers: { 'content-type': contentType, 'accept-language': language } });
}

/**
 * Markdown, HTML, CSV, XLSX and PPTX: generated files with Japanese content, read through
 * extractFile (the child process), and the Office zip limits applied to XLSX and PPTX as to DOCX.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { extractFile } from './index.js';
import { makeScratchFolder } from './test-support/fixture-files.js';
import { makePptx, makeXlsx } from './test-support/make-office.js';
import { rejectsWith } from './test-support/rejects-with.js';
import { buildZip } from './test-support/zip-writer.js';

type Scratch = Awaited<ReturnType<typeof makeScratchFolder>>;


const paragraphsOf = (text: string) => text.split('\n\n');

const MARKDOWN = `# 就業規則

## 第1条 目的

この規則は**社員**の[労働条件](https://example.com/rules)を定める。

- 勤務時間は 9 時から 18 時
- 休日は土日祝日
  1. 年末年始

| 項目 | 日数 |
|---|---|
| 年次有給休暇 | 20 |

\`\`\`
申請コマンド --all
\`\`\`
`;

const HTML_PAGE = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>交通費の精算 | サンプル株式会社</title>
<style>.menu { color: red }</style><script>window.tracking = "追跡コード";</script></head><body>
<header><a class="logo" href="/">サンプル株式会社</a><nav><ul><li><a href="/">ホーム</a></li><li><a href="/recruit">採用情報</a></li></ul></nav></header>
<div class="layout"><aside class="sidebar"><h3>関連ページ</h3><ul><li>出張規程</li></ul></aside>
<main><article><h1>交通費の精算</h1>
<p>交通費は月末までに経費システムで申請してください。領収書のない公共交通機関の運賃は、経路を書けば精算できます。</p>
<h2>タクシーの利用</h2><p>タクシーは深夜 22 時以降か、重い荷物があるときに限り利用できます。</p>
<table><tr><th>区分</th><th>上限</th></tr><tr><td>通勤</td><td>月 5 万円</td></tr></table>
</article></main></div>
<footer><p>© 2024 サンプル株式会社</p><a href="/privacy">プライバシーポリシー</a></footer></body></html>`;

describe('Markdown, HTML and CSV extraction', { concurrency: 2 }, () => {
  let scratch: Scratch;
  before(async () => {
    scratch = await makeScratchFolder();
  });
  after(() => scratch.cleanup());

  test('Markdown: headings stand alone as section starts, no markup reaches the text', async () => {
    const result = await extractFile(await scratch.write('rules.md', MARKDOWN), 'md');
    assert.equal(result.kind, 'md');
    assert.deepEqual(result.pages.map((page) => page.page), [1]);
    const text = result.pages[0]!.text;
    assert.deepEqual(paragraphsOf(text).slice(0, 3), ['就業規則', '第1条 目的', 'この規則は社員の労働条件を定める。']);
    assert.match(text, /^- 勤務時間は 9 時から 18 時\n- 休日は土日祝日\n {2}1\. 年末年始$/m);
    assert.match(text, /^項目 \| 日数\n年次有給休暇 \| 20$/m);
    assert.match(text, /^申請コマンド --all$/m);
    assert.doesNotMatch(text, /[#*]|\]\(|```/);
  });

  test('HTML: the main content only, title first; navigation, sidebar, footer and scripts are dropped', async () => {
    const result = await extractFile(await scratch.write('expenses.html', HTML_PAGE), 'html');
    const text = result.pages[0]!.text;
    assert.equal(paragraphsOf(text)[0], '交通費の精算 | サンプル株式会社');
    assert.match(text, /交通費は月末までに経費システムで申請してください。/);
    assert.match(text, /^タクシーの利用$/m);
    assert.match(text, /^通勤 \| 月 5 万円$/m);
    for (const furniture of ['採用情報', 'ホーム', '関連ページ', '出張規程', '©', 'プライバシーポリシー', '追跡コード', 'color: red']) {
      assert.ok(!text.includes(furniture), `"${furniture}" should be dropped:\n${text}`);
    }
  });

  test('CSV in Shift_JIS (as Excel saves it): each row with its headers, quoted commas and line breaks kept in their cell', async () => {
    const csv = '商品コード,商品名,価格,備考\r\nA-1,"りんご, 青森産",120,"冷蔵\r\n保管"\r\nA-2,みかん,80,\r\n\r\n';
    const result = await extractFile(await scratch.write('価格表.csv', iconv.encode(csv, 'cp932')), 'csv');
    assert.equal(result.encoding, 'shift_jis');
    assert.deepEqual(paragraphsOf(result.pages[0]!.text), [
      '商品コード | 商品名 | 価格 | 備考',
      '商品コード: A-1 | 商品名: りんご, 青森産 | 価格: 120 | 備考: 冷蔵 保管',
      '商品コード: A-2 | 商品名: みかん | 価格: 80',
    ]);
  });

  test('CSV in UTF-8 with a BOM, tab-separated, a column without a header named by its letter', async () => {
    const tsv = '\ufeff氏名\t部署\t\n山田太郎\t購買部\t内線 1234\n';
    const result = await extractFile(await scratch.write('staff.csv', tsv), 'csv');
    assert.equal(result.encoding, 'utf-8');
    assert.equal(paragraphsOf(result.pages[0]!.text)[1], '氏名: 山田太郎 | 部署: 購買部 | C: 内線 1234');
  });

  test('an HTML page without content and an empty CSV are NO_TEXT', async () => {
    const empty = await scratch.write('empty.html', '<html><body><nav>メニュー</nav><script>x()</script></body></html>');
    await assert.rejects(extractFile(empty, 'html'), rejectsWith('NO_TEXT', /no main content/));
    await assert.rejects(extractFile(await scratch.write('empty.csv', ',,\n,,\n'), 'csv'), rejectsWith('NO_TEXT', /CSV file is empty/));
  });
});

describe('XLSX and PPTX extraction', { concurrency: 2 }, () => {
  let scratch: Scratch;
  before(async () => {
    scratch = await makeScratchFolder();
  });
  after(() => scratch.cleanup());

  test('XLSX: a sheet per page named first, rows with their headers, cached formula results, merged cells, dates', async () => {
    const result = await extractFile(await scratch.write('価格表.xlsx', await makeXlsx()), 'xlsx');
    assert.equal(result.kind, 'xlsx');
    assert.equal(result.pageCount, 3);
    assert.deepEqual(result.pages.map((page) => page.page), [1, 2], 'the empty third sheet has no page');
    assert.deepEqual(paragraphsOf(result.pages[0]!.text), [
      '価格表2024',
      '2024年度 果物価格表',
      '分類 | 商品 | 単価 | 数量 | 金額 | 入荷日',
      '分類: 果物 | 商品: りんご | 単価: 120 | 数量: 3 | 金額: 360 | 入荷日: 2024-04-01',
      '分類: 果物 | 商品: みかん | 単価: 80 | 数量: 5 | 金額: 400 | 入荷日: 2024-04-02',
      '分類: 備考 | 商品: 産地直送、冷蔵で保管すること',
    ]);
    assert.deepEqual(paragraphsOf(result.pages[1]!.text), ['担当者', '氏名 | 部署 | 内線', '氏名: 山田太郎 | 部署: 購買部 | 内線: 1234']);
  });

  test('PPTX: slides in presentation order, title first, body, table and notes; slide numbers are not text', async () => {
    const pptx = makePptx([
      { title: '第1四半期の報告', body: ['売上は前年比 12% 増', 'Tokyo & Osaka'], table: [['地域', '売上'], ['東京', '1,200万円']], notes: '質疑では在庫の話を先にする' },
      { title: '画像だけのスライド' },
      { title: 'Next steps', body: ['Hire two engineers'], notes: 'Mention the budget' },
    ]);
    const result = await extractFile(await scratch.write('報告.pptx', pptx), 'pptx');
    assert.equal(result.pageCount, 3);
    assert.deepEqual(result.pages.map((page) => page.page), [1, 2, 3]);
    assert.deepEqual(paragraphsOf(result.pages[0]!.text), ['第1四半期の報告', '売上は前年比 12% 増\nTokyo & Osaka', '地域 | 売上\n東京 | 1,200万円', 'ノート', '質疑では在庫の話を先にする']);
    assert.equal(result.pages[1]!.text, '画像だけのスライド');
    assert.deepEqual(paragraphsOf(result.pages[2]!.text), ['Next steps', 'Hire two engineers', 'Notes', 'Mention the budget']);
  });

  test('XLSX and PPTX zip bombs are refused from the central directory', async () => {
    const bomb = { name: 'ppt/media/image1.png', data: Buffer.alloc(64 * 1024 * 1024) };
    const pptx = await scratch.write('bomb.pptx', makePptx([{ title: 'x' }], { extraEntries: [bomb] }));
    await assert.rejects(extractFile(pptx, 'pptx'), rejectsWith('TOO_LARGE', /PPTX file is compressed far more.*zip bomb/));
    const xlsx = await scratch.write('bomb.xlsx', minimalXlsxPackage([{ name: 'xl/media/image1.png', data: Buffer.alloc(64 * 1024 * 1024) }]));
    await assert.rejects(extractFile(xlsx, 'xlsx'), rejectsWith('TOO_LARGE', /XLSX file is compressed far more/));
  });

  test('entry counts, DTDs, nested archives and unpacked sizes are limited as for DOCX', async () => {
    const many = Array.from({ length: 60 }, (_, index) => ({ name: `customXml/item${index}.xml`, data: '<x/>' }));
    const crowded = await scratch.write('many.pptx', makePptx([{ title: 'x' }], { extraEntries: many }));
    await assert.rejects(extractFile(crowded, 'pptx', { maxZipEntries: 50 }), rejectsWith('TOO_LARGE', /more than 50 internal parts/));

    const laughs = minimalXlsxPackage([{ name: 'xl/sharedStrings.xml', data: '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><sst/>' }]);
    await assert.rejects(extractFile(await scratch.write('laughs.xlsx', laughs), 'xlsx'), rejectsWith('CORRUPT', /document type declaration/));

    const nested = await scratch.write('nested.pptx', makePptx([{ title: 'x' }], { extraEntries: [{ name: 'ppt/media/inner.zip', data: 'PK' }] }));
    await assert.rejects(extractFile(nested, 'pptx'), rejectsWith('CORRUPT', /another archive/));

    const big = await scratch.write('big.xlsx', await makeXlsx());
    await assert.rejects(extractFile(big, 'xlsx', { maxDecompressedBytes: 2000 }), rejectsWith('TOO_LARGE', /XLSX file expands to more than/));
  });

  test('sheet and slide counts are limited like PDF pages; the time limit applies', async () => {
    const slides = await scratch.write('slides.pptx', makePptx([{ title: '1' }, { title: '2' }, { title: '3' }]));
    await assert.rejects(extractFile(slides, 'pptx', { maxPages: 2 }), rejectsWith('TOO_LARGE', /3 slides, more than the limit of 2/));
    const sheets = await scratch.write('sheets.xlsx', await makeXlsx());
    await assert.rejects(extractFile(sheets, 'xlsx', { maxPages: 2 }), rejectsWith('TOO_LARGE', /3 sheets, more than the limit of 2/));
    await assert.rejects(extractFile(sheets, 'xlsx', { timeoutMs: 50 }), { code: 'TIMEOUT' });
  });

  test('a damaged workbook and a zip that is no presentation are CORRUPT', async () => {
    const broken = await scratch.write('broken.xlsx', minimalXlsxPackage([]));
    await assert.rejects(extractFile(broken, 'xlsx'), rejectsWith('CORRUPT', /Excel workbook structure is invalid|not a valid XLSX/));
    const notSlides = await scratch.write('not.pptx', buildZip([{ name: '[Content_Types].xml', data: '<Types/>' }]));
    await assert.rejects(extractFile(notSlides, 'pptx'), rejectsWith('CORRUPT', /PowerPoint presentation structure is invalid/));
  });
});

/** A package that claims to be a workbook, with nothing exceljs can read: enough for the zip guard. */
function minimalXlsxPackage(extra: { name: string; data: Buffer | string }[]): Buffer {
  return buildZip([
    { name: '[Content_Types].xml', data: '<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>' },
    { name: 'xl/workbook.xml', data: '<workbook>' },
    ...extra,
  ]);
}

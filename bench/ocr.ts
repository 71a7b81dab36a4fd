// OCR accuracy and speed on scans made here from known text: each page is rendered with Noto CJK
// (sans or serif) to an image, under three conditions (clean 300 dpi; 200 dpi; 200 dpi with 0.3 %
// of pixels grey specks and turned 1°), embedded as an image-only PDF page, and read by the extraction's OCR
// (pdf.js render at OCR_DPI → tesseract.js jpn+eng). Printed per page and per language:
//   CER      character error rate: edit distance / reference length, both NFKC with whitespace removed
//   s/page   render + recognition of the page, wall clock (the engine's start-up is printed apart)
//   cpu s    CPU time of the process (all threads) for the page: what the page costs on a busy machine
//
//   npm run bench:ocr                          # the trained data the extraction uses (4.0.0)
//   npm run bench:ocr -- --variant 4.0.0_best_int  # the other variant @tesseract.js-data ships (LSTM only, smaller)
//   npm run bench:ocr -- --dpi 200             # render scanned pages for OCR at another resolution
import { parseArgs } from 'node:util';
import { loadPdfjs } from '../src/modules/sources/extract/pdf/load-pdfjs.js';
import { startOcrEngine } from '../src/modules/sources/extract/pdf/ocr/ocr-engine.js';
import { ocrPages } from '../src/modules/sources/extract/pdf/ocr/ocr-pages.js';
import { TRAINED_DATA_VARIANT } from '../src/modules/sources/extract/pdf/ocr/trained-data.js';
import { makeScannedPdf, type ScanOptions } from '../src/modules/sources/extract/test-support/make-scanned-pdf.js';
import { defaultExtractionLimits } from '../src/modules/sources/extract/types.js';

const { values: args } = parseArgs({ options: { variant: { type: 'string' }, dpi: { type: 'string' } } });
const variant = args.variant ?? TRAINED_DATA_VARIANT;
const dpi = Number(args.dpi ?? defaultExtractionLimits.ocrDpi);

const texts: Array<{ name: string; language: 'ja' | 'en'; font: ScanOptions['font']; text: string }> = [
  {
    name: '契約書',
    language: 'ja',
    font: 'serif',
    text: [
      '業務委託契約書',
      '株式会社青葉商事（以下「甲」という。）と山本システム株式会社（以下「乙」という。）は、',
      '次のとおり業務委託契約を締結する。',
      '第1条（目的）甲は、乙に対し、販売管理システムの保守業務を委託し、乙はこれを受託する。',
      '第2条（契約期間）本契約の期間は、2026年4月1日から2027年3月31日までとする。',
      '第3条（委託料）甲は乙に対し、委託料として月額金四十五万円（税別）を支払う。',
      '第4条（秘密保持）乙は、本業務で知り得た甲の情報を第三者に開示してはならない。',
    ].join('\n'),
  },
  {
    name: '稟議書',
    language: 'ja',
    font: 'sans',
    text: [
      '稟議書　件名：営業部ノートパソコン更新の件',
      '申請部署：営業部　申請者：佐藤花子　申請日：2026年10月15日',
      '現在使用中のノートパソコン12台は導入から6年が経過し、故障が増えています。',
      'つきましては、下記のとおり更新を申請いたします。',
      '購入台数：12台　見積金額：1,680,000円（税込）　納期：11月末',
      'ご承認のほど、よろしくお願いいたします。',
    ].join('\n'),
  },
  {
    name: 'handbook',
    language: 'en',
    font: 'sans',
    text: [
      'Employee Handbook, Section 7: Travel and Expenses',
      'Employees travelling on company business are reimbursed for reasonable costs.',
      'Book flights through the travel desk at least fourteen days before departure.',
      'Hotel rates must not exceed 180 dollars per night without written approval.',
      'Submit receipts within 30 days; claims older than 90 days are not paid.',
    ].join('\n'),
  },
  {
    name: 'notice',
    language: 'en',
    font: 'serif',
    text: [
      'Notice of Annual General Meeting',
      'The annual general meeting of shareholders will be held on 24 June 2026',
      'at 10:00 a.m. in the Grand Hall, 3-1 Marunouchi, Chiyoda-ku, Tokyo.',
      'Shareholders who cannot attend may vote by post or online until 23 June.',
    ].join('\n'),
  },
];

const conditions: Array<{ name: string; scan: ScanOptions }> = [
  { name: 'clean 300dpi', scan: { dpi: 300 } },
  { name: 'clean 200dpi', scan: { dpi: 200 } },
  { name: 'specks+1° 200dpi', scan: { dpi: 200, noise: 0.003, rotateDeg: 1 } },
];

const squash = (text: string) => [...text.normalize('NFKC').replace(/\s+/g, '')];

function editDistance(a: string[], b: string[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

const { pdfjs, assets } = await loadPdfjs();
const started = performance.now();
const startCpu = process.cpuUsage();
const engine = await startOcrEngine(variant);
// The first read starts the tesseract worker: timed on a small page, apart from the measured ones.
const warmUp = await pdfjs.getDocument({ data: new Uint8Array(await makeScannedPdf(['準備 ready'])), ...assets, isEvalSupported: false }).promise;
await ocrPages(warmUp, [1], async () => true, { ...defaultExtractionLimits, ocrDpi: dpi }, engine);
const startUsage = process.cpuUsage(startCpu);
console.log(
  `trained data ${variant}, pages rendered at ${dpi} dpi; engine start + first page ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
    `${((startUsage.user + startUsage.system) / 1e6).toFixed(1)} s CPU\n`,
);
console.log('page                 condition           CER     s/page   cpu s');

const totals = new Map<string, { errors: number; length: number; seconds: number; cpu: number; pages: number }>();
for (const sample of texts) {
  for (const condition of conditions) {
    const pdf = await makeScannedPdf([sample.text], { ...condition.scan, font: sample.font, fontPt: 12 });
    const document = await pdfjs.getDocument({ data: new Uint8Array(pdf), ...assets, isEvalSupported: false }).promise;
    const pageStarted = performance.now();
    const pageCpu = process.cpuUsage();
    const { pages } = await ocrPages(document, [1], async () => true, { ...defaultExtractionLimits, ocrDpi: dpi, ocrPageTimeoutMs: 300_000 }, engine);
    const seconds = (performance.now() - pageStarted) / 1000;
    const used = process.cpuUsage(pageCpu);
    const cpu = (used.user + used.system) / 1e6;
    await document.destroy();
    const reference = squash(sample.text);
    const errors = editDistance(squash(pages[0]?.text ?? ''), reference);
    console.log(`${`${sample.name} (${sample.language}, ${sample.font})`.padEnd(21)}${condition.name.padEnd(20)}${((errors / reference.length) * 100).toFixed(1).padStart(5)} %${seconds.toFixed(1).padStart(8)}${cpu.toFixed(1).padStart(8)}`);
    for (const key of [`${sample.language} ${condition.name}`, `${sample.language} all`]) {
      const total = totals.get(key) ?? { errors: 0, length: 0, seconds: 0, cpu: 0, pages: 0 };
      totals.set(key, { errors: total.errors + errors, length: total.length + reference.length, seconds: total.seconds + seconds, cpu: total.cpu + cpu, pages: total.pages + 1 });
    }
  }
}
console.log('\nlanguage, condition              CER     s/page   cpu s');
for (const [key, total] of [...totals].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${key.padEnd(30)}${((total.errors / total.length) * 100).toFixed(1).padStart(6)} %${(total.seconds / total.pages).toFixed(1).padStart(8)}${(total.cpu / total.pages).toFixed(1).padStart(8)}`);
}
await engine.close();

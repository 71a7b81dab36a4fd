import { ExtractionError, corruptFile, describeCause, formatBytes, tooLarge } from '../errors.js';
import type { Text } from '../../../../http/language.js';
import type { ExtractionLimits } from '../types.js';
import { EntryTooLargeError, forEachInflatedChunk, isUnsafeEntryNameError, openZip } from './zip-reading.js';
import type { ZipEntry, ZipFile } from './zip-reading.js';

/** The Office format a zip is checked as: the words its messages use and where it keeps embedded objects. */
export interface OfficeFormat {
  /** 'DOCX', 'XLSX', 'PPTX': how the file is named in messages. */
  label: string;
  /** 'Word 文書' / 'a Word document'. */
  document: Text;
  /** Office keeps embedded OLE packages (an Excel sheet in a report) here; we never open them. */
  embeddingsFolder: string;
}

export const officeFormats = {
  docx: { label: 'DOCX', document: { ja: 'Word 文書', en: 'a Word document' }, embeddingsFolder: 'word/embeddings/' },
  xlsx: { label: 'XLSX', document: { ja: 'Excel ブック', en: 'an Excel workbook' }, embeddingsFolder: 'xl/embeddings/' },
  pptx: { label: 'PPTX', document: { ja: 'PowerPoint プレゼンテーション', en: 'a PowerPoint presentation' }, embeddingsFolder: 'ppt/embeddings/' },
} satisfies Record<string, OfficeFormat>;

/**
 * Ratio above which a large entry is treated as a zip bomb. Office XML compresses 5–30×;
 * a bomb of zeros compresses ~1000×.
 */
const MAX_COMPRESSION_RATIO = 200;
/** Entries smaller than this are never bombs, whatever their ratio (tiny XML compresses well too). */
const RATIO_CHECK_MIN_BYTES = 1024 * 1024;
const ARCHIVE_EXTENSIONS = /\.(zip|jar|7z|rar|gz|tgz|tar|bz2|xz|docx|xlsx|pptx|docm|xlsm|pptm)$/i;
/** Images and embedded objects: binary, never parsed as XML (an SVG may rightly carry a DOCTYPE). */
const BINARY_FOLDER = /(^|\/)(media|embeddings)\//;
/** DTDs are how entity-expansion attacks (billion laughs, external entities) get in; Office never writes one. */
const DTD_MARKERS = ['<!DOCTYPE', '<!ENTITY'];

/**
 * Inspects an Office file's zip (DOCX, XLSX, PPTX) before any parser sees it: entry count, declared sizes and
 * compression ratios (from the central directory, before inflating anything), unsafe names
 * (zip slip), nested archives; then inflates every entry as a stream — nothing is kept in
 * memory — to check it is really the size it declares, and that no part meant for the XML
 * parser declares a DTD. Whichever part the relationships make the reader open, it has been
 * checked. Throws an ExtractionError (TOO_LARGE or CORRUPT) on the first problem.
 */
export async function assertSafeOfficeZip(filePath: string, limits: ExtractionLimits, format: OfficeFormat): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await openZip(filePath);
  } catch (error) {
    throw explainZipError(error, format);
  }
  try {
    if (zip.entryCount > limits.maxZipEntries) throw tooManyEntries(limits, format);
    const entries = await checkCentralDirectory(zip, limits, format);
    for (const entry of entries) await inflateAndInspect(zip, entry, limits, format);
  } catch (error) {
    throw explainZipError(error, format);
  } finally {
    zip.close();
  }
}

async function checkCentralDirectory(zip: ZipFile, limits: ExtractionLimits, format: OfficeFormat): Promise<ZipEntry[]> {
  const files: ZipEntry[] = [];
  let entries = 0;
  let declaredTotal = 0;
  for await (const entry of zip.eachEntry()) {
    entries += 1;
    if (entries > limits.maxZipEntries) throw tooManyEntries(limits, format);
    if (entry.fileName.endsWith('/')) continue;
    declaredTotal += entry.uncompressedSize;
    if (entry.uncompressedSize > limits.maxDecompressedBytes || declaredTotal > limits.maxDecompressedBytes) {
      throw tooLargeWhenUnpacked(limits.maxDecompressedBytes, format, `declared ${declaredTotal} bytes by ${entry.fileName}`);
    }
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize >= RATIO_CHECK_MIN_BYTES && ratio > MAX_COMPRESSION_RATIO) {
      throw tooLarge(
        { ja: `この ${format.label} ファイルは実際の文書ではありえないほど高く圧縮されています（zip 爆弾の可能性）。処理しませんでした。`, en: `This ${format.label} file is compressed far more than a real document can be (a possible "zip bomb"); it was not processed.` },
        `${entry.fileName}: ${entry.compressedSize} -> ${entry.uncompressedSize} bytes (ratio ${Math.round(ratio)})`,
      );
    }
    if (ARCHIVE_EXTENSIONS.test(entry.fileName) && !entry.fileName.startsWith(format.embeddingsFolder)) {
      throw corruptFile({ ja: `${format.document.ja}にはない、別の圧縮ファイルが中に含まれています`, en: `it contains another archive inside it, which ${format.document.en} does not` }, entry.fileName);
    }
    files.push(entry);
  }
  return files;
}

/**
 * Inflates one entry as a stream. yauzl fails it if it inflates to more or less than it
 * declares (a lying header); parts outside media/embeddings are searched for DTD markers.
 */
async function inflateAndInspect(zip: ZipFile, entry: ZipEntry, limits: ExtractionLimits, format: OfficeFormat): Promise<void> {
  const searchForDtd = !BINARY_FOLDER.test(entry.fileName);
  let carry = '';
  await forEachInflatedChunk(zip, entry, limits.maxDecompressedBytes, (chunk) => {
    if (!searchForDtd) return;
    // NULs are dropped so that UTF-16 parts are searched too; the carry catches markers split across chunks.
    const text = carry + chunk.toString('latin1').replace(/\0/g, '');
    const marker = DTD_MARKERS.find((m) => text.includes(m));
    if (marker) {
      throw corruptFile(
        { ja: `${format.document.ja}では使われない文書型宣言を含む XML があります（攻撃の可能性があります）`, en: `it contains XML with a document type declaration, which Office files never use (it could be an attack)` },
        `${marker} in ${entry.fileName}`,
      );
    }
    carry = text.slice(-16);
  });
}

function tooManyEntries(limits: ExtractionLimits, format: OfficeFormat): ExtractionError {
  return tooLarge(
    {
      ja: `この ${format.label} ファイルには内部パートが ${limits.maxZipEntries.toLocaleString('en-US')} 個を超えてあり、実際の文書よりはるかに多いため処理しませんでした。`,
      en: `This ${format.label} file contains more than ${limits.maxZipEntries.toLocaleString('en-US')} internal parts, far more than a real document; it was not processed.`,
    },
  );
}

function tooLargeWhenUnpacked(maxBytes: number, format: OfficeFormat, detail: string): ExtractionError {
  return tooLarge(
    {
      ja: `この ${format.label} ファイルは展開すると ${formatBytes(maxBytes)} を超えます（zip 爆弾の可能性）。処理しませんでした。`,
      en: `This ${format.label} file expands to more than ${formatBytes(maxBytes)} when unpacked (a possible "zip bomb"); it was not processed.`,
    },
    detail,
  );
}

function explainZipError(error: unknown, format: OfficeFormat): ExtractionError {
  if (error instanceof ExtractionError) return error;
  if (isUnsafeEntryNameError(error)) {
    return corruptFile({ ja: '文書の外を指すファイル名が含まれています（zip slip）', en: 'it contains a file name that points outside the document (zip slip)' }, describeCause(error));
  }
  if (error instanceof EntryTooLargeError) return tooLargeWhenUnpacked(error.maxBytes, format, error.message);
  if (/too many bytes in the stream|not enough bytes in the stream/.test(describeCause(error))) {
    return corruptFile({ ja: '中のパートの大きさが圧縮ファイルの記録と一致しません', en: 'a part inside it is not the size the archive says it is' }, describeCause(error));
  }
  return corruptFile({ ja: `正しい ${format.label}（zip）形式ではありません`, en: `it is not a valid ${format.label} (zip) archive` }, describeCause(error));
}

import { ExtractionError, corruptFile, describeCause, tooLarge } from '../errors.js';
import type { ExtractionLimits } from '../types.js';
import { EntryTooLargeError, forEachInflatedChunk, isUnsafeEntryNameError, openZip } from './zip-reading.js';
import type { ZipEntry, ZipFile } from './zip-reading.js';

/**
 * Ratio above which a large entry is treated as a zip bomb. Word's XML compresses 5–30×;
 * a bomb of zeros compresses ~1000×.
 */
const MAX_COMPRESSION_RATIO = 200;
/** Entries smaller than this are never bombs, whatever their ratio (tiny XML compresses well too). */
const RATIO_CHECK_MIN_BYTES = 1024 * 1024;
const ARCHIVE_EXTENSIONS = /\.(zip|jar|7z|rar|gz|tgz|tar|bz2|xz|docx|xlsx|pptx|docm|xlsm|pptm)$/i;
/** Office keeps embedded OLE packages (an Excel sheet in a report) here; we never open them. */
const EMBEDDINGS_FOLDER = 'word/embeddings/';
const XML_PART = /(\.xml|\.rels)$/i;
/** DTDs are how entity-expansion attacks (billion laughs, external entities) get in; Word never writes one. */
const DTD_MARKERS = ['<!DOCTYPE', '<!ENTITY'];

/**
 * Inspects a DOCX's zip before any parser sees it: entry count, declared and real inflated
 * sizes, compression ratios, unsafe names (zip slip), nested archives, and DTDs in XML parts.
 * Throws an ExtractionError (TOO_LARGE or CORRUPT) on the first problem.
 */
export async function assertSafeDocxZip(filePath: string, limits: ExtractionLimits): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await openZip(filePath);
  } catch (error) {
    throw explainZipError(error);
  }
  try {
    if (zip.entryCount > limits.maxZipEntries) throw tooManyEntries(limits);
    const xmlParts = await checkCentralDirectory(zip, limits);
    for (const entry of xmlParts) await assertNoDtd(zip, entry, limits);
  } catch (error) {
    throw explainZipError(error);
  } finally {
    zip.close();
  }
}

async function checkCentralDirectory(zip: ZipFile, limits: ExtractionLimits): Promise<ZipEntry[]> {
  const xmlParts: ZipEntry[] = [];
  let entries = 0;
  let declaredTotal = 0;
  for await (const entry of zip.eachEntry()) {
    entries += 1;
    if (entries > limits.maxZipEntries) throw tooManyEntries(limits);
    if (entry.fileName.endsWith('/')) continue;
    declaredTotal += entry.uncompressedSize;
    if (entry.uncompressedSize > limits.maxDecompressedBytes || declaredTotal > limits.maxDecompressedBytes) {
      throw tooLargeWhenUnpacked(limits.maxDecompressedBytes, `declared ${declaredTotal} bytes by ${entry.fileName}`);
    }
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize >= RATIO_CHECK_MIN_BYTES && ratio > MAX_COMPRESSION_RATIO) {
      throw tooLarge(
        'This DOCX file is compressed far more than a real document can be (a possible "zip bomb"); it was not processed.',
        `${entry.fileName}: ${entry.compressedSize} -> ${entry.uncompressedSize} bytes (ratio ${Math.round(ratio)})`,
      );
    }
    if (ARCHIVE_EXTENSIONS.test(entry.fileName) && !entry.fileName.startsWith(EMBEDDINGS_FOLDER)) {
      throw corruptFile('it contains another archive inside it, which a Word document does not', entry.fileName);
    }
    if (XML_PART.test(entry.fileName)) xmlParts.push(entry);
  }
  return xmlParts;
}

/** Streams one XML part and refuses it if it declares a DTD; the real inflated size is counted too. */
async function assertNoDtd(zip: ZipFile, entry: ZipEntry, limits: ExtractionLimits): Promise<void> {
  let carry = '';
  await forEachInflatedChunk(zip, entry, limits.maxDecompressedBytes, (chunk) => {
    // NULs are dropped so that UTF-16 parts are searched too; the carry catches markers split across chunks.
    const text = carry + chunk.toString('latin1').replace(/\0/g, '');
    const marker = DTD_MARKERS.find((m) => text.includes(m));
    if (marker) {
      throw corruptFile(
        'it contains XML with a document type declaration, which Word documents never use (it could be an attack)',
        `${marker} in ${entry.fileName}`,
      );
    }
    carry = text.slice(-16);
  });
}

function tooManyEntries(limits: ExtractionLimits): ExtractionError {
  return tooLarge(
    `This DOCX file contains more than ${limits.maxZipEntries.toLocaleString('en-US')} internal parts, far more than a real document; it was not processed.`,
  );
}

function tooLargeWhenUnpacked(maxBytes: number, detail: string): ExtractionError {
  const megabytes = Math.round(maxBytes / (1024 * 1024));
  return tooLarge(
    `This DOCX file expands to more than ${megabytes} MB when unpacked (a possible "zip bomb"); it was not processed.`,
    detail,
  );
}

function explainZipError(error: unknown): ExtractionError {
  if (error instanceof ExtractionError) return error;
  if (isUnsafeEntryNameError(error)) {
    return corruptFile('it contains a file name that points outside the document (zip slip)', describeCause(error));
  }
  if (error instanceof EntryTooLargeError) return tooLargeWhenUnpacked(error.maxBytes, error.message);
  return corruptFile('it is not a valid DOCX (zip) archive', describeCause(error));
}

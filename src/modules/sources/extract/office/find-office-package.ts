import { defaultExtractionLimits } from '../types.js';
import { openZip, readEntryBytes } from './zip-reading.js';
import type { ZipEntry, ZipFile } from './zip-reading.js';

export type ZipPackageKind = 'word' | 'excel' | 'powerpoint' | 'other' | 'unreadable';

const CONTENT_TYPES = '[Content_Types].xml';
const MAX_CONTENT_TYPES_BYTES = 1024 * 1024;
const WORD_MAIN = /wordprocessingml\.(document|template)\.main\+xml/;

/**
 * Which Office package a zip is, from its parts: [Content_Types].xml must exist, and the
 * main part must be WordprocessingML (word/document.xml, or the part the content types name),
 * SpreadsheetML (xl/workbook.xml) or PresentationML (ppt/presentation.xml).
 * Reads the central directory and at most 1 MB of [Content_Types].xml, so it is safe to run
 * on a zip bomb.
 */
export async function findOfficePackage(filePath: string): Promise<ZipPackageKind> {
  let zip: ZipFile;
  try {
    zip = await openZip(filePath);
  } catch {
    return 'unreadable';
  }
  try {
    const names = new Map<string, ZipEntry>();
    let seen = 0;
    for await (const entry of zip.eachEntry()) {
      if (++seen > defaultExtractionLimits.maxZipEntries) break;
      names.set(entry.fileName, entry);
    }
    const contentTypesEntry = names.get(CONTENT_TYPES);
    if (!contentTypesEntry) return 'other';
    if (names.has('word/document.xml')) return 'word';
    const contentTypes = (await readEntryBytes(zip, contentTypesEntry, MAX_CONTENT_TYPES_BYTES)).toString('utf8');
    if (WORD_MAIN.test(contentTypes)) return 'word';
    if (names.has('xl/workbook.xml') || /spreadsheetml/.test(contentTypes)) return 'excel';
    if (names.has('ppt/presentation.xml') || /presentationml/.test(contentTypes)) return 'powerpoint';
    return 'other';
  } catch {
    return 'unreadable';
  } finally {
    zip.close();
  }
}

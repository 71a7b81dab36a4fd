import yauzl from 'yauzl';

export type ZipEntry = yauzl.Entry;
export type ZipFile = yauzl.ZipFile;

/**
 * Opens a zip through its central directory only; nothing is decompressed until asked.
 * yauzl checks every name for absolute paths and `..` segments (zip slip) as it reads the
 * directory, and that entries inflate to exactly the size they declare.
 */
export function openZip(filePath: string): Promise<ZipFile> {
  return yauzl.openPromise(filePath, {
    lazyEntries: true,
    autoClose: false,
    decodeStrings: true,
    validateEntrySizes: true,
    strictFileNames: false,
  });
}

/** Calls `visit` for each chunk of the entry's inflated bytes, stopping with an error past `maxBytes`. */
export async function forEachInflatedChunk(
  zip: ZipFile,
  entry: ZipEntry,
  maxBytes: number,
  visit: (chunk: Buffer) => void,
): Promise<number> {
  const stream = await zip.openReadStreamPromise(entry);
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw new EntryTooLargeError(entry.fileName, maxBytes);
      visit(chunk);
    }
  } finally {
    stream.destroy();
  }
  return total;
}

/** Inflates one small entry into memory (e.g. `[Content_Types].xml`), refusing more than `maxBytes`. */
export async function readEntryBytes(zip: ZipFile, entry: ZipEntry, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await forEachInflatedChunk(zip, entry, maxBytes, (chunk) => chunks.push(chunk));
  return Buffer.concat(chunks);
}

export class EntryTooLargeError extends Error {
  constructor(
    readonly entryName: string,
    readonly maxBytes: number,
  ) {
    super(`zip entry ${entryName} inflates to more than ${maxBytes} bytes`);
  }
}

/** The error messages yauzl uses for names that would escape the extraction folder. */
export function isUnsafeEntryNameError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /^(absolute path|invalid relative path|invalid characters in fileName)/.test(message);
}

import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileTypeExtensions } from '../../../db/enums.js';
import { findOfficePackage } from './office/find-office-package.js';
import { decodeWith, detectTextEncoding } from './txt/detect-encoding.js';
import type { Text } from '../../../http/language.js';
import type { FileKind } from './types.js';

export interface FileTypeVerdict {
  kind: FileKind | null;
  /** Why the file is refused, in words for the uploader; set when `kind` is null. */
  reason?: Text;
}

/** Text kinds are told apart by name (text has no signature), binary ones by content. */
const KIND_OF_EXTENSION = new Map(Object.entries(fileTypeExtensions).flatMap(([kind, names]) => names.map((name) => [name, kind as FileKind])));
const TEXT_KINDS: ReadonlySet<FileKind> = new Set(['txt', 'md', 'html', 'csv']);
/** What an extension-less HTML file starts with (after a BOM and white space). */
const HTML_START = /^\s*(<!doctype html|<html[\s>])/i;
const HEAD_BYTES = 8192;
/** PDF readers accept junk before the header (mail gateways add some); pdf.js looks this far. */
const PDF_HEADER_WINDOW = 1024;
/** The accepted types, as the 415 message lists them (the upload route and the dashboard say the same). */
export const ACCEPTED_TYPES: Text = {
  ja: 'PDF、Word（.docx）、Excel（.xlsx）、PowerPoint（.pptx）、CSV、テキスト（.txt）、Markdown（.md）、HTML',
  en: 'PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), CSV, plain text (.txt), Markdown (.md) or HTML',
};
const UNSUPPORTED: Text = {
  ja: `この種類のファイルには対応していません。${ACCEPTED_TYPES.ja}のファイルをアップロードしてください。`,
  en: `This file type is not supported; upload a ${ACCEPTED_TYPES.en} file.`,
};
const image = (format: string): Text => ({ ja: `これは画像（${format}）です。文字認識（OCR）にはまだ対応していません。`, en: `This is an image (${format}); text recognition (OCR) is not supported yet.` });
const program: Text = { ja: 'これはプログラムで、文書ではありません。', en: 'This is a program, not a document.' };

const KNOWN_BINARY: { magic: number[]; reason: Text }[] = [
  { magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], reason: { ja: '古い形式の Office ファイル（.doc、.xls、.ppt）です。.docx、.xlsx、.pptx か PDF で保存し直してからアップロードしてください。', en: 'This is an old-format Office file (.doc, .xls, .ppt); save it as .docx, .xlsx, .pptx or PDF and upload it again.' } },
  { magic: [0x89, 0x50, 0x4e, 0x47], reason: image('PNG') },
  { magic: [0xff, 0xd8, 0xff], reason: image('JPEG') },
  { magic: [0x47, 0x49, 0x46, 0x38], reason: image('GIF') },
  { magic: [0x4d, 0x5a], reason: program },
  { magic: [0x7f, 0x45, 0x4c, 0x46], reason: program },
];

/**
 * Decides a file's type from its content, cross-checked with the uploaded name.
 * - The content decides: a PDF named .docx is read as a PDF. Names lie more often than bytes
 *   (a mail client renaming an attachment), and the content is what the parser will see.
 * - The name must still claim one of our types (.pdf, .docx, .xlsx, .pptx, .txt, .md, .html,
 *   .csv) or have no extension: a valid PDF named .exe or .png is refused, as is anything whose
 *   content is not ours.
 * - Text has no signature, so the name tells TXT, Markdown, HTML and CSV apart, and only when
 *   the content decodes as text; an HTML error page saved as .pdf is refused. An extension-less
 *   text that starts like an HTML page is HTML, other extension-less text is TXT.
 * - A zip is a DOCX, XLSX or PPTX by its [Content_Types].xml and main part, whatever its name
 *   among ours says.
 * @example await inspectFileType('/tmp/upload-1', '規程.pdf') // { kind: 'pdf' }; { kind: null, reason } → refuse the upload with `reason`
 */
export async function inspectFileType(filePath: string, originalName: string): Promise<FileTypeVerdict> {
  const extension = extname(originalName).slice(1).toLowerCase();
  const named = KIND_OF_EXTENSION.get(extension);
  if (extension !== '' && !named) return { kind: null, reason: UNSUPPORTED };
  const { head, size } = await readHead(filePath);

  if (size === 0) {
    // An empty text file is read, so that extraction says NO_TEXT in its own words.
    return named === undefined || TEXT_KINDS.has(named) ? { kind: named ?? 'txt' } : { kind: null, reason: { ja: 'ファイルが空です。', en: 'The file is empty.' } };
  }
  if (Buffer.from(head.subarray(0, PDF_HEADER_WINDOW)).includes('%PDF-')) return { kind: 'pdf' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    return inspectZip(filePath, named);
  }
  const binary = KNOWN_BINARY.find(({ magic }) => startsWith(head, magic));
  if (binary) return { kind: null, reason: binary.reason };
  const encoding = detectTextEncoding(head, size > head.length);
  if (encoding) {
    if (named && TEXT_KINDS.has(named)) return { kind: named };
    if (!named) return { kind: HTML_START.test(decodeWith(head.subarray(encoding.bomLength), encoding.encoding)) ? 'html' : 'txt' };
    return { kind: null, reason: {
        ja: `このファイルは .${extension} という名前ですが、中身は ${extension.toUpperCase()} 文書ではなくテキストです。`,
        en: `This file is named .${extension} but contains plain text, not a ${extension.toUpperCase()} document.`,
      }, };
  }
  return { kind: null, reason: UNSUPPORTED };
}

const OFFICE_KINDS = { word: 'docx', excel: 'xlsx', powerpoint: 'pptx' } as const;

async function inspectZip(filePath: string, named: FileKind | undefined): Promise<FileTypeVerdict> {
  const found = await findOfficePackage(filePath);
  if (found === 'word' || found === 'excel' || found === 'powerpoint') return { kind: OFFICE_KINDS[found] };
  // A .docx/.xlsx/.pptx whose zip cannot even be opened is a damaged Office file: let extraction say so clearly.
  const office = named === 'docx' || named === 'xlsx' || named === 'pptx';
  if (found === 'unreadable') return office ? { kind: named } : { kind: null, reason: UNSUPPORTED };
  return { kind: null, reason: { ja: 'これは zip 圧縮ファイルで、Office 文書（.docx、.xlsx、.pptx）ではありません。', en: 'This is a zip archive, not an Office document (.docx, .xlsx, .pptx).' } };
}

async function readHead(filePath: string): Promise<{ head: Uint8Array; size: number }> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { head: buffer.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

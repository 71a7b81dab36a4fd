import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { findWordMainPart } from './docx/find-word-main-part.js';
import { detectTextEncoding } from './txt/detect-encoding.js';
import type { Text } from '../../../http/language.js';
import type { FileKind } from './types.js';

export interface FileTypeVerdict {
  kind: FileKind | null;
  /** Why the file is refused, in words for the uploader; set when `kind` is null. */
  reason?: Text;
}

const SUPPORTED_EXTENSIONS = new Set(['pdf', 'docx', 'txt']);
const HEAD_BYTES = 8192;
/** PDF readers accept junk before the header (mail gateways add some); pdf.js looks this far. */
const PDF_HEADER_WINDOW = 1024;
const UNSUPPORTED: Text = {
  ja: 'この種類のファイルには対応していません。PDF、Word（.docx）、テキストファイルをアップロードしてください。',
  en: 'This file type is not supported; upload a PDF, Word (.docx) or plain text file.',
};
const image = (format: string): Text => ({ ja: `これは画像（${format}）です。文字認識（OCR）にはまだ対応していません。`, en: `This is an image (${format}); text recognition (OCR) is not supported yet.` });
const program: Text = { ja: 'これはプログラムで、文書ではありません。', en: 'This is a program, not a document.' };

const KNOWN_BINARY: { magic: number[]; reason: Text }[] = [
  { magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], reason: { ja: '古い形式の Office ファイル（.doc、.xls）です。.docx か PDF で保存し直してからアップロードしてください。', en: 'This is an old-format Office file (.doc, .xls); save it as .docx or PDF and upload it again.' } },
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
 * - The name must still claim one of our types (.pdf, .docx, .txt) or have no extension: a
 *   valid PDF named .exe or .png is refused, as is anything whose content is not ours.
 * - Plain text has no signature, so it is accepted only from a .txt (or extension-less) name
 *   and only when it decodes as text; an HTML error page saved as .pdf is refused.
 * - A zip is a DOCX only with [Content_Types].xml and a WordprocessingML main part.
 * @example await inspectFileType('/tmp/upload-1', '規程.pdf') // { kind: 'pdf' }; { kind: null, reason } → refuse the upload with `reason`
 */
export async function inspectFileType(filePath: string, originalName: string): Promise<FileTypeVerdict> {
  const extension = extname(originalName).slice(1).toLowerCase();
  if (extension !== '' && !SUPPORTED_EXTENSIONS.has(extension)) return { kind: null, reason: UNSUPPORTED };
  const { head, size } = await readHead(filePath);

  if (size === 0) {
    return extension === 'txt' || extension === '' ? { kind: 'txt' } : { kind: null, reason: { ja: 'ファイルが空です。', en: 'The file is empty.' } };
  }
  if (Buffer.from(head.subarray(0, PDF_HEADER_WINDOW)).includes('%PDF-')) return { kind: 'pdf' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    return inspectZip(filePath, extension);
  }
  const binary = KNOWN_BINARY.find(({ magic }) => startsWith(head, magic));
  if (binary) return { kind: null, reason: binary.reason };
  if (detectTextEncoding(head, size > head.length)) {
    if (extension === 'txt' || extension === '') return { kind: 'txt' };
    return { kind: null, reason: {
        ja: `このファイルは .${extension} という名前ですが、中身は ${extension.toUpperCase()} 文書ではなくテキストです。`,
        en: `This file is named .${extension} but contains plain text, not a ${extension.toUpperCase()} document.`,
      }, };
  }
  return { kind: null, reason: UNSUPPORTED };
}

async function inspectZip(filePath: string, extension: string): Promise<FileTypeVerdict> {
  const found = await findWordMainPart(filePath);
  if (found === 'word') return { kind: 'docx' };
  // A .docx whose zip cannot even be opened is a damaged Word file: let extraction say so clearly.
  if (found === 'unreadable') return extension === 'docx' ? { kind: 'docx' } : { kind: null, reason: UNSUPPORTED };
  if (found === 'excel') return { kind: null, reason: { ja: 'これは Excel ファイルです。PDF、Word（.docx）、テキストファイルをアップロードしてください。', en: 'This is an Excel file; upload a PDF, Word (.docx) or plain text file.' } };
  if (found === 'powerpoint') return { kind: null, reason: { ja: 'これは PowerPoint ファイルです。PDF に書き出してからアップロードしてください。', en: 'This is a PowerPoint file; export it as PDF and upload that.' } };
  return { kind: null, reason: { ja: 'これは zip 圧縮ファイルで、Word（.docx）文書ではありません。', en: 'This is a zip archive, not a Word (.docx) document.' } };
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

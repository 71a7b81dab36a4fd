import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';

/** Labels as reported in ExtractionResult.encoding (WHATWG names where one exists). */
export type TextEncodingLabel =
  | 'utf-8'
  | 'utf-16le'
  | 'utf-16be'
  | 'shift_jis'
  | 'euc-jp'
  | 'iso-2022-jp'
  | 'windows-1252';

export interface DetectedEncoding {
  encoding: TextEncodingLabel;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
}

/** Share of characters that must look like text for a guess (UTF-16 without BOM, legacy code pages) to be accepted. */
const MIN_PLAUSIBLE_SHARE = 0.97;

/**
 * Works out how `bytes` are encoded, or returns null when they are not text (binary data).
 * `isPrefix` says the bytes are only the start of a file, so a character cut at the end is fine.
 * Example: detectTextEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x41])) → { encoding: 'utf-8', bomLength: 3 }
 */
export function detectTextEncoding(bytes: Uint8Array, isPrefix = false): DetectedEncoding | null {
  const bom = detectByteOrderMark(bytes);
  if (bom) return bom;
  if (bytes.includes(0)) return detectUtf16WithoutBom(bytes);
  if (isIso2022Jp(bytes)) return { encoding: 'iso-2022-jp', bomLength: 0 };
  if (isValidUtf8(bytes, isPrefix)) return { encoding: 'utf-8', bomLength: 0 };
  return detectLegacyCodePage(bytes);
}

function detectByteOrderMark(bytes: Uint8Array): DetectedEncoding | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return null;
}

/**
 * NUL bytes in text mean UTF-16 (ASCII and line breaks get a zero high byte). Japanese text
 * has few of them, so instead of counting NULs both byte orders are decoded and the one that
 * reads as text wins; binary files read as neither.
 */
function detectUtf16WithoutBom(bytes: Uint8Array): DetectedEncoding | null {
  const candidates = (['utf-16le', 'utf-16be'] as const).map((encoding) => ({
    encoding,
    share: plausibleTextShare(decodeWith(bytes.subarray(0, bytes.length - (bytes.length % 2)), encoding)),
  }));
  const best = candidates.sort((a, b) => b.share - a.share)[0];
  return best && best.share >= MIN_PLAUSIBLE_SHARE ? { encoding: best.encoding, bomLength: 0 } : null;
}

/** ISO-2022-JP is 7-bit: only ASCII bytes, with ESC sequences switching to JIS X 0208. */
function isIso2022Jp(bytes: Uint8Array): boolean {
  let sawJisEscape = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) return false;
    if (byte === 0x1b && bytes[i + 1] === 0x24 && (bytes[i + 2] === 0x42 || bytes[i + 2] === 0x40)) sawJisEscape = true;
  }
  return sawJisEscape;
}

function isValidUtf8(bytes: Uint8Array, isPrefix: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: isPrefix });
    return true;
  } catch {
    return false;
  }
}

/**
 * Shift_JIS (CP932) and EUC-JP overlap, so both are decoded and scored: EUC-JP read as
 * Shift_JIS turns into half-width katakana, Shift_JIS read as EUC-JP into replacement
 * characters. Windows-1252 is the last resort for Western text from old Windows tools.
 */
function detectLegacyCodePage(bytes: Uint8Array): DetectedEncoding | null {
  const japanese = (['shift_jis', 'euc-jp'] as const)
    .map((encoding) => ({ encoding, text: decodeWith(bytes, encoding) }))
    .map(({ encoding, text }) => ({
      encoding,
      share: plausibleTextShare(text),
      oddity: japaneseOddity(text),
      replacements: replacementShare(text),
    }))
    .sort((a, b) => a.oddity - b.oddity);
  const best = japanese[0];
  // A real Shift_JIS/EUC-JP file decodes (almost) without replacement characters.
  if (best && best.share >= MIN_PLAUSIBLE_SHARE && best.replacements <= 0.002) return { encoding: best.encoding, bomLength: 0 };
  if (plausibleTextShare(decodeWith(bytes, 'windows-1252')) >= MIN_PLAUSIBLE_SHARE) {
    return { encoding: 'windows-1252', bomLength: 0 };
  }
  return null;
}

/** Decodes with the given label; the label set is the one detectTextEncoding reports. */
export function decodeWith(bytes: Uint8Array, encoding: TextEncodingLabel): string {
  switch (encoding) {
    case 'utf-8':
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    case 'utf-16le':
      return iconv.decode(Buffer.from(bytes), 'utf-16le', { stripBOM: false });
    case 'utf-16be':
      return iconv.decode(Buffer.from(bytes), 'utf-16be', { stripBOM: false });
    case 'shift_jis':
      // CP932 rather than strict Shift_JIS: Windows files use its NEC/IBM extensions (①, 髙).
      return iconv.decode(Buffer.from(bytes), 'cp932');
    case 'euc-jp':
      return iconv.decode(Buffer.from(bytes), 'eucjp');
    case 'windows-1252':
      return iconv.decode(Buffer.from(bytes), 'windows-1252');
    case 'iso-2022-jp':
      return decodeIso2022Jp(bytes);
  }
}

/** iconv-lite has no ISO-2022-JP; encoding-japanese has (Node's own decoder needs a full-ICU build). */
function decodeIso2022Jp(bytes: Uint8Array): string {
  return Encoding.convert(bytes, { to: 'UNICODE', from: 'JIS', type: 'string' });
}

/** Share of characters that can appear in ordinary text (not controls, not decoding errors). */
function plausibleTextShare(text: string): number {
  if (text.length === 0) return 1;
  let implausible = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const isControl = (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c) || code === 0x7f;
    const isUnusable = code === 0xfffd || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff;
    const isPrivateUse = code >= 0xe000 && code <= 0xf8ff;
    if (isControl || isUnusable || isPrivateUse) implausible++;
  }
  return 1 - implausible / text.length;
}

/** How un-Japanese a decoding looks: replacement characters and runs of half-width katakana. */
function japaneseOddity(text: string): number {
  if (text.length === 0) return 0;
  let odd = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 0xfffd) odd += 5;
    else if (code >= 0xff61 && code <= 0xff9f) odd += 1;
  }
  return odd / text.length;
}

function replacementShare(text: string): number {
  if (text.length === 0) return 0;
  let replacements = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) replacements++;
  return replacements / text.length;
}

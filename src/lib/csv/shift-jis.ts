// Shift_JIS for Excel on Japanese Windows, which reads a CSV without BOM as code page 932 (CP932,
// Windows-31J: Shift_JIS plus the NEC/IBM extensions such as ①, ㈱ and 髙). CP932 is what is
// written. iconv-lite would turn any other character into '?' without a word, so callers ask
// first which characters do not fit and refuse rather than lose them.
import iconv from 'iconv-lite';

/**
 * Characters that JIS X 0208 has but Unicode maps twice: Macs and the web write the left one
 * (〜 U+301C), Windows' CP932 table only knows the right one (～ U+FF5E). They look the same in a
 * Japanese font, so they are written as CP932's instead of being refused.
 */
const CP932_EQUIVALENTS: Record<string, string> = { '〜': '～', '‖': '∥', '−': '－', '—': '―', '¢': '￠', '£': '￡', '¬': '￢' };
const toCp932Forms = (text: string) => text.replace(/[〜‖−—¢£¬]/g, (c) => CP932_EQUIVALENTS[c]!);

const fitsCp932 = (character: string) => iconv.decode(iconv.encode(character, 'cp932'), 'cp932') === character;

/**
 * The distinct characters of `text` that Shift_JIS (CP932) cannot hold, in order of appearance.
 * @example charactersOutsideShiftJis('絵文字😀と〜') // ['😀']
 */
export function charactersOutsideShiftJis(text: string): string[] {
  const forms = toCp932Forms(text);
  if (iconv.decode(iconv.encode(forms, 'cp932'), 'cp932') === forms) return [];
  return [...new Set(forms)].filter((character) => !fitsCp932(character));
}

/** `text` as CP932 bytes; check charactersOutsideShiftJis first (others would become '?'). */
export const encodeShiftJis = (text: string): Buffer => iconv.encode(toCp932Forms(text), 'cp932');

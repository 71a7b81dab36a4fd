/**
 * PDF text layers carry characters that look right on the page but are the wrong code points
 * for search: Kangxi radicals instead of ideographs (⼀ U+2F00 for 一, from macOS Quartz),
 * vertical-writing presentation forms (︵ for （), ligatures (ﬁ). Only these ranges are
 * folded with NFKC; full-width letters and digits are left as the author wrote them
 * (search normalises those itself), so citations still show the document's own text.
 */
const ARTIFACT_RANGES =
  /[\u2e80-\u2eff\u2f00-\u2fdf\ufe10-\ufe19\ufe30-\ufe4f\ufb00-\ufb06\uf900-\ufaff]|[\u{2f800}-\u{2fa1f}]/gu;
/** Controls other than tab and line feed are never text; NUL in particular breaks Postgres. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

export function foldGlyphArtifacts(text: string): string {
  return text.replace(ARTIFACT_RANGES, (char) => char.normalize('NFKC')).replace(CONTROL_CHARACTERS, '');
}

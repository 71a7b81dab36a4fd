import { parseHTML } from 'linkedom';
import { marked } from 'marked';
import { domToText, type DomNode } from '../../../../lib/html/dom-to-text.js';
import { noTextFound, tooMuchText } from '../errors.js';
import { readTextFile } from '../txt/extract-txt.js';
import type { ExtractionLimits, ExtractionResult } from '../types.js';

/**
 * Reads a Markdown file: marked (CommonMark + GitHub tables) turns it into HTML, which is
 * rendered like any HTML — headings on their own line (the chunker starts a section at each),
 * lists with their markers, tables as "a | b" rows — so no "#", "**" or "[](…)" syntax reaches
 * the index or a citation. One page numbered 1.
 */
export async function extractMarkdown(filePath: string, limits: ExtractionLimits): Promise<ExtractionResult> {
  const { text: source, encoding, warnings } = await readTextFile(filePath, limits);
  const html = marked.parse(source, { async: false, gfm: true });
  const text = domToText(parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body as unknown as DomNode);
  if (text.length > limits.maxTextChars) throw tooMuchText(limits.maxTextChars);
  if (text.trim() === '') throw noTextFound({ ja: 'この Markdown ファイルは空です。登録する内容がありません。', en: 'This Markdown file is empty; there is nothing to index.' });
  return { kind: 'md', pages: [{ page: 1, text }], pageCount: 1, encoding, warnings };
}

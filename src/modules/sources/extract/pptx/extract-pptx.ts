import { posix } from 'node:path';
import { DOMParser } from 'linkedom';
import { ExtractionError, corruptFile, describeCause, noTextFound, tooLarge, tooMuchText } from '../errors.js';
import { assertSafeOfficeZip, officeFormats } from '../office/zip-guard.js';
import { openZip, readEntryBytes } from '../office/zip-reading.js';
import type { ZipEntry, ZipFile } from '../office/zip-reading.js';
import type { ExtractedPage, ExtractionLimits, ExtractionResult } from '../types.js';
import { slideText, type XmlElement } from './slide-text.js';

const NOTES_RELATIONSHIP = /\/notesSlide$/;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/**
 * Reads a PowerPoint presentation: each slide one page numbered as PowerPoint numbers it (its
 * place in the presentation, hidden slides counted and read), with its title first as the
 * page's heading, the other shapes and tables, then the speaker notes under "ノート" (or
 * "Notes" when the slide has no Japanese). The zip is checked first, as for DOCX.
 */
export async function extractPptx(filePath: string, limits: ExtractionLimits): Promise<ExtractionResult> {
  await assertSafeOfficeZip(filePath, limits, officeFormats.pptx);
  let zip: ZipFile;
  try {
    zip = await openZip(filePath);
  } catch (error) {
    throw notAPresentation(describeCause(error));
  }
  try {
    const parts = new Map<string, ZipEntry>();
    for await (const entry of zip.eachEntry()) parts.set(entry.fileName, entry);
    const read = async (name: string) => {
      const entry = parts.get(name);
      return entry ? parseXml((await readEntryBytes(zip, entry, limits.maxDecompressedBytes)).toString('utf8')) : null;
    };
    const slidePaths = await slideOrder(read);
    if (slidePaths.length > limits.maxPages) {
      throw tooLarge({ ja: `このプレゼンテーションにはスライドが ${slidePaths.length} 枚あり、上限の ${limits.maxPages} 枚を超えています。`, en: `This presentation has ${slidePaths.length} slides, more than the limit of ${limits.maxPages}.` });
    }
    const pages: ExtractedPage[] = [];
    let totalChars = 0;
    for (const [index, slidePath] of slidePaths.entries()) {
      const text = await slidePageText(slidePath, read);
      if (text === '') continue;
      totalChars += text.length;
      if (totalChars > limits.maxTextChars) throw tooMuchText(limits.maxTextChars);
      pages.push({ page: index + 1, text });
    }
    if (pages.length === 0) throw noTextFound({ ja: 'このプレゼンテーションには文字がありません（画像だけのスライドの文字認識にはまだ対応していません）。', en: 'This presentation has no text (text recognition of picture-only slides is not supported yet).' });
    return { kind: 'pptx', pages, pageCount: slidePaths.length, warnings: [] };
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    throw notAPresentation(describeCause(error));
  } finally {
    zip.close();
  }
}

type ReadPart = (name: string) => Promise<XmlElement | null>;

/** The slide parts in presentation order: p:sldIdLst in presentation.xml, resolved through its relationships. */
async function slideOrder(read: ReadPart): Promise<string[]> {
  const presentation = await read('ppt/presentation.xml');
  if (!presentation) throw notAPresentation('no ppt/presentation.xml');
  const targets = await relationships('ppt/presentation.xml', read);
  return elementsNamed(presentation, 'p:sldId')
    .map((slide) => targets.get(slide.getAttribute('r:id') ?? '')?.target)
    .filter((path): path is string => path !== undefined);
}

async function slidePageText(slidePath: string, read: ReadPart): Promise<string> {
  const slide = await read(slidePath);
  if (!slide) return '';
  const { title, blocks } = slideText(slide);
  const notesPath = [...(await relationships(slidePath, read)).values()].find((rel) => NOTES_RELATIONSHIP.test(rel.type))?.target;
  const notesRoot = notesPath ? await read(notesPath) : null;
  const notes = notesRoot ? slideText(notesRoot, { onlyBody: true }).blocks.join('\n') : '';
  const content = [title, ...blocks].filter(Boolean);
  // A label in the slide's own language: it is part of the document's text, not of our interface.
  const notesHeading = JAPANESE.test(content.join('') + notes) ? 'ノート' : 'Notes';
  return [...content, ...(notes ? [notesHeading, notes] : [])].join('\n\n').trim();
}

/** The relationships of `partPath` (from its _rels/…rels part): id → absolute part path and type. */
async function relationships(partPath: string, read: ReadPart): Promise<Map<string, { target: string; type: string }>> {
  const folder = posix.dirname(partPath);
  const rels = await read(posix.join(folder, '_rels', `${posix.basename(partPath)}.rels`));
  const result = new Map<string, { target: string; type: string }>();
  for (const rel of rels ? elementsNamed(rels, 'Relationship') : []) {
    const target = rel.getAttribute('Target') ?? '';
    if (rel.getAttribute('TargetMode') === 'External' || target === '') continue;
    const path = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(folder, target));
    result.set(rel.getAttribute('Id') ?? '', { target: path, type: rel.getAttribute('Type') ?? '' });
  }
  return result;
}

function parseXml(xml: string): XmlElement {
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as XmlElement | null;
  if (!root) throw new Error('empty XML part');
  return root;
}

function elementsNamed(root: XmlElement, name: string): XmlElement[] {
  return Array.from(root.children).flatMap((child) => (child.nodeName === name ? [child] : elementsNamed(child, name)));
}

function notAPresentation(detail: string) {
  return corruptFile({ ja: 'PowerPoint プレゼンテーションの構造が正しくありません', en: 'the PowerPoint presentation structure is invalid' }, detail);
}

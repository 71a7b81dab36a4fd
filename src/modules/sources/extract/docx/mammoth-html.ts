/**
 * A parser for the HTML that mammoth writes: always well-formed, a fixed set of tags, text
 * escaped with the four basic entities. Not a general HTML parser, and it need not be one.
 */
export interface HtmlElement {
  tag: string;
  attributes: Record<string, string>;
  children: HtmlNode[];
}
export type HtmlNode = HtmlElement | string;

const VOID_TAGS = new Set(['br', 'hr', 'img']);
const TOKEN = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*?)(\/?)>|([^<]+)/g;
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*"([^"]*)"/g;

/** Parses mammoth's HTML into a tree under a synthetic `root` element. */
export function parseMammothHtml(html: string): HtmlElement {
  const root: HtmlElement = { tag: 'root', attributes: {}, children: [] };
  const open: HtmlElement[] = [root];
  for (const match of html.matchAll(TOKEN)) {
    const [, closing, rawTag, rawAttributes, selfClosing, text] = match;
    const parent = open[open.length - 1]!;
    if (text !== undefined) {
      parent.children.push(decodeEntities(text));
      continue;
    }
    const tag = rawTag!.toLowerCase();
    if (closing) {
      // Tolerate a stray closing tag by closing up to the nearest matching element, if any.
      const index = open.findLastIndex((element) => element.tag === tag);
      if (index > 0) open.length = index;
      continue;
    }
    const element: HtmlElement = { tag, attributes: parseAttributes(rawAttributes ?? ''), children: [] };
    parent.children.push(element);
    if (!selfClosing && !VOID_TAGS.has(tag)) open.push(element);
  }
  return root;
}

function parseAttributes(raw: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name, value] of raw.matchAll(ATTRIBUTE)) attributes[name!.toLowerCase()] = decodeEntities(value!);
  return attributes;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (entity, body: string) => {
    if (body.startsWith('#x')) return safeFromCodePoint(Number.parseInt(body.slice(2), 16), entity);
    if (body.startsWith('#')) return safeFromCodePoint(Number.parseInt(body.slice(1), 10), entity);
    return NAMED_ENTITIES[body] ?? entity;
  });
}

function safeFromCodePoint(codePoint: number, fallback: string): string {
  return Number.isInteger(codePoint) && codePoint >= 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : fallback;
}

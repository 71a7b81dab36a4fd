// DOM building. Text that comes from the model, the documents or the tenant only ever becomes a
// text node (createTextNode / textContent): nothing here parses HTML.
import type { ChatSource } from '../../src/modules/chat/chat.schemas.js';
import type { Strings } from './i18n.js';
import { citedNumbers, excerpt, parseMarkup, type Inline } from './markup.js';

type Attributes = Record<string, string | boolean | undefined>;

/** An element with attributes (true = present, false/undefined = absent) and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

const SVG = 'http://www.w3.org/2000/svg';
/** Line icons (24×24, stroked): the path data is ours, fixed at build time. */
const ICONS = {
  chat: 'M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z',
  close: 'M6 6l12 12M18 6L6 18',
  down: 'M6 9l6 6 6-6',
  send: 'M5 12h13M12 5l7 7-7 7',
  restart: 'M4 4v5h5M4.6 15a8 8 0 1 0 1.9-8.3L4 9',
  // A thumb (Feather's thumbs-up, MIT); turned over by CSS for 👎.
  thumb: 'M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.3a2 2 0 0 0 2-1.7l1.4-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3',
} as const;

export function icon(name: keyof typeof ICONS, className?: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  if (className) svg.setAttribute('class', className);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

/** Builds a citation marker, or returns null to show `[n]` as plain text. */
export type CiteRenderer = (n: number) => Node | null;

function renderInlines(inlines: Inline[], cite: CiteRenderer): Node[] {
  return inlines.map((inline) => {
    if (inline.kind === 'break') return h('br');
    if (inline.kind === 'cite') return cite(inline.n) ?? document.createTextNode(inline.raw);
    return inline.bold ? h('strong', {}, inline.text) : document.createTextNode(inline.text);
  });
}

/** The answer as paragraphs, line breaks, bold runs and list items, built node by node. */
export function renderAnswerText(text: string, cite: CiteRenderer): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const block of parseMarkup(text)) {
    if (block.kind === 'paragraph') {
      fragment.append(h('p', {}, ...renderInlines(block.inlines, cite)));
    } else {
      const list = block.ordered ? h('ol', { start: block.start === 1 ? undefined : String(block.start) }) : h('ul');
      for (const item of block.items) list.append(h('li', {}, ...renderInlines(item, cite)));
      fragment.append(list);
    }
  }
  return fragment;
}

/** What a source is called: its file's name, or an FAQ entry's question. */
const sourceName = (source: ChatSource) => (source.kind === 'faq' && source.title ? `FAQ: ${source.title}` : source.file_name);

/** Where in its file a passage is: a PDF page, an Excel sheet by name, a slide; null for the other kinds. */
function place(source: ChatSource, t: Strings): string | null {
  if (source.page === null) return null;
  if (source.file_type === 'xlsx' && source.sheet_name) return t.sheet(source.sheet_name);
  if (source.file_type === 'pptx') return t.slide(source.page);
  return t.page(source.page);
}

/**
 * A finished answer: its text with `[n]` as buttons that bring passage n into view, and the list of
 * the passages it cites (all of them when it cites none). With `showSources` off, the markers go too.
 */
export function renderAnswer(body: HTMLElement, text: string, sources: ChatSource[], showSources: boolean, t: Strings): void {
  const cited = citedNumbers(text).filter((n) => n >= 1 && n <= sources.length);
  const shown = showSources ? (cited.length > 0 ? cited : sources.map((_, i) => i + 1)) : [];
  const items = new Map<number, HTMLLIElement>();
  for (const n of shown) {
    const source = sources[n - 1]!;
    // Answers kept in the browser from before links and sheet names have neither.
    const name = sourceName(source);
    const label = source.url && /^https?:\/\//i.test(source.url)
      ? h('a', { class: 'file', href: source.url, target: '_blank', rel: 'noopener noreferrer', 'aria-label': t.openFile(name) }, name)
      : h('span', { class: 'file' }, name);
    const page = [place(source, t), source.ocr ? t.ocr : null].map((part) => (part ? ` · ${part}` : '')).join('');
    const details = h('div', {}, label, h('span', { class: 'page' }, page), h('span', { class: 'excerpt' }, excerpt(source.chunk_text, 120, text)));
    items.set(n, h('li', { tabindex: '-1' }, h('span', { class: 'num' }, String(n)), details));
  }
  const cite: CiteRenderer = (n) => {
    if (!showSources) return document.createTextNode('');
    const item = items.get(n);
    if (!item) return null;
    const button = h('button', { type: 'button', class: 'cite', 'aria-label': t.source(n, sourceName(sources[n - 1]!)) }, String(n));
    button.addEventListener('click', () => {
      const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
      item.scrollIntoView({ block: 'nearest', behavior: reduce ? 'auto' : 'smooth' });
      item.focus({ preventScroll: true });
      item.classList.add('flash');
      setTimeout(() => item.classList.remove('flash'), 1600);
    });
    return button;
  };
  body.replaceChildren(renderAnswerText(text, cite));
  if (items.size > 0) body.append(h('div', { class: 'sources' }, h('h3', {}, t.sources), h('ol', {}, ...items.values())));
}

import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { domToText, type DomNode } from './dom-to-text.js';

export interface HtmlMainText {
  /** The page's title (Readability's pick: <title>, og:title, or the article heading), or null. */
  title: string | null;
  /** The main content as structured plain text (see domToText); '' when the page has none. */
  text: string;
}

/**
 * Page furniture removed before Readability looks at the page: on short pages Readability keeps
 * everything (it only prunes once an article has ~500 characters), so a site's menu and footer
 * would be indexed with every page and match every question.
 */
const FURNITURE = 'nav, footer, aside, [role="navigation"], [role="banner"], [role="contentinfo"], [role="search"], [aria-hidden="true"], body > header, header:not(article header, main header)';

/**
 * The main content of an HTML page as plain text: navigation, headers, footers, sidebars,
 * scripts and styles dropped. Mozilla's Readability (Firefox Reader View) over linkedom picks
 * the article; a page Readability finds no article in falls back to its body, less the furniture.
 * For uploaded .html files and for crawled web pages alike.
 * Example: htmlToMainText('<nav>Home</nav><main><h1>規程</h1><p>本文…</p></main>') → { title, text: '規程\n\n本文…' }
 */
export function htmlToMainText(html: string): HtmlMainText {
  const { document } = parseHTML(html);
  for (const element of Array.from(document.querySelectorAll(FURNITURE)) as { remove(): void }[]) element.remove();
  const pageTitle = document.querySelector('title')?.textContent?.trim() || null;
  const body = document.body as unknown as DomNode | null;
  const bodyText = body ? domToText(body) : '';

  // Readability changes the document it is given; it runs on a copy so the fallback still has the body.
  // (The casts: linkedom's document is a DOM Readability accepts; this project's TypeScript has no DOM types.)
  type ReadabilityDocument = ConstructorParameters<typeof Readability>[0];
  const copy = document.cloneNode(true) as unknown as ReadabilityDocument;
  const article = new Readability<DomNode>(copy, { serializer: (node) => node as unknown as DomNode }).parse();
  const articleText = article?.content ? domToText(article.content) : '';
  // Readability can pick one block of a page whose content is spread over several (a list of
  // FAQ sections); when it keeps less than a fifth of the body's text, the body is the content.
  const text = articleText.length >= bodyText.length * 0.2 ? articleText : bodyText;
  return { title: article?.title?.trim() || pageTitle, text };
}

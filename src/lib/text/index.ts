// Public surface of the text module: normalisation, sentences, chunking, token estimates and
// full-text search terms. Pure functions, no I/O. See README.md in this folder.
export { cleanPdfPages, normalizeText, type PageText } from './normalize.js';
export { sentenceSpans, splitSentences, type TextSpan } from './sentences.js';
export {
  chunkDocument,
  chunkingBounds,
  defaultChunking,
  validateChunkingOptions,
  type Chunk,
  type ChunkingOptions,
} from './chunk.js';
export { documentText, pageAtOffset, PAGE_SEPARATOR, type DocumentText, type PageRange } from './document-text.js';
export { estimateTokens, tokenWeight } from './tokens.js';
export {
  buildTsQuery,
  defaultSearchText,
  queryTerms,
  segmentForIndex,
  type QueryTerm,
  type SearchTextOptions,
} from './search-text.js';

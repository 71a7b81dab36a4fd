import type { ChatSource } from '../../../../src/modules/chat/chat.schemas.js';
import type { useI18n } from '../../i18n/i18n.js';

type Translate = ReturnType<typeof useI18n>['t'];

/** Where in its file a passage is, as a reader says it: a PDF page, an Excel sheet by name, a slide; null for the other kinds. */
export function sourcePlace(source: ChatSource, t: Translate): string | null {
  if (source.page === null) return null;
  if (source.file_type === 'xlsx') return source.sheet_name ? t('chat.sheet', { name: source.sheet_name }) : t('chat.sheetNumber', { n: source.page });
  if (source.file_type === 'pptx') return t('chat.slide', { n: source.page });
  return t('chat.page', { page: source.page });
}

// The conversations export: one row per question and its answer, for reading in Excel.
import type { Language } from '../../http/language.js';
import { writeCsv } from '../../lib/csv/csv-writer.js';
import { localTime } from '../../lib/csv/local-time.js';
import type { ExportedPair } from './conversations.repo.js';

const HEADERS: Record<Language, string[]> = {
  ja: ['日時', 'チャネル', '会話 ID', '質問', '回答', '出典', '確信度', '評価', 'コメント'],
  en: ['time', 'channel', 'conversation id', 'question', 'answer', 'sources', 'confidence', 'rating', 'comment'],
};
const CHANNELS: Record<Language, Record<string, string>> = {
  ja: { dashboard: 'ダッシュボード', api: 'API', widget: 'ウィジェット' },
  en: { dashboard: 'dashboard', api: 'API', widget: 'widget' },
};
const CONFIDENCE: Record<Language, Record<string, string>> = {
  ja: { high: '高', medium: '中', low: '低', none: 'なし' },
  en: { high: 'high', medium: 'medium', low: 'low', none: 'none' },
};
const RATINGS: Record<Language, Record<string, string>> = { ja: { up: '役に立った', down: '役に立たなかった' }, en: { up: 'helpful', down: 'not helpful' } };
const PAGE: Record<Language, (page: number) => string> = { ja: (page) => ` p.${page}`, en: (page) => ` p. ${page}` };

/** A cited source as one line: [n] file (page) — the number the answer cites it by. */
const sourceLine = (language: Language) => (source: NonNullable<ExportedPair['sources']>[number], index: number) =>
  `[${index + 1}] ${source.kind === 'faq' ? `FAQ: ${source.title ?? ''}` : source.file_name}${source.page ? PAGE[language](source.page) : ''}`;

/** The pairs as a CSV file: headers and labels in `language`, times in `timeZone`. */
export function conversationsCsv(pairs: ExportedPair[], language: Language, timeZone: string): Buffer {
  return writeCsv([
    HEADERS[language],
    ...pairs.map((p) => [
      localTime(p.answeredAt, timeZone),
      CHANNELS[language][p.channel] ?? p.channel,
      p.conversationId,
      p.question,
      p.answer,
      (p.sources ?? []).map(sourceLine(language)).join('\n'),
      p.confidence ? (CONFIDENCE[language][p.confidence] ?? p.confidence) : '',
      p.feedback ? RATINGS[language][p.feedback]! : '',
      p.feedbackComment ?? '',
    ]),
  ]);
}

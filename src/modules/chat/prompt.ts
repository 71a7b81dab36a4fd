import type { MessageSource } from '../../db/schema.js';
import { estimateTokens } from '../../lib/text/tokens.js';
import type { ChatTurn } from '../llm/chat-model.js';
import type { AnswerLanguage } from './language.js';

/** Earlier turns sent with a question, newest kept first, within this many (estimated) tokens. */
export const HISTORY_TOKEN_BUDGET = 2000;

export const NOT_IN_DOCUMENTS: Record<AnswerLanguage, string> = {
  ja: '申し訳ありませんが、ご提供いただいた資料にはこの質問への回答が見つかりませんでした。',
  en: 'Sorry, the documents provided do not contain the answer to this question.',
};

const LANGUAGE_NAME: Record<AnswerLanguage, string> = { ja: 'Japanese', en: 'English' };

/** How a source is introduced to the model (and shown in the extractive answer): "[2] 就業規則.pdf (p. 3)". */
export function sourceLabel(source: MessageSource, index: number): string {
  return `[${index + 1}] ${source.file_name}${source.page === null ? '' : ` (p. ${source.page})`}`;
}

/**
 * The grounding instructions and the numbered sources. [n] in the answer refers to sources[n - 1],
 * which is exactly the order of `sources` in the response.
 */
export function buildSystemPrompt(input: { assistantOf: string; language: AnswerLanguage; sources: MessageSource[] }): string {
  const { language, sources } = input;
  const listed = sources.length
    ? sources.map((s, i) => `${sourceLabel(s, i)}\n${s.chunk_text.trim()}`).join('\n\n')
    : '(No passage of the documents matches this question.)';
  return [
    `You are the assistant of ${input.assistantOf}. You answer questions using only the numbered sources below, which are passages of the organisation's documents.`,
    '',
    'Rules:',
    '- Use only facts stated in the sources. Never add outside knowledge or guess.',
    '- Cite the sources you use as [n] right after the sentence that uses them, e.g. [1] or [1][3]. Cite only numbers listed below.',
    `- If the sources do not contain the answer, say so plainly, for example: "${NOT_IN_DOCUMENTS[language]}" Do not answer from general knowledge.`,
    `- Answer in ${LANGUAGE_NAME[language]}, the language of the question, even when the sources are in another language.`,
    '- Be concise and direct. Earlier messages of the conversation are context only; the sources decide the facts.',
    '',
    'Sources:',
    listed,
  ].join('\n');
}

/**
 * The most recent turns that fit the token budget, oldest first. A turn is kept whole or not at
 * all, and a leading assistant turn is dropped so the history starts with a question.
 */
export function fitHistory(turns: ChatTurn[], budgetTokens = HISTORY_TOKEN_BUDGET): ChatTurn[] {
  const kept: ChatTurn[] = [];
  let used = 0;
  for (let i = turns.length - 1; i >= 0; i -= 1) {
    const turn = turns[i]!;
    used += estimateTokens(turn.content);
    if (used > budgetTokens) break;
    kept.unshift(turn);
  }
  while (kept[0]?.role === 'assistant') kept.shift();
  return kept;
}

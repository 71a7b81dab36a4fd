// The scripted model of `--mode fake-llm`: the local OpenAI-protocol fake of the tests, answering a
// rewrite request with the last question plus the previous question's words, and an answer request
// by quoting its first source. Rewrite calls are told from answer calls by their system prompt.
import { openAIContentText, type FakeOpenAI, type FakeOpenAIChatRequest } from '../../src/test/fake-openai.js';

const systemOf = (request: FakeOpenAIChatRequest) => openAIContentText(request.messages.find((m) => m.role === 'system')?.content);

/** An answer request carries the grounding prompt (prompt.ts: buildSystemPrompt); anything else is a rewrite. */
export const isAnswerRequest = (request: FakeOpenAIChatRequest) => /^You are the assistant of /.test(systemOf(request));

function rewriteReply(request: FakeOpenAIChatRequest): string {
  const text = openAIContentText(request.messages.at(-1)?.content);
  const last = /Last question:\s*([\s\S]*?)\n\s*\n/.exec(text)?.[1]?.trim() ?? text.trim();
  const previous = [...text.matchAll(/^User:\s*(.+)$/gm)].at(-1)?.[1]?.trim();
  return previous ? `${last} ${previous}` : last;
}

function answerReply(request: FakeOpenAIChatRequest): string {
  const first = /\n\[1\] [^\n]*\n([\s\S]*?)(?=\n\n\[2\] |$)/.exec(systemOf(request))?.[1];
  return first ? `${first.trim()} [1]` : 'No passage of the documents matches this question.';
}

export function scriptFakeModel(fake: FakeOpenAI): void {
  fake.reply = (request) => (isAnswerRequest(request) ? answerReply(request) : rewriteReply(request));
}

/** Rewrite calls received since `from` (an index into fake.chatRequests). */
export const rewritesSince = (fake: FakeOpenAI, from: number) => fake.chatRequests.slice(from).filter((r) => !isAnswerRequest(r)).length;

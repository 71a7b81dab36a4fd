// Conversations that change article at every turn, built deterministically from the eval questions.
import { seededRandom } from '../../src/test/seeded-random.js';

export function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Every question once, in conversations of `turns` questions about `turns` different articles
 * (a seeded shuffle, then greedily filled). The last conversations may be shorter when few
 * articles are left; a conversation of one question switches nothing and is dropped.
 */
export function topicSwitchConversations<Q extends { file: string }>(questions: Q[], turns: number, seed: number): Q[][] {
  let pool = shuffled(questions, seededRandom(seed));
  const conversations: Q[][] = [];
  while (pool.length) {
    const conversation: Q[] = [];
    const files = new Set<string>();
    const rest: Q[] = [];
    for (const q of pool) {
      if (conversation.length < turns && !files.has(q.file)) {
        conversation.push(q);
        files.add(q.file);
      } else rest.push(q);
    }
    if (conversation.length > 1) conversations.push(conversation);
    pool = conversation.length > 1 ? rest : [];
  }
  return conversations;
}

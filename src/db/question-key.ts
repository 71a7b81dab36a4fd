import { sql, type SQL } from 'drizzle-orm';

/**
 * A question's grouping key, in SQL: NFKC, lower case, spaces and punctuation removed, so
 * 「有給休暇は何日？」 and 「有給休暇は 何日 ?」 are one. Analytics' top questions and the inbox group by it.
 * @example sql`SELECT ${questionKey(sql`content`)} FROM messages`
 */
export const questionKey = (text: SQL): SQL => sql`regexp_replace(lower(normalize(${text}, NFKC)), '[[:space:][:punct:]、。「」『』（）・？！…ー〜～]+', '', 'g')`;

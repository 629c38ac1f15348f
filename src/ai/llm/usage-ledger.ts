// LLM tokens used per user and UTC day (`ai_usage`): recorded after each completion, read before
// the next one to keep every user inside the daily budget.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

export interface TokenUsage {
  prompt: number;
  completion: number;
}

export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export class UsageLedger {
  constructor(private readonly db: Kysely<Database>) {}

  /** Prompt plus completion tokens the user used on the UTC day of `at`. */
  async usedOn(userId: number, at: number): Promise<number> {
    const row = await this.db
      .selectFrom('ai_usage')
      .select(['prompt_tokens', 'completion_tokens'])
      .where('user_id', '=', userId)
      .where('day', '=', utcDay(at))
      .executeTakeFirst();
    return row ? Number(row.prompt_tokens) + Number(row.completion_tokens) : 0;
  }

  async record(userId: number, usage: TokenUsage, at: number): Promise<void> {
    // One upsert that adds in the database, so two instances recording at once both count.
    await this.db
      .insertInto('ai_usage')
      .values({
        user_id: userId,
        day: utcDay(at),
        prompt_tokens: usage.prompt,
        completion_tokens: usage.completion,
        requests: 1,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['user_id', 'day']).doUpdateSet({
          prompt_tokens: sql`ai_usage.prompt_tokens + ${usage.prompt}`,
          completion_tokens: sql`ai_usage.completion_tokens + ${usage.completion}`,
          requests: sql`ai_usage.requests + 1`,
          updated_at: at,
        }),
      )
      .execute();
  }
}

// The few fields of Mastodon's entities the client reads, checked (masto's types are not a check),
// in the camelCase masto turns the JSON's keys into.
import { z } from 'zod';

export const accountSchema = z.object({ id: z.string(), acct: z.string(), url: z.string() });

export const postedSchema = z.object({ id: z.string(), url: z.string().nullable().catch(null) });

export const mediaSchema = z.object({ id: z.string(), url: z.string().nullable().catch(null) });

export const engagementSchema = z.object({
  id: z.string(),
  favouritesCount: z.number(),
  reblogsCount: z.number(),
  repliesCount: z.number(),
});

export const contextSchema = z.object({
  descendants: z.array(
    z.object({
      id: z.string(),
      inReplyToId: z.string().nullable().catch(null),
      account: accountSchema.pick({ id: true, acct: true }),
      content: z.string(),
      url: z.string().nullable().catch(null),
      createdAt: z.string(),
    }),
  ),
});

// The publishing plugin's configuration: which channels are mirrored to which Mastodon accounts and
// by what rules, who may post besides the admins, and how engagement is gathered. Validated by the
// platform, so a bad value is refused with its field.
import { z } from 'zod';

/** An account's id as the plugin names it: `env-mastodon`, `env-devto`, or one added in the panel. */
const accountId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'an account id: lower-case letters, digits and dashes');

export const mirrorRule = z.object({
  channel: z.number().int().describe('The Telegram channel (its id, e.g. -1001234567890) whose posts are mirrored'),
  accounts: z.array(accountId).min(1).max(10).describe('The Mastodon accounts each post goes to'),
  skipReplies: z.boolean().default(true).describe('Leave out posts that answer another post of the channel'),
  hashtag: z
    .string()
    .regex(/^#?\w{1,100}$/u)
    .optional()
    .describe('Mirror only posts carrying this hashtag (e.g. #mastodon)'),
  keepLinks: z
    .boolean()
    .default(true)
    .describe('Keep links (a linked word becomes "word (URL)"); off: links are dropped from the status'),
  visibility: z.enum(['public', 'unlisted', 'private']).default('public'),
  language: z
    .string()
    .regex(/^[a-z]{2}$/)
    .optional()
    .describe("The statuses' language (ISO 639-1)"),
  mirrorEdits: z.boolean().default(true).describe("Edit the status when the channel's post is edited"),
});

export const publishingConfig = z.object({
  mirrors: z.array(mirrorRule).max(50).default([]).describe('Channels mirrored to Mastodon'),
  posters: z
    .array(z.number().int().positive())
    .max(1000)
    .default([])
    .describe('Telegram user ids who may /post, /schedule and /publish besides the bot admins'),
  defaultVisibility: z.enum(['public', 'unlisted', 'private', 'direct']).default('public'),
  engagementMinutes: z
    .number()
    .int()
    .min(5)
    .max(1440)
    .default(15)
    .describe('How often favourites, boosts, replies, views and reactions are gathered, in minutes'),
  engagementDays: z
    .number()
    .int()
    .min(1)
    .max(90)
    .default(14)
    .describe('How many days a post is followed after it went out'),
  repliesChat: z
    .number()
    .int()
    .optional()
    .describe('A chat new replies to our Mastodon posts are forwarded to (e.g. an admin group); none: not forwarded'),
  maxAttempts: z.number().int().min(1).max(30).default(10).describe('Attempts before a post fails for good'),
  retrySeconds: z
    .number()
    .int()
    .min(1)
    .max(600)
    .default(10)
    .describe('The wait before the first retry of a failed post; it doubles each time, up to 30 minutes'),
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(120)
    .default(30)
    .describe('How long a request to Mastodon or DEV.to may take before it is tried again later'),
});

export type PublishingConfig = z.output<typeof publishingConfig>;
export type MirrorRule = z.output<typeof mirrorRule>;

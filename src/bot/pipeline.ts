// The middleware every update runs through, in order: command names lower-cased, who is this
// (language, admin), usage tracking, payment updates, core commands, the extension slot (plugins), unknown commands,
// and the conversation hook (private text, and group messages that mention or reply to the bot).
import { Composer, type Middleware } from 'grammy';
import type { Language } from '../config/settings-catalog.js';
import { LANGUAGES } from '../config/settings-catalog.js';
import { addressedToBot } from '../core/addressing.js';
import type { BotContext, ConversationHook } from '../core/context.js';
import type { EventBus } from '../core/events.js';
import { type ExperimentsHook, withoutExperiments } from '../core/experiments.js';
import { messages } from '../core/i18n.js';
import { commandsIgnoreCase } from './command-case.js';
import { ban } from './commands/ban.js';
import { cancel } from './commands/cancel.js';
import type { CoreCommand, CoreDeps } from './commands/core-command.js';
import { help } from './commands/help.js';
import { plugins } from './commands/plugins.js';
import { refund } from './commands/refund.js';
import { reset } from './commands/reset.js';
import { settings } from './commands/settings.js';
import { start } from './commands/start.js';
import { stats } from './commands/stats.js';
import { status } from './commands/status.js';
import { unban } from './commands/unban.js';
import { update } from './commands/update.js';
import { paymentUpdates } from './payment-updates.js';

export const CORE_COMMANDS: readonly CoreCommand[] = [
  start,
  help,
  settings,
  cancel,
  status,
  plugins,
  reset,
  ban,
  unban,
  stats,
  refund,
  update,
];

export interface PipelineOptions extends CoreDeps {
  readonly adminIds: ReadonlySet<number>;
  readonly events: EventBus;
  /** Middleware between the core commands and the fallbacks: where plugins plug in. */
  readonly extensions: Middleware<BotContext>;
  readonly conversation: ConversationHook;
  /** The mutation engine; without it everyone gets the current values and nothing is counted. */
  readonly experiments?: ExperimentsHook;
}

export function createPipeline(options: PipelineOptions): Composer<BotContext> {
  const pipeline = new Composer<BotContext>();
  pipeline.use(commandsIgnoreCase);
  pipeline.use(resolveSender(options));
  pipeline.use(trackUsage(options));
  // Pre-checkout answers and charges into the ledger, before any command or plugin.
  pipeline.use(paymentUpdates({ payments: options.payments, isBanned: (userId) => options.bans.isBanned(userId) }));
  for (const command of CORE_COMMANDS) mountCoreCommand(pipeline, command, options);
  pipeline.use(options.extensions);
  pipeline.on('message:entities:bot_command', async (ctx, next) => {
    const command = commandOf(ctx);
    if (!command) return next();
    ctx.core.outcome = 'unknown_command';
    await ctx.reply(ctx.core.t.unknownCommand(`/${command}`, options.registry.suggest(command)));
  });
  pipeline.on('message:text').filter(addressedToBot, (ctx) => options.conversation(ctx));
  return pipeline;
}

function mountCoreCommand(pipeline: Composer<BotContext>, command: CoreCommand, deps: PipelineOptions): void {
  deps.registry.add({ ...command.info, source: 'core' });
  pipeline.command(command.info.command, (ctx) =>
    command.info.adminOnly && !ctx.core.isAdmin ? ctx.reply(ctx.core.t.adminOnly) : command.handle(ctx, deps),
  );
  const callback = command.callback;
  if (callback)
    pipeline.callbackQuery(callback.pattern, (ctx) => callback.handle(ctx, ctx.match as RegExpMatchArray, deps));
}

function resolveSender(options: PipelineOptions): Middleware<BotContext> {
  const experiments = options.experiments ?? withoutExperiments(options.settings);
  return async (ctx, next) => {
    const from = ctx.from;
    let language: Language = options.settings.get('bot.defaultLanguage');
    if (from) {
      options.activity.sawUser(from, ctx.message !== undefined);
      options.events.emit('userSeen', { user: from, chatId: ctx.chat?.id });
      const state = await options.userState.get(from.id);
      language = state.language ?? supported(from.language_code) ?? language;
    }
    ctx.core = {
      language,
      t: messages[language],
      isAdmin: !!from && options.adminIds.has(from.id),
      outcome: 'ok',
      experiments: experiments.forUser(from?.id),
    };
    await next();
  };
}

function trackUsage({ activity, events, registry }: PipelineOptions): Middleware<BotContext> {
  return async (ctx, next) => {
    const started = performance.now();
    let outcome: string = 'ok';
    try {
      await next();
      outcome = ctx.core.outcome;
    } catch (error) {
      outcome = 'error';
      throw error;
    } finally {
      const kind = Object.keys(ctx.update).find((key) => key !== 'update_id') ?? 'unknown';
      const command = commandOf(ctx);
      if (command && outcome !== 'unknown_command') {
        events.emit('commandUsed', { command, userId: ctx.from?.id, chatId: ctx.chat?.id });
      }
      const latencyMs = performance.now() - started;
      activity.recordEvent({
        at: Date.now(),
        user_id: ctx.from?.id ?? null,
        chat_id: ctx.chat?.id ?? null,
        kind,
        command: command ?? null,
        plugin: command ? (registry.sourceOf(command) ?? null) : null,
        latency_ms: latencyMs,
        outcome,
      });
      await ctx.core.experiments.finish({
        command: outcome === 'unknown_command' ? undefined : command,
        failed: outcome === 'error',
        latencyMs,
        blocked: blockedTheBot(ctx),
      });
    }
  };
}

/** A user blocking the bot: Telegram says so with a my_chat_member update in their private chat. */
function blockedTheBot(ctx: BotContext): boolean {
  const change = ctx.update.my_chat_member;
  return change?.chat.type === 'private' && change.new_chat_member.status === 'kicked';
}

/** The command a message starts with, if it is addressed to this bot (not /cmd@another_bot). */
export function commandOf(ctx: BotContext): string | undefined {
  const text = ctx.message?.text;
  const entity = ctx.message?.entities?.[0];
  if (!text || entity?.type !== 'bot_command' || entity.offset !== 0) return undefined;
  const [name, target] = text.slice(1, entity.length).toLowerCase().split('@');
  if (target && target !== ctx.me.username.toLowerCase()) return undefined;
  return name;
}

function supported(code: string | undefined): Language | undefined {
  const base = code?.slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(base ?? '') ? (base as Language) : undefined;
}

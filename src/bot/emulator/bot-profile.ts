// The bot itself: getMe (inline mode on, privacy mode on, may join groups, as a bot set up in
// @BotFather for these features would be) and its command menu per scope and language.
import type { BotCommand } from 'grammy/types';
import { badRequest } from './api-error.js';
import type { BotUser } from './chat-store.js';
import type { Method } from './events.js';
import type { Params } from './params.js';

export class BotProfile {
  private readonly commands = new Map<string, BotCommand[]>();

  constructor(private readonly bot: BotUser) {}

  readonly methods: Record<string, Method> = {
    getMe: () => ({
      ...this.bot,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
    }),
    logOut: () => true,
    close: () => true,
    setMyCommands: (params) => {
      const commands = params.commands;
      if (!Array.isArray(commands) || commands.length > 100)
        throw badRequest('commands must be an array of at most 100');
      this.commands.set(commandsKey(params), commands as BotCommand[]);
      return true;
    },
    getMyCommands: (params) => this.commands.get(commandsKey(params)) ?? [],
    deleteMyCommands: (params) => this.commands.delete(commandsKey(params)) || true,
  };
}

/** One key per scope and language, however the scope object was written (key order, ids as strings). */
function commandsKey(params: Params): string {
  const scope = (typeof params.scope === 'object' && params.scope !== null ? params.scope : {}) as Record<
    string,
    unknown
  >;
  const parts = [String(scope.type ?? 'default'), scope.chat_id, scope.user_id].filter((part) => part !== undefined);
  return `${parts.map(String).join(':')}|${params.language_code ?? ''}`;
}

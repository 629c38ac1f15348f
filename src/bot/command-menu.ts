// Keeps Telegram's command menu (setMyCommands) in line with the command registry: the public
// commands for everyone, in each supported language, and the admin commands in each admin's chat.
import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { LANGUAGES } from '../config/settings-catalog.js';
import { type CommandRegistry, describe } from '../core/command-registry.js';
import { messages } from '../core/i18n.js';

export async function syncCommandMenu(api: Api, registry: CommandRegistry, adminIds: readonly number[]): Promise<void> {
  const menu = (includeAdmin: boolean, language: (typeof LANGUAGES)[number]): BotCommand[] =>
    registry
      .list({ includeAdmin })
      .map((info) => ({ command: info.command, description: describe(info, messages[language]).slice(0, 256) }));

  await api.setMyCommands(menu(false, 'en'));
  for (const language of LANGUAGES) {
    if (language !== 'en') await api.setMyCommands(menu(false, language), { language_code: language });
  }
  for (const chatId of adminIds) {
    await api.setMyCommands(menu(true, 'en'), { scope: { type: 'chat', chat_id: chatId } });
  }
}

/** Re-syncs after registry changes, coalescing bursts (a plugin adding five commands is one sync). */
export function followRegistry(
  api: Api,
  registry: CommandRegistry,
  adminIds: readonly number[],
  onError: (error: unknown) => void,
  delayMs = 300,
): { sync: () => Promise<void>; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const sync = (): Promise<void> => {
    running = running.then(() => syncCommandMenu(api, registry, adminIds)).catch(onError);
    return running;
  };
  const onChange = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void sync(), delayMs);
  };
  registry.on('change', onChange);
  return {
    sync,
    stop: () => {
      clearTimeout(timer);
      registry.off('change', onChange);
    },
  };
}

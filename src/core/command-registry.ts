// Every command the bot answers, from the core and (later) from plugins: what /help lists and what
// the Telegram command menu shows. Emits "change" so the menu follows additions and removals.

import { EventEmitter } from 'node:events';
import { OmniError } from '../errors.js';
import { nearest } from '../lib/edit-distance.js';
import type { Messages } from './i18n.js';

export interface CommandInfo {
  /** Without the slash: "help". */
  readonly command: string;
  /** A fixed text, or one picked from the user's language. */
  readonly description: string | ((t: Messages) => string);
  readonly adminOnly: boolean;
  /** Changes something (sends, buys, deletes): the AI asks the user before running it for them. */
  readonly sideEffects?: boolean;
  /** "core", or the name of the plugin that owns the command. */
  readonly source: string;
}

export class CommandTakenError extends OmniError {
  constructor(
    readonly command: string,
    readonly owner: string,
  ) {
    super('PLUGIN_COMMAND_TAKEN', `/${command} belongs to ${owner}`);
  }
}

const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;

export class CommandRegistry extends EventEmitter<{ change: [] }> {
  private readonly commands = new Map<string, CommandInfo>();

  add(info: CommandInfo): void {
    if (!COMMAND_NAME.test(info.command)) {
      throw new Error(`command "${info.command}" must be 1-32 characters of a-z, 0-9 and _`);
    }
    const owner = this.commands.get(info.command);
    if (owner) throw new CommandTakenError(info.command, owner.source);
    this.commands.set(info.command, info);
    this.emit('change');
  }

  /** Removes every command of one source (a plugin being disabled). */
  removeSource(source: string): void {
    let removed = false;
    for (const [name, info] of this.commands) {
      if (info.source === source) removed = this.commands.delete(name);
    }
    if (removed) this.emit('change');
  }

  has(command: string): boolean {
    return this.commands.has(command);
  }

  /** "core" or the plugin that owns the command; undefined when nothing handles it. */
  sourceOf(command: string): string | undefined {
    return this.commands.get(command)?.source;
  }

  list(options: { includeAdmin: boolean }): CommandInfo[] {
    return [...this.commands.values()].filter((info) => options.includeAdmin || !info.adminOnly);
  }

  /** The closest known command within two edits, for "did you mean". */
  suggest(command: string): string | undefined {
    const name = nearest(command, this.commands.keys());
    return name && `/${name}`;
  }
}

export function describe(info: CommandInfo, t: Messages): string {
  return typeof info.description === 'string' ? info.description : info.description(t);
}

/** "/command — description", in the language of `t`. */
export function commandLine(info: CommandInfo, t: Messages): string {
  return `/${info.command} — ${describe(info, t)}`;
}

/** One "/command — description" a line; for admins, the admin commands follow under their heading. */
export function commandListing(registry: CommandRegistry, t: Messages, isAdmin: boolean): string {
  const line = (info: CommandInfo) => commandLine(info, t);
  const all = registry.list({ includeAdmin: isAdmin });
  const lines = all.filter((info) => !info.adminOnly).map(line);
  const adminCommands = all.filter((info) => info.adminOnly);
  if (adminCommands.length > 0) lines.push('', t.helpAdminHeader, ...adminCommands.map(line));
  return lines.join('\n');
}

// What the bare contestant bots answer: the same kinds of reply, of about the same length, as
// OMNICore's English core commands, so that every contestant sends comparable messages.

export const replies = {
  greeting: (name: string, botName: string) =>
    `Hello, ${name}! I'm ${botName}. Send /help to see what I can do, or just write to me.`,
  help: [
    'Here is what I can do:',
    '/start — Start the bot',
    '/help — List the commands',
    '/settings — Your language and preferences',
    '/cancel — Cancel what is in progress',
  ].join('\n'),
  unknownCommand: (command: string) => `I don't know ${command}. Send /help for the list of commands.`,
  fallback: "I'm not able to hold a conversation yet, but commands work: send /help to see them.",
};

/** "/weather" from "/weather@bot args": the command a message starts with, if any. */
export function leadingCommand(text: string): string | undefined {
  return /^\/[A-Za-z0-9_]+/.exec(text)?.[0];
}

// Contestant: a Telegraf webhook bot (its own launch({ webhook }) server) answering the benchmark's
// messages with one sendMessage each, started by the benchmark as a child process.
import { Telegraf } from 'telegraf';
import { message } from 'telegraf/filters';
import { readBotEnv } from './bot-env.js';
import { leadingCommand, replies } from './replies.js';

const env = readBotEnv();
// webhookReply off: otherwise Telegraf answers the first call inside the webhook response, and no
// sendMessage would reach the Bot API server, unlike every other contestant.
const bot = new Telegraf(env.token, { telegram: { apiRoot: env.apiRoot, webhookReply: false } });

bot.start((ctx) => ctx.reply(replies.greeting(ctx.from.first_name, ctx.botInfo.first_name)));
bot.help((ctx) => ctx.reply(replies.help));
bot.on(message('text'), (ctx) => {
  const entity = ctx.message.entities?.[0];
  const command = entity?.type === 'bot_command' && entity.offset === 0 ? leadingCommand(ctx.message.text) : undefined;
  return ctx.reply(command ? replies.unknownCommand(command) : replies.fallback);
});

await bot.launch({
  webhook: {
    domain: env.webhookUrl,
    path: '/telegram/webhook',
    host: '127.0.0.1',
    port: env.port,
    secretToken: env.secret,
  },
});

process.once('SIGTERM', () => {
  bot.stop('SIGTERM');
  process.exit(0);
});

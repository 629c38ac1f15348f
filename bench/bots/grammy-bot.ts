// Contestant: a bare grammY webhook bot (Fastify + webhookCallback) answering the benchmark's
// messages with one sendMessage each, started by the benchmark as a child process.
import Fastify from 'fastify';
import { Bot, webhookCallback } from 'grammy';
import { readBotEnv } from './bot-env.js';
import { leadingCommand, replies } from './replies.js';

const env = readBotEnv();
const bot = new Bot(env.token, { client: { apiRoot: env.apiRoot } });

bot.command('start', (ctx) => ctx.reply(replies.greeting(ctx.from?.first_name ?? '', ctx.me.first_name)));
bot.command('help', (ctx) => ctx.reply(replies.help));
bot.on('message:entities:bot_command', (ctx) => ctx.reply(replies.unknownCommand(leadingCommand(ctx.msg.text) ?? '')));
bot.on('message:text', (ctx) => ctx.reply(replies.fallback));

await bot.init();
const app = Fastify();
app.post('/telegram/webhook', webhookCallback(bot, 'fastify', { secretToken: env.secret }));
await app.listen({ port: env.port, host: '127.0.0.1' });
await bot.api.setWebhook(`${env.webhookUrl}/telegram/webhook`, { secret_token: env.secret });

process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));

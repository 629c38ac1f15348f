// A plugin using ctx.audit from the bot, answering forwarded messages by their origin, and
// answering admin routes with files (call.download): a Buffer, a stream, a stream that breaks,
// hostile file names and types. Written as an operator's .mjs plugin; tests copy it into a PLUGINS_DIR.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const INDEX = `import { Readable } from 'node:stream';
import { definePlugin } from 'omnicore/plugin';

function describeOrigin(origin) {
  switch (origin.type) {
    case 'user': return 'user ' + origin.sender_user.id;
    case 'hidden_user': return 'hidden ' + origin.sender_user_name;
    case 'chat': return 'chat ' + origin.sender_chat.id;
    default: return 'channel ' + origin.chat.id + '#' + origin.message_id;
  }
}

export default definePlugin({
  name: 'desk',
  version: '1.0.0',
  description: 'Notes, forwards and downloads',
  platform: '*',
  setup(ctx) {
    ctx.command('note', 'Adds a note', async (c) => {
      await ctx.audit('note.add', { actor: 'telegram:' + c.from.id, target: String(c.match), details: { length: c.match.length } });
      await c.reply('noted');
    });
    ctx.command('badaudit', 'Audits wrongly', async (c) => {
      try {
        await ctx.audit('Bad Action!', { actor: 'telegram:' + c.from.id });
      } catch (error) {
        await c.reply('refused: ' + error.message);
      }
    });
    ctx.composer.on('message', async (c, next) => {
      const origin = c.message.forward_origin;
      if (!origin) return next();
      const entities = (c.message.entities ?? c.message.caption_entities ?? []).map((e) => e.type).join(',');
      await c.reply('forwarded from ' + describeOrigin(origin) + ' at ' + origin.date + ': ' + (c.message.text ?? c.message.caption) + ' [' + entities + ']');
    });
    ctx.admin.route('GET', 'report', ({ download }) => download('report ü "1".csv', Buffer.from('a,b\\n1,2\\n'), 'text/csv; charset=utf-8'));
    ctx.admin.route('GET', 'stream', ({ download }) => download('lines.txt', Readable.from(['one\\n', 'two\\n'])));
    ctx.admin.route('GET', 'broken', ({ download }) => {
      let sent = false;
      const body = new Readable({
        read() {
          if (sent) return this.destroy(new Error('the disk went away mid-file'));
          sent = true;
          this.push(Buffer.alloc(1024, 120));
        },
      });
      return download('big.bin', body);
    });
    ctx.admin.route('GET', 'dead', ({ download }) => download('dead.bin', new Readable({ read() { this.destroy(new Error('nothing to read')); } })));
    ctx.admin.route('GET', 'hostile', ({ download }) => download('evil\\r\\nSet-Cookie: x=1;.txt', Buffer.from('x')));
    ctx.admin.route('GET', 'badtype', ({ download }) => download('x.html', Buffer.from('x'), 'text/html\\r\\nX-Injected: 1'));
  },
});
`;

/** Writes the plugin into `pluginsDir/desk`. */
export function writeDeskPlugin(pluginsDir: string): void {
  mkdirSync(path.join(pluginsDir, 'desk'), { recursive: true });
  writeFileSync(path.join(pluginsDir, 'desk', 'index.mjs'), INDEX);
}

// Plugins written the way a careless (or hostile) author would: each command misbehaves in one way.
// Tests copy them into a PLUGINS_DIR and run the real server on them.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const HANDLERS = {
  // A storage write left unawaited, whose value cannot be serialised: a rejection nobody handles.
  poison: `ctx.storage.set('k', { n: 1n }); await c.reply('poisoned');`,
  // A timer that throws after the handler returned: an uncaught exception.
  timer: `setTimeout(() => { throw new Error('the timer went off'); }, 5); await c.reply('timer set');`,
  // Never settles.
  hang: `await new Promise(() => {});`,
  // Holds the event loop for good.
  busy: `for (;;) {}`,
  // Takes the whole process down, as a native crash or the OOM killer would.
  crash: `process.kill(process.pid, 'SIGKILL');`,
  // Allocates without bound, a little at a time (about 1.6 MB a turn of the event loop).
  hog: `const hoard = []; for (let i = 0; ; i++) { hoard.push(new Array(100_000).fill(i)); if (i % 2 === 0) await new Promise((resolve) => setImmediate(resolve)); }`,
} as const;

export type HostileCommand = keyof typeof HANDLERS;
export const HOSTILE_COMMANDS = Object.keys(HANDLERS) as HostileCommand[];

/** Writes one plugin folder per hostile command (plugin and command share the name) into `dir`. */
export function writeHostilePlugins(dir: string): void {
  for (const [name, body] of Object.entries(HANDLERS)) {
    const folder = path.join(dir, name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'index.mjs'),
      `import { definePlugin } from 'omnicore/plugin';
export default definePlugin({
  name: '${name}',
  version: '1.0.0',
  description: 'misbehaves: ${name}',
  platform: '^0.1.0',
  setup(ctx) {
    ctx.command('${name}', 'misbehave', async (c) => { ${body} });
  },
});
`,
    );
  }
}

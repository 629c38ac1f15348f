// The filing system, a built-in plugin on the public plugin API: an organisation's tree of units
// (company → departments → projects → folders) with roles per unit, into which items of the content
// store are filed; browsed, filed and searched from Telegram, managed in the admin panel, exported
// as tar.gz, with a daily retention run. Off until an operator switches it on (with `content`).
import { readFileSync } from 'node:fs';
import { definePlugin } from '../../plugins/api.js';
import type { ContentStore } from '../content/service.js';
import { filingAdmin } from './admin.js';
import { filingBot } from './bot.js';
import { filingConfig } from './config.js';
import { type AuditEntry, FilingDesk } from './desk.js';
import { FilingBook } from './filings.js';
import { runRetention } from './retention.js';
import { audienceOf } from './roles.js';
import { strings } from './strings.js';
import { readTemplate } from './template.js';
import { TreeStore } from './tree-store.js';

const DEFAULT_TEMPLATE = new URL('./default-template.yaml', import.meta.url);

export default definePlugin({
  name: 'filing',
  version: '1.0.0',
  description: 'An organisation’s filing tree with roles per unit; files content store items from Telegram',
  platform: '^0.1.0',
  dependsOn: ['content'],
  configSchema: filingConfig,
  strings,

  setup(ctx) {
    const store = ctx.use<ContentStore>('content/store');
    const trees = new TreeStore(ctx.storage);
    const filings = new FilingBook(ctx.storage);
    const desk = new FilingDesk(trees, filings, () => store);
    const audit = (actor: string, action: string, entry: AuditEntry) => ctx.audit(action, { actor, ...entry });
    /** The platform itself (templates on switch-on, retention) or the operator at the CLI, as an admin. */
    const asAdmin = (actor: string) => ({
      reader: { userId: 0, isAdmin: true },
      audit: (action: string, entry: AuditEntry) => audit(actor, action, entry),
    });

    /** The operator's template merged in by path; the shipped one when there is none and the tree is empty. */
    const plant = async () => {
      const text = ctx.config.template;
      if (text === undefined && Object.keys((await trees.read()).units).length > 0) return;
      const created = await desk.applyTemplate(
        asAdmin('system'),
        readTemplate(text ?? readFileSync(DEFAULT_TEMPLATE, 'utf8')),
      );
      if (created.length > 0) ctx.log.info({ created: created.length }, 'filing template applied');
    };

    let removeAudience: (() => void) | undefined;
    ctx.onEnable(async () => {
      await plant();
      removeAudience = store.addAudience(async (userId) => audienceOf(await trees.read(), userId));
    });
    ctx.onDisable(() => {
      removeAudience?.();
      removeAudience = undefined;
    });
    ctx.onConfigChange(plant);

    /** One retention run, audited as `actor`. */
    const retain = async (audit: (action: string, entry: AuditEntry) => Promise<void>) => {
      const done = await runRetention({ tree: await trees.read(), filings, store, audit, now: Date.now() });
      if (done.unfiled + done.deleted > 0) ctx.log.info(done, 'filing retention run');
      return done;
    };
    ctx.schedule('30 3 * * *', () => retain(asAdmin('system').audit));

    filingBot({ ctx, desk, store, filings, audit });
    filingAdmin(ctx.admin, { desk, filings, store: () => store, retain });

    ctx.cli.verb('template', {
      summary: 'Merge a filing template (YAML or JSON) into the tree by path',
      usage: 'omnicore filing template <file>   (- reads standard input)',
      async run(call) {
        const [file] = call.args;
        if (!file) return call.usage('name the template file (or - for standard input)');
        let text = '';
        if (file === '-') for await (const chunk of call.stdin) text += String(chunk);
        else text = readFileSync(file, 'utf8');
        const created = await desk.applyTemplate(asAdmin('cli'), readTemplate(text));
        const units = `${created.length} unit${created.length === 1 ? '' : 's'}`;
        call.stdout.write(`${units} made${created.length > 0 ? `:\n${created.join('\n')}` : ''}\n`);
        return 0;
      },
    });
  },
});

// A plugin with a part in the admin panel, written as an operator's plugin would be (an .mjs folder
// importing omnicore/plugin): a page listing entries with a form, a chart, a script and a style of
// its own, a detail page with a :param, JSON routes (one that refuses, one that throws), and the
// audit helper. The tests copy it into a PLUGINS_DIR and run the real server on it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FILES: Record<string, string> = {
  'index.mjs': `import { z } from 'zod';
import { definePlugin } from 'omnicore/plugin';

export default definePlugin({
  name: 'ledger',
  version: '1.0.0',
  description: 'Keeps a ledger of short entries from the admin panel',
  platform: '*',
  setup(ctx) {
    const entries = async () => (await ctx.storage.get('entries')) ?? [];
    ctx.admin.assets('public');
    ctx.admin.page({
      path: 'entries',
      title: 'Ledger',
      icon: 'fa-book',
      view: 'views/entries.eta',
      scripts: ['ledger.js'],
      styles: ['ledger.css'],
      data: async () => ({ entries: await entries() }),
    });
    ctx.admin.page({
      path: 'entries/:index',
      title: 'Ledger entry',
      view: 'views/entry.eta',
      input: { params: z.object({ index: z.coerce.number().int().min(0) }) },
      data: async ({ params, fail }) => {
        const entry = (await entries())[params.index];
        return entry ? { entry, index: params.index } : fail(404, 'no entry ' + params.index);
      },
    });
    ctx.admin.route('GET', 'entries', async ({ admin }) => ({ entries: await entries(), askedBy: admin.username }));
    ctx.admin.route(
      'POST',
      'entries',
      { body: z.object({ text: z.string().trim().min(1, 'write something').max(40), amount: z.number().int().min(1).max(1000) }) },
      async ({ body, audit }) => {
        const next = [...(await entries()), body];
        await ctx.storage.set('entries', next);
        await audit('add', { target: body.text, details: { amount: body.amount } });
        return { ok: true, count: next.length };
      },
    );
    ctx.admin.route('POST', 'explode', async () => {
      throw new Error('the ledger exploded: token=hunter2');
    });
  },
});
`,
  'views/entries.eta': `<div class="card shadow-sm mb-3" data-testid="ledger">
  <ul class="list-group list-group-flush">
    <% it.entries.forEach(function (entry, index) { %>
    <li class="list-group-item" data-entry="<%= index %>"><a href="entries/<%= index %>"><%= entry.text %></a> <span class="badge text-bg-primary"><%= entry.amount %></span></li>
    <% }) %>
    <% if (it.entries.length === 0) { %><li class="list-group-item text-body-secondary">No entries yet.</li><% } %>
  </ul>
</div>
<div class="chart-box mb-3"><canvas id="ledger-chart" data-testid="ledger-chart" data-chart="<%= JSON.stringify({ type: 'bar', data: { labels: it.entries.map(function (e) { return e.text; }), datasets: [{ label: 'amount', data: it.entries.map(function (e) { return e.amount; }) }] } }) %>"></canvas></div>
<form data-api="<%= it.panel.api %>/entries" data-method="POST" data-reload="true" novalidate>
  <div class="mb-2" data-field="text" data-type="string"><label class="form-label" for="ledger-text">Text</label><input class="form-control" id="ledger-text"><div class="invalid-feedback" data-error-for="text"></div></div>
  <div class="mb-2" data-field="amount" data-type="integer"><label class="form-label" for="ledger-amount">Amount</label><input class="form-control" id="ledger-amount" type="number"><div class="invalid-feedback" data-error-for="amount"></div></div>
  <button type="submit" class="btn btn-primary">Add</button>
</form>
<p class="small text-body-secondary" data-testid="ledger-admin">Signed in as <%= it.panel.admin %></p>
`,
  'views/entry.eta': `<p data-testid="ledger-entry">Entry <%= it.index %>: <%= it.entry.text %> (<%= it.entry.amount %>)</p>
`,
  'public/ledger.js': `// Marks the list once it ran, so that a test can see the plugin's own script was served and allowed.
document.querySelector('[data-testid=ledger]').dataset.scripted = String(document.querySelectorAll('[data-entry]').length);
`,
  'public/ledger.css': `[data-testid=ledger] { border-color: rgb(255, 0, 128) !important; }
`,
  'public/.secret': 'not for browsers',
  'outside-assets.txt': 'in the plugin folder, not in its assets folder',
};

/** Writes the ledger plugin into `dir`/ledger. */
export function writeLedgerPlugin(dir: string): string {
  const folder = path.join(dir, 'ledger');
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    writeFileSync(path.join(folder, file), text);
  }
  return folder;
}

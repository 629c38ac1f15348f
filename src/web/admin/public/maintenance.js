// The Backups and System pages' actions: a backup made now (the page reloads to list it), a backup
// verified (its tables and rows, or why it was refused, shown in its row), the update check, and
// "Update now", whose progress is polled from the server, which the updater restarts on the way.
(() => {
  const { api, flash } = window.omnicore;
  const POLL_MS = 2000;

  function show(slot, text, kind) {
    slot.textContent = text;
    slot.className = `mt-1 small text-${kind}`;
  }

  async function verify(button) {
    const slot = button.parentElement.querySelector('[data-verify-result]');
    button.disabled = true;
    show(slot, 'verifying…', 'body-secondary');
    const result = await api(
      'POST',
      `/api/admin/backups/${encodeURIComponent(button.dataset.backupVerify)}/verify`,
      {},
    );
    button.disabled = false;
    if (!result.ok) return show(slot, `refused: ${result.data.error?.message ?? 'failed'}`, 'danger');
    const tables = Object.entries(result.data.tables);
    const rows = tables.reduce((sum, [, count]) => sum + count, 0);
    show(slot, `good: ${tables.length} tables, ${rows} rows`, 'success');
    slot.title = tables.map(([name, count]) => `${name}: ${count}`).join('\n');
  }

  async function create(button) {
    button.disabled = true;
    const result = await api('POST', '/api/admin/backups', {});
    if (result.ok) return window.location.reload();
    button.disabled = false;
    flash(result.data.error?.message ?? 'Failed', 'danger');
  }

  async function check(button) {
    const box = document.getElementById('update-check');
    button.disabled = true;
    box.textContent = 'checking…';
    const result = await api('GET', '/api/admin/updates/check');
    button.disabled = false;
    if (!result.ok) {
      box.textContent = `The check failed: ${result.data.error?.message ?? 'no answer'}`;
      return;
    }
    const { current, available, upToDate, changelog } = result.data;
    box.textContent = '';
    const line = document.createElement('div');
    line.textContent = `Available: ${available.version} (${available.commit.slice(0, 12)}, ${available.ref})${upToDate ? ', up to date' : ''}; running ${current.version}`;
    box.append(line);
    if (changelog.length > 0) {
      const list = document.createElement('pre');
      list.className = 'small mb-0 mt-2';
      list.textContent = changelog.join('\n');
      box.append(list);
    }
    document.querySelector('[data-update-apply]')?.toggleAttribute('hidden', upToDate);
  }

  async function follow() {
    const out = document.getElementById('update-progress');
    out.hidden = false;
    // While the server restarts nothing answers: keep asking until one does.
    const result = await api('GET', '/api/admin/updates/progress').catch(() => undefined);
    if (result?.ok) {
      const { running, latest, output } = result.data;
      out.textContent = `${latest?.log || ''}${output ? `\n-- updater output --\n${output}` : ''}`;
      out.scrollTop = out.scrollHeight;
      document.getElementById('update-state').textContent = running
        ? 'updating…'
        : latest
          ? `${latest.status}: ${latest.result ?? ''}`
          : 'not running';
      if (!running) return;
    }
    setTimeout(follow, POLL_MS);
  }

  async function apply(button) {
    if (!window.confirm(button.dataset.confirmText)) return;
    button.disabled = true;
    const result = await api('POST', '/api/admin/updates/apply', {});
    if (!result.ok) {
      button.disabled = false;
      return flash(result.data.error?.message ?? 'Failed', 'danger');
    }
    flash('The update has started', 'success');
    follow();
  }

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest(
      '[data-backup-verify], [data-backup-create], [data-update-check], [data-update-apply]',
    );
    if (!button) return;
    if (button.dataset.backupVerify) verify(button);
    else if (button.hasAttribute('data-backup-create')) create(button);
    else if (button.hasAttribute('data-update-check')) check(button);
    else apply(button);
  });

  if (document.getElementById('update-progress')?.dataset.running === 'true') follow();
})();

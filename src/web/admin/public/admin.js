// Shared behaviour of the panel's pages: forms and buttons marked data-api send JSON to the admin
// API with the session's CSRF token and show field errors where they belong; toasts report results.
// One with data-confirm asks first (what cannot be undone: a refund, a revocation); a button's
// data-body is the JSON it sends (an empty object without it).
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    const data = await response.json().catch(() => ({}));
    if (response.status === 401) window.location.assign(`/admin/login?next=${encodeURIComponent(location.pathname)}`);
    return { ok: response.ok, status: response.status, data };
  }

  function flash(message, kind) {
    const box = document.getElementById('flash');
    if (!box) return;
    const toast = document.createElement('div');
    toast.className = `toast align-items-center text-bg-${kind} border-0 show`;
    toast.setAttribute('role', kind === 'danger' ? 'alert' : 'status');
    const body = document.createElement('div');
    body.className = 'toast-body';
    body.textContent = message;
    toast.append(body);
    box.append(toast);
    setTimeout(() => toast.remove(), 4000);
  }

  function fieldValue(container) {
    const input = container.querySelector('input, select, textarea');
    const type = container.dataset.type;
    if (type === 'boolean') return input.checked;
    if (input.value === '') return undefined;
    if (type === 'integer' || type === 'number') return Number(input.value);
    if (type === 'json') {
      try {
        return JSON.parse(input.value);
      } catch {
        return input.value;
      }
    }
    return input.value;
  }

  function showErrors(form, fields) {
    for (const slot of form.querySelectorAll('[data-error-for]')) {
      const message = fields?.[slot.dataset.errorFor] ?? '';
      slot.textContent = message;
      slot.closest('[data-field]')?.querySelector('input, select, textarea')?.classList.toggle('is-invalid', !!message);
    }
  }

  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.api) return;
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    const values = {};
    for (const container of form.querySelectorAll('[data-field]')) {
      const value = fieldValue(container);
      if (value !== undefined) values[container.dataset.field] = value;
    }
    const body = form.dataset.wrap ? { [form.dataset.wrap]: values } : values;
    const result = await api(form.dataset.method ?? 'POST', form.dataset.api, body);
    if (result.ok && form.dataset.reload) return window.location.reload();
    showErrors(form, result.ok ? {} : (result.data.error?.fields ?? { '': result.data.error?.message ?? 'Failed' }));
    flash(result.ok ? 'Saved' : (result.data.error?.message ?? 'Failed'), result.ok ? 'success' : 'danger');
  });

  document.addEventListener('click', async (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-api]') : null;
    if (!button) return;
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    button.disabled = true;
    const body = button.dataset.body ? JSON.parse(button.dataset.body) : {};
    const result = await api(button.dataset.method ?? 'POST', button.dataset.api, body);
    if (result.ok && button.dataset.reload) return window.location.reload();
    button.disabled = false;
    flash(result.ok ? 'Done' : (result.data.error?.message ?? 'Failed'), result.ok ? 'success' : 'danger');
  });

  window.omnicore = { api, flash };
})();

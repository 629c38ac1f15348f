// The Experiments page's form: the values offered follow the chosen target, and the form is sent as
// a proposal (share and guard bounds given in points, sent as fractions) that starts at once or
// waits for approval, depending on the button pressed; the page reloads to list it.
(() => {
  const { api, flash } = window.omnicore;
  const form = document.getElementById('experiment-form');
  if (!form) return;
  const target = form.elements.namedItem('target');
  const error = form.querySelector('[data-testid=experiment-form-error]');

  const valuesOf = (key) =>
    [...form.querySelectorAll('[data-values-for]')].find((set) => set.dataset.valuesFor === key);
  function showValues() {
    for (const set of form.querySelectorAll('[data-values-for]')) set.hidden = set.dataset.valuesFor !== target.value;
  }
  target.addEventListener('change', showValues);
  showValues();

  const number = (name) => Number(form.elements.namedItem(name).value);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const start = event.submitter?.value !== 'propose';
    const values = [...valuesOf(target.value).querySelectorAll('input:checked')].map((box) => JSON.parse(box.value));
    const guards = {};
    for (const input of form.querySelectorAll('[data-guard]')) {
      if (input.value !== '') guards[input.dataset.guard] = Number(input.value) / 100;
    }
    const reason = form.elements.namedItem('reason').value.trim();
    const body = {
      target: target.value,
      values,
      metric: form.elements.namedItem('metric').value,
      share: number('share') / 100,
      minUsers: number('minUsers'),
      maxDurationHours: number('maxDurationHours'),
      guards,
      ...(reason ? { reason } : {}),
      start,
    };
    for (const button of form.querySelectorAll('button')) button.disabled = true;
    const result = await api('POST', '/api/admin/experiments', body);
    if (result.ok) return window.location.reload();
    for (const button of form.querySelectorAll('button')) button.disabled = false;
    error.textContent = result.data.error?.message ?? 'Failed';
    flash(error.textContent, 'danger');
  });
})();

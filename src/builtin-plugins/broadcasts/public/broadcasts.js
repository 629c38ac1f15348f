// The Broadcasts page live: the audience's size as the segment is typed, and every second the
// counts of each broadcast, with only the buttons its status allows.
(() => {
  const root = document.querySelector('[data-testid="broadcasts"]');
  if (!root) return;
  const base = root.dataset.api;
  const allowed = {
    queued: ['cancel'],
    sending: ['pause', 'cancel'],
    paused: ['resume', 'cancel'],
    done: [],
    cancelled: [],
  };
  const segment = document.getElementById('segment');
  const audience = document.querySelector('[data-testid="audience"]');
  let asked = 0;

  async function preview() {
    const mine = ++asked;
    const result = await window.omnicore.api('GET', `${base}/preview?segment=${encodeURIComponent(segment.value)}`);
    if (mine !== asked) return;
    audience.textContent = result.ok
      ? `Reaches ${result.data.recipients} users (${result.data.blocked} who blocked the bot are left out)`
      : (result.data.error?.message ?? 'Not a segment');
    audience.classList.toggle('text-danger', !result.ok);
  }

  function show(row, b) {
    for (const cell of row.querySelectorAll('[data-count]')) {
      const key = cell.dataset.count;
      cell.textContent =
        key === 'finished'
          ? b.finishedAt
            ? new Date(b.finishedAt).toISOString().slice(0, 19).replace('T', ' ')
            : ''
          : String(b[key]);
    }
    for (const button of row.querySelectorAll('[data-action]'))
      button.hidden = !allowed[b.status].includes(button.dataset.action);
  }

  async function refresh() {
    const result = await window.omnicore.api('GET', `${base}/broadcasts`);
    if (!result.ok) return;
    for (const b of result.data) {
      const row = root.querySelector(`[data-broadcast="${b.id}"]`);
      if (row) show(row, b);
    }
  }

  segment?.addEventListener('input', preview);
  preview();
  refresh();
  setInterval(refresh, 1000);
})();

// The dashboard's per-instance charts: when several instances share the database, a line per
// instance for a few key metrics, from their stored raw samples (/api/admin/metrics/instances),
// read again every 15 s. With one instance the section stays hidden: the live charts show it.
(() => {
  const section = document.getElementById('instance-charts');
  if (!section) return;
  const REFRESH_MS = 15_000;
  const PALETTE = ['#0d6efd', '#fd7e14', '#20c997', '#d63384', '#6f42c1', '#ffc107', '#198754', '#dc3545'];
  const canvases = [...section.querySelectorAll('canvas[data-metric]')];
  const query = new URLSearchParams({
    minutes: section.dataset.minutes,
    metrics: canvases.map((canvas) => canvas.dataset.metric).join(','),
  });
  const charts = new Map();
  // An instance keeps its colour while the page is open, however many come and go.
  const colours = new Map();
  const colour = (id) => {
    if (!colours.has(id)) colours.set(id, PALETTE[colours.size % PALETTE.length]);
    return colours.get(id);
  };
  const time = (at) => new Date(at).toLocaleTimeString();

  // Drawn once the section shows: Chart.js sizes a canvas by its box, which a hidden one lacks.
  function chartOf(canvas) {
    if (!charts.has(canvas)) {
      charts.set(
        canvas,
        new Chart(canvas, {
          type: 'line',
          data: { datasets: [] },
          options: {
            animation: false,
            maintainAspectRatio: false,
            scales: {
              x: { type: 'linear', ticks: { maxTicksLimit: 6, callback: time } },
              y: { beginAtZero: true },
            },
            plugins: { tooltip: { callbacks: { title: (items) => time(items[0].parsed.x) } } },
          },
        }),
      );
    }
    return charts.get(canvas);
  }

  // Datasets are updated in place, so that an instance hidden from its legend stays hidden.
  function draw(report) {
    for (const canvas of canvases) {
      const chart = chartOf(canvas);
      const datasets = report.instances.map((instance) => {
        const dataset = chart.data.datasets.find((existing) => existing.label === instance.id) ?? {
          label: instance.id,
          borderColor: colour(instance.id),
          backgroundColor: colour(instance.id),
          pointRadius: 0,
          tension: 0.25,
        };
        dataset.data = (instance.series[canvas.dataset.metric] ?? []).map((point) => ({ x: point.at, y: point.value }));
        return dataset;
      });
      chart.data.datasets = datasets;
      chart.options.scales.x.min = report.from;
      chart.options.scales.x.max = report.to;
      chart.update();
    }
  }

  let next;
  async function refresh() {
    clearTimeout(next);
    try {
      const result = await window.omnicore.api('GET', `/api/admin/metrics/instances?${query}`);
      if (!result.ok) return;
      const several = result.data.instances.length > 1;
      section.hidden = !several;
      if (several) draw(result.data);
      section.dataset.instances = String(result.data.instances.length);
    } catch {
      // The server is away (restarting, say): the next round tries again.
    } finally {
      next = setTimeout(refresh, REFRESH_MS);
    }
  }
  // A tab brought back to the front shows what happened meanwhile at once, not up to a round later.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refresh();
  });
  void refresh();
})();

// The dashboard's live charts: one Chart.js line chart per metric, fed by the observer's samples
// over Server-Sent Events (/api/admin/live); the status cards follow the same stream.
(() => {
  const MAX_POINTS = 180;
  const MiB = 1024 * 1024;
  const series = {
    updates: [{ key: 'updates.per_minute', label: 'updates/min' }],
    latency: [
      { key: 'handler.latency_p50_ms', label: 'p50' },
      { key: 'handler.latency_p95_ms', label: 'p95' },
    ],
    errors: [{ key: 'errors.per_minute', label: 'errors/min' }],
    users: [{ key: 'users.active', label: 'active (5 min)' }],
    cpu: [{ key: 'cpu.percent', label: 'CPU %' }],
    memory: [
      { key: 'memory.rss_bytes', label: 'RSS', scale: 1 / MiB },
      { key: 'memory.heap_used_bytes', label: 'heap', scale: 1 / MiB },
    ],
    lag: [{ key: 'eventloop.lag_ms', label: 'p99 lag' }],
  };
  const colours = ['#0d6efd', '#fd7e14'];
  const charts = {};

  for (const [id, lines] of Object.entries(series)) {
    const canvas = document.getElementById(`chart-${id}`);
    if (!canvas) continue;
    charts[id] = new Chart(canvas, {
      type: 'line',
      data: {
        labels: [],
        datasets: lines.map((line, index) => ({
          label: line.label,
          data: [],
          borderColor: colours[index],
          backgroundColor: `${colours[index]}22`,
          fill: index === 0,
          pointRadius: 0,
          tension: 0.25,
          spanGaps: true,
        })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true }, x: { ticks: { maxTicksLimit: 6 } } },
        plugins: { legend: { display: lines.length > 1 } },
      },
    });
  }

  function add(sample) {
    const label = new Date(sample.at).toLocaleTimeString();
    for (const [id, chart] of Object.entries(charts)) {
      chart.data.labels.push(label);
      series[id].forEach((line, index) => {
        const value = sample.values[line.key];
        chart.data.datasets[index].data.push(value === undefined ? null : value * (line.scale ?? 1));
      });
      if (chart.data.labels.length > MAX_POINTS) {
        chart.data.labels.shift();
        for (const dataset of chart.data.datasets) dataset.data.shift();
      }
    }
    const backlog = sample.values['inbox.backlog'];
    const card = document.querySelector('[data-card=backlog]');
    if (card && backlog !== undefined) card.textContent = String(backlog);
  }

  function redraw() {
    for (const [id, chart] of Object.entries(charts)) {
      chart.update();
      chart.canvas.dataset.points = String(chart.data.labels.length);
      chart.canvas.dataset.chart = id;
    }
  }

  const state = document.getElementById('live-state');
  function showState(text, kind) {
    if (!state) return;
    state.className = `badge text-bg-${kind}`;
    state.textContent = text;
  }

  const source = new EventSource('/api/admin/live');
  source.addEventListener('history', (message) => {
    for (const chart of Object.values(charts)) {
      chart.data.labels.length = 0;
      for (const dataset of chart.data.datasets) dataset.data.length = 0;
    }
    for (const sample of JSON.parse(message.data).samples) add(sample);
    redraw();
    showState('live', 'success');
  });
  source.addEventListener('sample', (message) => {
    add(JSON.parse(message.data));
    redraw();
  });
  source.addEventListener('error', () => showState('reconnecting…', 'warning'));
})();

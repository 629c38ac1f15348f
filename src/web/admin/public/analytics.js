// The Analytics page's charts, drawn from the same report the page's tables show
// (/api/admin/analytics, cached on the server for a minute).
(async () => {
  const result = await window.omnicore.api('GET', '/api/admin/analytics');
  if (!result.ok) return window.omnicore.flash(result.data.error?.message ?? 'Analytics unavailable', 'danger');
  const report = result.data;
  const colour = '#0d6efd';
  const chart = (id, config) => {
    const canvas = document.getElementById(`analytics-${id}`);
    if (!canvas) return;
    new Chart(canvas, { ...config, options: { maintainAspectRatio: false, animation: false, ...config.options } });
    canvas.dataset.ready = 'true';
  };
  const noLegend = { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } };

  chart('active', {
    type: 'line',
    data: {
      labels: report.activeUsers.daily.map((point) => point.day.slice(5)),
      datasets: [
        {
          data: report.activeUsers.daily.map((point) => point.users),
          borderColor: colour,
          pointRadius: 0,
          fill: false,
        },
      ],
    },
    options: noLegend,
  });
  const top = report.commands.slice(0, 10);
  chart('commands', {
    type: 'bar',
    data: {
      labels: top.map((c) => `/${c.command}`),
      datasets: [{ data: top.map((c) => c.count), backgroundColor: colour }],
    },
    options: { ...noLegend, indexAxis: 'y', scales: { x: { beginAtZero: true } } },
  });
  chart('hours', {
    type: 'bar',
    data: {
      labels: report.activity.usersByHour.map((_users, hour) => String(hour)),
      datasets: [{ data: report.activity.usersByHour, backgroundColor: colour }],
    },
    options: noLegend,
  });
  const segments = Object.entries(report.segments.counts);
  chart('segments', {
    type: 'doughnut',
    data: {
      labels: segments.map(([name]) => name),
      datasets: [
        { data: segments.map(([, count]) => count), backgroundColor: ['#20c997', '#0d6efd', '#ffc107', '#adb5bd'] },
      ],
    },
  });
})();

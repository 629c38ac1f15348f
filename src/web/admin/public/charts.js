// Charts declared in a page's markup: each canvas[data-chart] holds a Chart.js configuration as JSON
// (an attribute the template escapes), so that a plugin's page draws charts without a script.
(() => {
  for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
    let config;
    try {
      config = JSON.parse(canvas.dataset.chart);
    } catch {
      window.omnicore.flash(`Chart ${canvas.id || ''} has no valid configuration`, 'danger');
      continue;
    }
    new Chart(canvas, { ...config, options: { maintainAspectRatio: false, animation: false, ...config.options } });
    canvas.dataset.ready = 'true';
  }
})();

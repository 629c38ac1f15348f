// An experiment's page: each arm's users, primary metric and guards, with the always-valid interval
// of its difference from control drawn as a bar, read from /api/admin/experiments/<id> and read
// again every 5 s while the experiment runs. When its status changes the page reloads, so that its
// outcome, buttons and decision log are the server's.
(() => {
  const { api } = window.omnicore;
  const root = document.getElementById('experiment-report');
  if (!root) return;
  const REFRESH_MS = 5000;
  const tau = Number(root.dataset.tau);
  const body = root.querySelector('[data-testid=arms] tbody');
  const state = document.getElementById('report-state');

  const rate = (share) => `${(share * 100).toFixed(1)}%`;
  const points = (share) => `${share >= 0 ? '+' : '−'}${Math.abs(share * 100).toFixed(1)}`;
  const shown = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** The interval low…high on a scale of −reach…+reach, zero in the middle, the estimate a tick. */
  function intervalBar(difference, reach) {
    const at = (share) => `${Math.min(Math.max(50 + (share / reach) * 50, 0), 100)}%`;
    const verdict = difference.low > 0 ? 'better' : difference.high < 0 ? 'worse' : 'unclear';
    const bar = element('div', `interval-bar interval-${verdict}`);
    bar.dataset.verdict = verdict;
    bar.title = `${points(difference.estimate)} pts, between ${points(difference.low)} and ${points(difference.high)}`;
    const range = element('span', 'interval-range');
    range.style.left = at(difference.low);
    range.style.right = `calc(100% - ${at(difference.high)})`;
    const estimate = element('span', 'interval-estimate');
    estimate.style.left = at(difference.estimate);
    bar.append(element('span', 'interval-zero'), range, estimate);
    return bar;
  }

  function differenceCell(arm, reach) {
    const cell = element('td', 'small');
    cell.dataset.interval = '';
    if (arm.index === 0) cell.textContent = 'control';
    else if (!arm.primary.vsControl) cell.textContent = 'needs 30 users in this arm and in control';
    else {
      const d = arm.primary.vsControl;
      cell.append(
        intervalBar(d, reach),
        element('div', '', `${points(d.estimate)} pts (${points(d.low)} to ${points(d.high)})`),
      );
    }
    return cell;
  }

  function guardsCell(arm) {
    const cell = element('td', 'small');
    for (const [name, guard] of Object.entries(arm.guards)) {
      const line = element('div');
      line.dataset.guard = name;
      const d = guard.vsControl;
      line.append(element('span', 'fw-semibold', `${name} `), `${rate(guard.rate)}`);
      if (d) {
        line.append(` (${points(d.estimate)} pts, ${points(d.low)} to ${points(d.high)})`);
        if (d.low > guard.bound) line.className = 'text-danger';
        else if (d.estimate > guard.bound) line.className = 'text-warning-emphasis';
      }
      line.append(element('span', 'text-body-secondary', ` · bound ${points(guard.bound)} pts`));
      cell.append(line);
    }
    return cell;
  }

  function draw(report) {
    // A little room past the widest interval, so that no bar touches the edges.
    const reach =
      1.15 *
      Math.max(
        tau,
        ...report.arms.flatMap((arm) =>
          arm.primary.vsControl ? [Math.abs(arm.primary.vsControl.low), Math.abs(arm.primary.vsControl.high)] : [],
        ),
      );
    const rows = report.arms.map((arm) => {
      const row = element('tr');
      row.dataset.arm = String(arm.index);
      const users = element('td', '', String(arm.users));
      users.dataset.users = '';
      const primary = element(
        'td',
        'small',
        `${rate(arm.primary.rate)} (${arm.primary.successes}/${arm.primary.trials})`,
      );
      primary.dataset.rate = '';
      row.append(
        element('td', '', arm.index === 0 ? 'control' : `arm ${arm.index}`),
        element('td', 'fw-semibold', shown(arm.value)),
        users,
        primary,
        differenceCell(arm, reach),
        guardsCell(arm),
      );
      return row;
    });
    body.replaceChildren(...rows);
    const textbook = document.querySelector('[data-testid=textbook]');
    textbook.textContent = report.textbookUsersPerArm === undefined ? '—' : String(report.textbookUsersPerArm);
    document.querySelector('[data-textbook-note]').textContent =
      report.textbookUsersPerArm === undefined ? ' (known once control has 30 users)' : '';
    root.dataset.ready = 'true';
  }

  async function refresh() {
    const running = root.dataset.status === 'running';
    const result = await api('GET', `/api/admin/experiments/${root.dataset.id}`).catch(() => undefined);
    if (result?.ok) {
      if (result.data.experiment.status !== root.dataset.status) return window.location.reload();
      draw(result.data);
      state.textContent = running ? `live, updated ${new Date().toLocaleTimeString()}` : 'as it stands';
    } else state.textContent = 'could not read the figures; trying again';
    if (running || !result?.ok) setTimeout(refresh, REFRESH_MS);
  }

  refresh();
})();

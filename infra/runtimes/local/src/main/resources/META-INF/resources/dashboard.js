// The live lag page: polls /v1/replication every second and shows lag over time (uPlot), a table per replica and the
// load per shard (rates, hot or not and the split suggestion, all as the server says them), and every 2 s the splits
// and merges of /v1/admin/operations. What it keeps (the last KEEP_SECONDS of lag) lives in this page.
(() => {
  'use strict';

  const SOURCE = '/v1/replication';
  const OPERATIONS = '/v1/admin/operations';
  const TOKEN_KEY = 'shardkv.token'; // sessionStorage: this tab only, gone when it closes
  const ADMIN_TOKEN_KEY = 'shardkv.adminToken';
  const POLL_MS = 1000;
  const OPS_POLL_MS = 2000;
  const RECENT_OPS = 10;           // ended operations shown, newest first (every active one is shown)
  const KEEP_SECONDS = 300;        // lag history kept for the chart
  const FETCH_TIMEOUT_MS = 5000;
  const CHART_HEIGHT = 250;
  // Okabe-Ito: distinguishable with the common colour-vision deficiencies; one colour per shard.
  const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C564B'];
  // One dash pattern per replica of a shard: solid, dashed, dotted, dash-dot.
  const DASHES = [[], [8, 4], [2, 3], [10, 3, 2, 3]];
  const CSS_DASHES = ['solid', 'dashed', 'dotted', 'dashed'];

  const body = document.body;
  const statusEl = document.getElementById('status');
  const chartEl = document.getElementById('chart');
  const replicasBody = document.querySelector('#replicas tbody');
  const loadBody = document.querySelector('#load tbody');
  const tokenForm = document.getElementById('token-form');
  const tokenInput = document.getElementById('token-input');
  const tokenError = document.getElementById('token-error');
  const opsPanel = document.getElementById('operations');
  const opsStatus = document.getElementById('ops-status');
  const opsTable = document.getElementById('ops');
  const opsBody = document.querySelector('#ops tbody');
  const adminForm = document.getElementById('admin-token-form');
  const adminInput = document.getElementById('admin-token-input');
  const adminError = document.getElementById('admin-token-error');

  const state = {
    polls: 0,
    keys: [],            // "shard/name" (a-l/replica-1), in the API's order: one chart series each
    styles: [],          // {colour, dash, cssDash} per key
    xs: [],              // server time of each poll, in seconds (uPlot's time unit)
    ys: [],              // per key, lag in ms or null (unknown: a gap)
    chart: null,
    opsPolledAt: 0,      // when /v1/admin/operations was last asked (this page's clock)
    opsInFlight: false,
    clockOffsetMs: null, // server clock - this page's clock, for placing gaps while the server is unreachable
    lastAt: null,
    failingSince: null,
    unknownAfterMs: null,
  };

  // ---- formatting --------------------------------------------------------------------------------------------------

  const esc = (v) => String(v).replace(/[&<>"']/g,
      (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);
  const int = (n) => (n == null ? '—' : Number(n).toLocaleString('en-US'));
  const ms = (v) => {
    if (v == null) return 'unknown';
    if (v < 10000) return `${Math.round(v)} ms`;
    if (v < 120000) return `${(v / 1000).toFixed(1)} s`;
    if (v < 7200000) return `${Math.round(v / 60000)} min`;
    return `${(v / 3600000).toFixed(1)} h`;
  };
  const rate = (r) => (r == null ? '—' : r < 10 ? r.toFixed(1) : Math.round(r).toLocaleString('en-US'));
  const bytes = (b) => {
    if (b == null) return '—';
    if (b < 1024) return `${rate(b)} B`;
    if (b < 1048576) return `${(b / 1024).toFixed(1)} KiB`;
    return `${(b / 1048576).toFixed(1)} MiB`;
  };
  const attr = (v) => (v == null ? '' : esc(v));
  const clock = (epochMs) => new Date(epochMs).toLocaleTimeString('en-GB', {hour12: false});

  // ---- the chart ---------------------------------------------------------------------------------------------------

  function styleFor(shardIndex, replicaIndex) {
    return {
      colour: COLOURS[shardIndex % COLOURS.length],
      dash: DASHES[replicaIndex % DASHES.length],
      cssDash: CSS_DASHES[replicaIndex % CSS_DASHES.length],
    };
  }

  function latest(series) {
    for (let i = series.length - 1; i >= 0; i--) if (series[i] !== undefined) return series[i];
    return null;
  }

  /** Time axis labels: HH:MM:SS, with milliseconds when the ticks are under a second apart. */
  function timeTicks(u, splits) {
    const step = splits.length > 1 ? splits[1] - splits[0] : 1;
    return splits.map((v) => {
      const text = clock(v * 1000);
      return step < 1 ? `${text}.${String(Math.round(v * 1000) % 1000).padStart(3, '0')}` : text;
    });
  }

  function buildChart() {
    if (state.chart) {
      state.chart.destroy();
      state.chart = null;
    }
    if (typeof window.uPlot !== 'function') {
      chartEl.innerHTML = '<p class="chart-missing">The chart library (/webjars/uplot/1.6.30/dist/uPlot.iife.min.js) '
          + 'did not load; the tables below still update.</p>';
      return;
    }
    chartEl.textContent = '';
    // With the cursor off the chart, the legend shows the latest values rather than "--".
    const lagValue = (u, v, si, di) => ms(di == null ? latest(u.data[si]) : v);
    const timeValue = (u, v, si, di) => {
      const t = di == null ? latest(u.data[0]) : v;
      return t == null ? '—' : clock(t * 1000);
    };
    const opts = {
      width: Math.max(320, chartEl.clientWidth),
      height: CHART_HEIGHT,
      cursor: {drag: {x: true, y: false}},
      scales: {
        x: {time: true},
        y: {range: (u, min, max) => [0, Math.max(100, (max == null ? 0 : max) * 1.15)]},
      },
      axes: [
        {stroke: '#3a4350', grid: {stroke: '#e6e9ee'}, ticks: {stroke: '#c9ced6'}, values: timeTicks, space: 90},
        {stroke: '#3a4350', grid: {stroke: '#e6e9ee'}, ticks: {stroke: '#c9ced6'}, size: 64,
          label: 'lag (ms)', labelSize: 22, values: (u, splits) => splits.map((v) => int(v))},
      ],
      series: [{label: 'time', value: timeValue}].concat(state.keys.map((key, i) => ({
        label: key,
        stroke: state.styles[i].colour,
        dash: state.styles[i].dash,
        width: 2,
        spanGaps: false,  // unknown stays a gap, never drawn as 0 nor bridged
        value: lagValue,
      }))),
    };
    state.chart = new window.uPlot(opts, [state.xs].concat(state.ys), chartEl);
  }

  window.addEventListener('resize', () => {
    if (state.chart) state.chart.setSize({width: Math.max(320, chartEl.clientWidth), height: CHART_HEIGHT});
  });

  /** Adds one point per series at server time atMs; lags maps key -> ms or null. Rebuilds if the series changed. */
  function addPoint(atMs, keys, styles, lags) {
    if (keys.join('\n') !== state.keys.join('\n')) {
      const old = new Map(state.keys.map((k, i) => [k, state.ys[i]]));
      state.ys = keys.map((k) => old.get(k) || state.xs.map(() => null));
      state.keys = keys;
      state.styles = styles;
      buildChart();
    }
    const x = atMs / 1000;
    if (state.xs.length && x <= state.xs[state.xs.length - 1]) return; // the server's clock went back: skip
    state.xs.push(x);
    state.keys.forEach((k, i) => state.ys[i].push(lags.has(k) ? lags.get(k) : null));
    let drop = 0;
    while (drop < state.xs.length && state.xs[drop] < x - KEEP_SECONDS) drop++;
    if (drop) {
      state.xs.splice(0, drop);
      state.ys.forEach((y) => y.splice(0, drop));
    }
    if (state.chart) state.chart.setData([state.xs].concat(state.ys));
  }

  // ---- rendering ---------------------------------------------------------------------------------------------------

  function render(data) {
    const at = data.at;
    const shards = data.shards || [];
    state.unknownAfterMs = data.unknownAfterMs;
    document.getElementById('unknown-after').textContent = ms(data.unknownAfterMs);
    document.getElementById('delay-window').textContent = ms(data.windowMs);

    const keys = [];
    const styles = [];
    const lags = new Map();
    const replicaRows = [];
    shards.forEach((shard, si) => {
      (shard.replicas || []).forEach((r, ri) => {
        const key = `${shard.shard}/${r.name}`;
        const style = styleFor(si, ri);
        const lag = r.lagMs == null ? null : Number(r.lagMs);
        keys.push(key);
        styles.push(style);
        lags.set(key, lag);
        const d = r.delay || {};
        const hasDelay = (d.samples || 0) > 0;
        const age = r.watermark && r.watermark.appliedAt != null ? Math.max(0, at - r.watermark.appliedAt) : null;
        const healthy = r.healthy === true;
        // With several lanes (stream shards read at once), the lag is the slowest lane's: name it on hover.
        const lanes = Object.entries(r.lanes || {}).sort((x, y) => y[1] - x[1]);
        const laneTitle = lanes.length
          ? ` title="the slowest of ${lanes.length} lanes: ${esc(lanes.map(([n, l]) => `${n} ${ms(l)}`).join(', '))}"`
          : '';
        // A replica whose last verification left differences unrepaired serves no reads: say so beside its name.
        const v = r.lastVerification;
        const divergent = v && v.unrepaired > 0 ? Number(v.unrepaired) : 0;
        const badge = divergent
          ? ` <span class="tag divergent" title="verification ${esc(v.operation)} at ${esc(clock(v.at))}: missing`
            + ` ${int(v.missing)}, different ${int(v.different)}, extra ${int(v.extra)}, repaired ${int(v.repaired)};`
            + ` not read until a verification clears it">divergent ${int(divergent)}</span>`
          : '';
        replicaRows.push(
            `<tr class="replica-row${healthy ? '' : ' unhealthy'}" data-shard="${esc(shard.shard)}"`
            + ` data-replica="${esc(r.replica)}" data-name="${esc(r.name)}" data-lag-ms="${lag == null ? 'unknown' : lag}"`
            + ` data-healthy="${healthy}" data-divergent="${divergent}">`
            + `<td>${ri === 0 ? `<strong>${esc(shard.shard)}</strong>` : `<span class="muted">${esc(shard.shard)}</span>`}</td>`
            + `<td title="table ${esc(r.table || '')}"><span class="swatch" style="border-top-color:${style.colour};`
            + `border-top-style:${style.cssDash}"></span>${esc(r.name)}${badge}</td>`
            + `<td class="num lag${lag == null ? ' unknown' : ''}"${laneTitle}>${ms(lag)}</td>`
            + `<td><span class="pill ${healthy ? 'ok' : 'bad'}">${healthy ? 'healthy' : 'unhealthy'}</span></td>`
            + `<td class="num" title="${int(d.samples || 0)} records in the window">${hasDelay ? ms(d.p50) : '—'}</td>`
            + `<td class="num">${hasDelay ? ms(d.p99) : '—'}</td>`
            + `<td class="num">${hasDelay ? ms(d.max) : '—'}</td>`
            + `<td class="num" title="${r.watermark ? `sequence number ${esc(r.watermark.sequenceNumber)}` : ''}">`
            + `${r.watermark ? ms(age) : '<span class="muted">none yet</span>'}</td>`
            + `<td class="num">${int(r.applied)}</td>`
            + `<td class="num${r.errors > 0 ? ' errors' : ''}">${int(r.errors)}</td>`
            + '</tr>');
      });
    });
    replicasBody.innerHTML = replicaRows.join('')
        || '<tr><td colspan="10" class="muted">No shards in the shard map.</td></tr>';
    addPoint(at, keys, styles, lags);

    const loads = shards.map((shard) => {
      const l = shard.load || {};
      const num = (v) => (typeof v === 'number' ? v : null);
      const r = {reads: num(l.readsPerSecond), writes: num(l.writesPerSecond), bytes: num(l.bytesPerSecond)};
      const total = r.reads == null || r.writes == null ? null : r.reads + r.writes;
      return {shard, l, reads: Number(l.reads || 0), writes: Number(l.writes || 0), throttles: Number(l.throttles || 0),
        r, total, hot: l.hot === true};
    });
    const sum = loads.reduce((a, x) => a + (x.total || 0), 0);
    loadBody.innerHTML = loads.map((x) => {
      const share = x.total != null && sum > 0 ? x.total / sum : null;
      const id = x.shard.shard;
      let verdict = '';
      if (x.hot) {
        verdict = '<span class="tag hot" title="at least 20 requests/s and twice the mean of the other shards">hot</span>';
        if (x.l.splitAt != null) {
          verdict += ` <span class="suggest" title="./shardkv split ${esc(id)} ${esc(x.l.splitAt)}">split at`
              + ` <code>"${esc(x.l.splitAt)}"</code></span>`;
        } else if (x.l.hotKey != null) {
          verdict += ` <span class="suggest hot-key" title="one key carries half of the shard's requests or more:`
              + ` a split cannot spread it">one hot key: <code>"${esc(x.l.hotKey)}"</code></span>`;
        } else {
          verdict += ' <span class="muted" title="the sample of its keys shows no split that leaves a quarter of the'
              + ' requests on each side">no split point yet</span>';
        }
      }
      return `<tr class="load-row${x.hot ? ' hot-row' : ''}" data-shard="${esc(id)}" data-reads="${x.reads}"`
          + ` data-writes="${x.writes}" data-reads-per-s="${x.r.reads == null ? '' : x.r.reads.toFixed(2)}"`
          + ` data-writes-per-s="${x.r.writes == null ? '' : x.r.writes.toFixed(2)}"`
          + ` data-bytes-per-s="${x.r.bytes == null ? '' : x.r.bytes.toFixed(2)}" data-hot="${x.hot}"`
          + ` data-split-at="${attr(x.l.splitAt)}" data-hot-key="${attr(x.l.hotKey)}">`
          + `<td><strong>${esc(id)}</strong></td>`
          + `<td class="muted">${esc(x.shard.leader || '')}</td>`
          + `<td class="num">${int(x.reads)}</td><td class="num">${int(x.writes)}</td>`
          + `<td class="num">${rate(x.r.reads)}</td><td class="num">${rate(x.r.writes)}</td>`
          + `<td class="num">${bytes(x.r.bytes)}</td>`
          + `<td class="num${x.throttles > 0 ? ' errors' : ''}">${int(x.throttles)}</td>`
          + `<td class="share-col">${x.total == null ? '<span class="muted">—</span>'
              : sum === 0 ? '<span class="muted">idle</span>'
              : `<div class="bar"><div style="width:${(share * 100).toFixed(1)}%"></div></div>`
              + `<span class="share">${Math.round(share * 100)}%</span>`}</td>`
          + `<td>${verdict}</td>`
          + '</tr>';
    }).join('') || '<tr><td colspan="10" class="muted">No shards.</td></tr>';

    const unhealthy = shards.reduce((n, s) => n + (s.replicas || []).filter((r) => r.healthy !== true).length, 0);
    const divergent = shards.reduce((n, s) => n + (s.replicas || [])
        .filter((r) => r.lastVerification && r.lastVerification.unrepaired > 0).length, 0);
    statusEl.className = 'status ' + (unhealthy || divergent ? 'warn' : 'ok');
    statusEl.innerHTML = `<span class="dot"></span>Live · updated ${esc(clock(at))}`
        + ` · ${keys.length} replicas in ${shards.length} shards`
        + (unhealthy ? ` · <strong>${unhealthy} unhealthy</strong>` : ' · all healthy')
        + (divergent ? ` · <strong>${divergent} divergent</strong> (not read)` : '')
        + ` · polling <code>${SOURCE}</code> every ${POLL_MS / 1000} s`;
  }

  function renderFailure(reason) {
    if (state.failingSince == null) state.failingSince = Date.now();
    body.dataset.state = 'error';
    body.classList.add('unreachable');
    statusEl.className = 'status bad';
    statusEl.innerHTML = `<span class="dot"></span>Cannot read <code>${SOURCE}</code> (${esc(reason)}) since `
        + `${esc(clock(state.failingSince + (state.clockOffsetMs || 0)))}; retrying every ${POLL_MS / 1000} s.`
        + ' The tables (greyed) show the last values read; the chart, a gap.';
    // While the server cannot be read, lag is unknown: a gap in every series.
    if (state.lastAt != null && state.clockOffsetMs != null) {
      const estimate = Date.now() + state.clockOffsetMs;
      if (estimate > state.lastAt + POLL_MS / 2) {
        state.lastAt = estimate;
        addPoint(estimate, state.keys, state.styles, new Map());
      }
    }
  }

  // ---- the token (a server started with --token answers 401 without it) ---------------------------------------------

  /** Shows the form; polling stops until a token is entered. refused: the stored token was sent and refused. */
  function askForToken(refused) {
    sessionStorage.removeItem(TOKEN_KEY);
    body.dataset.state = 'token';
    body.dataset.token = refused ? 'refused' : 'required';
    statusEl.className = 'status warn';
    statusEl.innerHTML = `<span class="dot"></span><code>${SOURCE}</code> needs the server's token.`;
    tokenError.textContent = refused ? 'The server refused that token; enter it again.' : '';
    tokenForm.hidden = false;
    tokenInput.focus();
  }

  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = tokenInput.value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    tokenInput.value = '';
    tokenForm.hidden = true;
    body.dataset.token = 'sent';
    poll();
  });

  // ---- operations (splits and merges; /v1/admin/ may need the admin token) ------------------------------------------

  const ACTIVE = new Set(['copying', 'catching-up', 'verifying', 'cutting-over']);
  const STATE_PILL = {done: 'ok', failed: 'bad', aborted: 'off'};

  function opsState(kind, html) {
    opsPanel.dataset.state = kind;
    opsStatus.className = kind === 'ok' ? 'muted' : kind === 'error' ? 'ops-error' : 'ops-note';
    opsStatus.innerHTML = html;
    opsTable.hidden = kind !== 'ok';
  }

  function renderOperations(data) {
    const all = Array.isArray(data.operations) ? data.operations : [];
    const active = all.filter((op) => ACTIVE.has(op.state));
    const recent = all.filter((op) => !ACTIVE.has(op.state)).slice(0, RECENT_OPS);
    const shown = active.concat(recent);
    opsState('ok', shown.length === 0 ? 'No splits or merges yet. Start one with <code>./shardkv split &lt;shard&gt; '
        + '&lt;key&gt;</code> or <code>./shardkv merge &lt;shard&gt; &lt;shard&gt;</code>.'
        : `${active.length} active, ${recent.length} recent (newest first).`);
    opsBody.innerHTML = shown.map((op) => {
      const p = op.progress || {};
      const copied = Number(p.copied || 0);
      const total = Number(p.total || 0);
      const done = total > 0 ? Math.min(1, copied / total) : (op.state === 'done' ? 1 : 0);
      const live = ACTIVE.has(op.state);
      const sources = (op.sources || []).join(', ');
      const targets = (op.targets || []).join(', ');
      return `<tr class="op-row${live ? ' op-active' : ''}" data-id="${attr(op.id)}" data-kind="${attr(op.kind)}"`
          + ` data-state="${attr(op.state)}" data-sources="${attr(sources)}" data-targets="${attr(targets)}"`
          + ` data-copied="${copied}" data-total="${total}" data-behind="${Number(p.behind || 0)}"`
          + ` data-eta-ms="${attr(op.etaMs)}" data-write-pause-ms="${attr(op.writePauseMs)}">`
          + `<td><code class="op-id">${esc(op.id)}</code></td>`
          + `<td>${esc(op.kind)}</td>`
          + `<td>${esc(sources)}${targets ? ` → ${esc(targets)}` : ''}</td>`
          + `<td><span class="pill ${live ? 'run' : STATE_PILL[op.state] || 'off'}"`
          + `${op.error ? ` title="${esc(op.error)}"` : ''}>${esc(op.state)}</span></td>`
          + `<td class="progress-col"><div class="bar"><div style="width:${(done * 100).toFixed(1)}%"></div></div>`
          + `<span class="share" title="items copied of about the total">${int(copied)}/${int(total)}</span></td>`
          + `<td class="num">${int(p.behind || 0)}</td>`
          + `<td class="num">${op.etaMs == null ? '<span class="muted">—</span>' : ms(op.etaMs)}</td>`
          + `<td class="num">${op.writePauseMs == null ? '<span class="muted">—</span>' : ms(op.writePauseMs)}</td>`
          + `<td class="num">${op.updatedAt ? esc(clock(op.updatedAt)) : '—'}</td>`
          + '</tr>';
    }).join('');
  }

  /** Asks for the admin token; refused: the one sent was refused (and is forgotten). */
  function askForAdminToken(refused) {
    sessionStorage.removeItem(ADMIN_TOKEN_KEY);
    opsState('token', 'Operations need the admin token.');
    adminError.textContent = refused ? 'The server refused that token; enter the admin token again.' : '';
    adminForm.hidden = false;
  }

  adminForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = adminInput.value.trim();
    if (!token) return;
    sessionStorage.setItem(ADMIN_TOKEN_KEY, token);
    adminInput.value = '';
    adminForm.hidden = true;
    pollOperations(true);
  });

  /** At most every OPS_POLL_MS (now: at once); the admin token if one was entered, else the page's token. */
  async function pollOperations(now) {
    if (state.opsInFlight || (!now && Date.now() - state.opsPolledAt < OPS_POLL_MS)) return;
    state.opsInFlight = true;
    state.opsPolledAt = Date.now();
    try {
      const admin = sessionStorage.getItem(ADMIN_TOKEN_KEY);
      const token = admin || sessionStorage.getItem(TOKEN_KEY);
      const headers = {Accept: 'application/json'};
      if (token) headers.Authorization = `Bearer ${token}`;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
      let response;
      try {
        response = await fetch(OPERATIONS, {cache: 'no-store', headers, signal: controller.signal});
      } finally {
        clearTimeout(timer);
      }
      if (response.status === 401 || response.status === 403) {
        askForAdminToken(admin !== null);
        return;
      }
      if (response.status === 503) {
        let detail = '';
        try {
          detail = (await response.json()).detail || '';
        } catch (e) { /* not problem+json */ }
        adminForm.hidden = true;
        opsState('unavailable', `No splits or merges here: this server runs no reshard engine. ${esc(detail)}`);
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const data = await response.json();
      adminForm.hidden = true;
      renderOperations(data);
    } catch (e) {
      opsState('error', `Cannot read <code>${OPERATIONS}</code> (${esc(e && e.name === 'AbortError'
          ? 'no answer in time' : (e && e.message) || String(e))}); retrying.`);
    } finally {
      state.opsInFlight = false;
    }
  }

  // ---- polling -----------------------------------------------------------------------------------------------------

  async function poll() {
    const started = Date.now();
    try {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
      const token = sessionStorage.getItem(TOKEN_KEY);
      const headers = {Accept: 'application/json'};
      if (token) headers.Authorization = `Bearer ${token}`;
      let response;
      try {
        response = await fetch(SOURCE, {cache: 'no-store', headers, signal: controller.signal});
      } finally {
        clearTimeout(timer);
      }
      if (response.status === 401) {
        askForToken(token !== null);
        return; // polling resumes when a token is entered
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const data = await response.json();
      if (typeof data.at !== 'number' || !Array.isArray(data.shards)) throw new Error('unexpected answer');
      state.clockOffsetMs = data.at - Date.now();
      state.lastAt = data.at;
      state.failingSince = null;
      if (token) body.dataset.token = 'accepted';
      render(data);
      state.polls++;
      body.dataset.polls = String(state.polls);
      body.dataset.state = 'ok';
      body.classList.remove('unreachable');
      body.dataset.at = String(data.at);
      if (adminForm.hidden || sessionStorage.getItem(ADMIN_TOKEN_KEY)) pollOperations(false); // not while asking
    } catch (e) {
      renderFailure(e && e.name === 'AbortError' ? 'no answer in time' : (e && e.message) || String(e));
    }
    setTimeout(poll, Math.max(0, POLL_MS - (Date.now() - started)));
  }

  poll();
})();

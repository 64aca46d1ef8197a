// RingKV dashboard: polls api/cluster and api/stats and renders them. No framework, no build
// step; every value from the server goes into the page as text (textContent), never as HTML.
'use strict';

(() => {
  const POLL_MS = 1500;
  const STALE_MS = 6000;
  const SVG = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#4e9af1', '#f2a541', '#5cc98b', '#e0637a', '#a57ff0', '#3cc6c6',
    '#d4c24a', '#f07fc0', '#8fa3bf', '#7bd35a', '#f0785a', '#6f8cf0'];

  let cluster = null;
  let stats = null;
  let lastOk = 0;
  let ringKey = '';
  // the most partition moves left this page has seen per reshard (by move epoch): the bar's 100 %
  const peakMoves = new Map();

  const $ = (id) => document.getElementById(id);

  /** el('td', {class: 'num'}, 'text', childNode, ...): strings become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const color = (shard) => PALETTE[shard % PALETTE.length];

  function rate(x) {
    if (x === null || x === undefined) return '–';
    if (x === 0) return '0';
    if (x < 10) return x.toFixed(1);
    return Math.round(x).toLocaleString('en-US');
  }

  function ms(x) {
    if (x === null || x === undefined) return '–';
    if (x >= 1000) return (x / 1000).toFixed(2) + ' s';
    if (x < 1) return x.toFixed(2) + ' ms';
    if (x < 10) return x.toFixed(1) + ' ms';
    return Math.round(x) + ' ms';
  }

  const count = (x) => (x === null || x === undefined ? '–' : Number(x).toLocaleString('en-US'));

  async function getJson(url) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 5000);
    try {
      const response = await fetch(url, { cache: 'no-store', signal: abort.signal });
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error((body && body.error) || 'HTTP ' + response.status);
      return body;
    } finally {
      clearTimeout(timer);
    }
  }

  async function poll() {
    const [c, s] = await Promise.allSettled([getJson('api/cluster'), getJson('api/stats')]);
    if (c.status === 'fulfilled') {
      cluster = c.value;
      lastOk = Date.now();
    }
    if (s.status === 'fulfilled') stats = s.value;
    const problem = c.status === 'rejected' ? c.reason : null;
    try {
      render(problem);
    } catch (e) {
      console.error('render failed', e);
    }
    setTimeout(poll, POLL_MS);
  }

  function render(problem) {
    const conn = $('conn');
    const age = Date.now() - lastOk;
    const state = !cluster || (problem && age > STALE_MS) ? 'offline' : problem || age > STALE_MS ? 'stale' : 'live';
    conn.dataset.state = state;
    $('conn-text').textContent = state === 'live' ? 'live' : state === 'stale' ? 'stale ' + Math.round(age / 1000) + ' s' : 'offline';
    const banner = $('banner');
    if (problem) {
      banner.hidden = false;
      banner.textContent = 'Cannot read the cluster from this node: ' + (problem.message || problem) +
        (cluster ? ' (showing the last answer)' : '');
    } else {
      banner.hidden = true;
    }
    document.body.classList.toggle('is-stale', state !== 'live');
    if (!cluster) return;
    renderContext();
    renderCards();
    renderNodes();
    renderShards();
    renderRing();
    renderMigrations();
    renderMoveStats();
  }

  function renderContext() {
    const ctx = $('context');
    ctx.replaceChildren(
      'cluster ', el('b', {}, cluster.clusterId || '?'),
      ' · ', String(cluster.nodes.length), ' nodes · ', String(cluster.shards.length), ' shards · R=',
      String(cluster.replication), ' · served by ', el('b', {}, cluster.self),
      ' · updated ', new Date(cluster.generatedAtMillis).toLocaleTimeString());
  }

  function setValue(id, text, tone) {
    const node = $(id);
    node.textContent = text;
    node.className = 'value' + (tone ? ' ' + tone : '');
  }

  function renderCards() {
    const up = cluster.nodes.filter((n) => n.up).length;
    const total = cluster.nodes.length;
    setValue('nodes-up', up + '/' + total, up === total ? 'ok' : up * 2 > total ? 'warn' : 'bad');
    const led = cluster.shards.filter((s) => s.leader).length;
    setValue('shards-led', led + '/' + cluster.shards.length, led === cluster.shards.length ? 'ok' : 'bad');
    setValue('meta-leader', cluster.metaLeader || 'none', cluster.metaLeader ? '' : 'bad');
    const warming = statsWarmingUp();
    const ops = stats && !warming ? stats.nodes.reduce((sum, n) => sum + (n.opsPerSec || 0), 0) : null;
    setValue('total-ops', rate(ops));
    setValue('epoch', String(cluster.epoch));
    setValue('partitions', count(cluster.partitionCount));
    $('partitions').append(el('span', { class: 'sub' }, cluster.cap ? 'cap ' + count(cluster.cap) + ' per shard' : ''));
  }

  /** True on the first answer, before any node has two samples to compute rates from. */
  function statsWarmingUp() {
    const reachable = stats ? stats.nodes.filter((n) => n.reachable) : [];
    return reachable.length > 0 && reachable.every((n) => n.warmingUp);
  }

  function nodeStats(id) {
    return stats ? stats.nodes.find((n) => n.id === id) || null : null;
  }

  function renderNodes() {
    const rows = cluster.nodes.map((n) => {
      const st = nodeStats(n.id);
      const status = n.up
        ? el('span', { class: 'status up' }, 'UP')
        : el('span', { class: 'status down' }, 'DOWN');
      const statusCell = el('td', { class: 'status-cell' }, status);
      if (!n.up && n.error) statusCell.append(el('span', { class: 'why', title: n.error }, shorten(n.error, 48)));
      if (n.up && n.mapEpoch !== null && n.mapEpoch < cluster.epoch) {
        statusCell.append(' ', el('span', { class: 'status warn', title: 'this node still has map epoch ' + n.mapEpoch },
          'map e' + n.mapEpoch));
      }
      const leads = n.leads.length
        ? el('span', { class: 'chips' }, ...n.leads.map((s) => el('span', { class: 'chip' },
          el('span', { class: 'swatch', style: 'background:' + color(s) }), 'shard ' + s)))
        : el('span', { class: 'dim' }, '–');
      const noStats = !st || !st.reachable;
      const warming = !noStats && st.warmingUp;
      const statCell = (text) => el('td', {
        class: 'num' + (noStats || warming ? ' dim' : ''),
        title: noStats && st ? 'no stats: ' + st.error : warming ? 'first sample; rates follow on the next refresh' : null,
      }, warming ? '…' : text);
      return el('tr', { 'data-node': n.id, 'data-up': String(n.up), class: n.up ? null : 'down' },
        el('td', {}, el('b', {}, n.id), n.id === cluster.self ? el('span', { class: 'self-tag' }, 'this node') : null),
        el('td', { class: 'mono' }, n.host + ':' + n.apiPort),
        statusCell,
        el('td', {}, n.metaMember
          ? el('span', { title: n.id === cluster.metaLeader ? 'meta leader' : 'meta member' },
            n.id === cluster.metaLeader ? '★ leader' : 'member')
          : el('span', { class: 'dim' }, '–')),
        el('td', {}, leads),
        el('td', { class: 'num' }, String(n.replicas)),
        statCell(noStats ? '–' : rate(st.opsPerSec)),
        statCell(noStats ? '–' : ms(st.p99Ms)),
        statCell(noStats ? '–' : rate(st.errorsPerSec)),
        dataMemoryCell(noStats ? null : st.dataMemory));
    });
    $('nodes').tBodies[0].replaceChildren(...rows);
  }

  // The data this node's replicas hold against max-data-memory: amber from 80 %, red at the limit,
  // where the node refuses writes that add data (MEMORY_FULL).
  function dataMemoryCell(memory) {
    if (!memory) return el('td', { class: 'num dim' }, '–');
    const share = memory.limitBytes > 0 ? memory.heldBytes / memory.limitBytes : 0;
    const level = share >= 1 ? ' full' : share >= 0.8 ? ' near' : '';
    return el('td', {
      class: 'num data-memory' + level,
      title: (share * 100).toFixed(1) + ' % of max-data-memory (' + bytes(memory.limitBytes) + ')' +
        (share >= 1 ? ': writes that add data are refused' : ''),
    }, bytes(memory.heldBytes) + ' / ' + bytes(memory.limitBytes));
  }

  function shardStats(id) {
    return stats ? stats.shards.find((s) => s.id === id) || null : null;
  }

  function loadBar(partitions, cap) {
    const width = cap ? Math.min(100, (partitions / cap) * 100) : 0;
    const over = cap && partitions > cap;
    const average = cluster.shards.length ? cluster.partitionCount / cluster.shards.length : 0;
    const bar = el('span', { class: 'bar', title: 'tick: the average P/S = ' + average.toFixed(1) },
      el('span', { style: 'width:' + width.toFixed(1) + '%;background:' + (over ? 'var(--bad)' : 'var(--accent)') }),
      cap ? el('i', { style: 'left:' + Math.min(100, (average / cap) * 100).toFixed(1) + '%' }) : null);
    return el('span', { class: 'load' }, bar,
      el('span', { class: 'n' + (over ? ' over' : '') }, count(partitions) + ' / ' + (cap ? count(cap) : '?')));
  }

  function renderShards() {
    const warming = statsWarmingUp();
    const rows = cluster.shards.map((s) => {
      const st = warming ? null : shardStats(s.id);
      const none = warming ? '…' : '–';
      const chips = s.replicaStates.map((r) => {
        const role = r.role;
        const cls = role === 'LEADER' ? 'chip leader' : role === 'DOWN' ? 'chip down'
          : role === 'FOLLOWER' ? 'chip' : 'chip odd';
        const lag = r.lag ? ', ' + r.lag + ' behind' : '';
        return el('span', { class: cls, 'data-role': role, title: r.node + ': ' + role.toLowerCase() + lag + (r.placed ? '' : ' (not placed here by the map)') },
          r.node);
      });
      const leader = s.leader
        ? el('b', {}, s.leader)
        : el('span', { class: 'status down' }, 'NO LEADER');
      return el('tr', { 'data-shard': String(s.id), 'data-leader': s.leader || '' },
        el('td', {}, el('span', { class: 'swatch', style: 'background:' + color(s.id) }), el('b', {}, 'shard ' + s.id),
          s.removing ? el('span', { class: 'status warn', title: 'its partitions move to the other shards' }, 'REMOVING') : null,
          s.movesIn || s.movesOut ? el('span', { class: 'moving', title: 'partition moves left into / out of this shard' },
            (s.movesIn ? '+' + s.movesIn + ' in' : '') + (s.movesIn && s.movesOut ? ' ' : '') +
            (s.movesOut ? s.movesOut + ' out' : '')) : null),
        el('td', {}, leader),
        el('td', {}, el('span', { class: 'chips' }, ...chips)),
        el('td', { class: 'num' }, String(s.term)),
        el('td', { class: 'num' }, count(s.keys)),
        el('td', {}, loadBar(s.partitions, cluster.cap)),
        el('td', { class: 'num' }, st ? rate(st.opsPerSec) : none),
        el('td', { class: 'num' }, st ? rate(st.writesPerSec) : none),
        el('td', { class: 'num' }, st ? rate(st.readsPerSec) : none),
        el('td', { class: 'num' }, st ? ms(st.p99WriteMs) : none),
        el('td', { class: 'num' }, st ? ms(st.p99ReadMs) : none));
    });
    $('shards').tBodies[0].replaceChildren(...rows);
  }

  function point(fraction, r) {
    const a = fraction * 2 * Math.PI - Math.PI / 2;
    return [120 + r * Math.cos(a), 120 + r * Math.sin(a)];
  }

  function arcPath(start, end, r) {
    // an arc of the whole circle cannot be drawn with one A command: split it
    if (end - start >= 0.999) return arcPath(start, start + 0.5, r) + ' ' + arcPath(start + 0.5, end, r);
    const [x0, y0] = point(start, r);
    const [x1, y1] = point(end, r);
    const large = end - start > 0.5 ? 1 : 0;
    return 'M' + x0.toFixed(2) + ' ' + y0.toFixed(2) + ' A' + r + ' ' + r + ' 0 ' + large + ' 1 ' + x1.toFixed(2) + ' ' + y1.toFixed(2);
  }

  function renderRing() {
    const key = cluster.epoch + '/' + cluster.partitionCount + '/' + cluster.shards.length;
    if (key !== ringKey) {
      ringKey = key;
      const ring = $('ring');
      const r = 92;
      const byShard = new Map();
      for (const [start, end, shard, n] of cluster.ring) {
        if (!byShard.has(shard)) byShard.set(shard, { d: [], arcs: 0, partitions: 0 });
        const entry = byShard.get(shard);
        entry.d.push(arcPath(start, end, r));
        entry.arcs += 1;
        entry.partitions += n;
      }
      const children = [svg('circle', { class: 'track', cx: 120, cy: 120, r })];
      for (const [shard, entry] of [...byShard.entries()].sort((a, b) => a[0] - b[0])) {
        const path = svg('path', { d: entry.d.join(' '), stroke: color(shard), 'data-shard': shard });
        path.addEventListener('mouseenter', () => focusShard(shard));
        path.addEventListener('mouseleave', () => focusShard(null));
        path.append(svg('title', {}, 'shard ' + shard + ': ' + entry.partitions + ' partitions in ' + entry.arcs + ' arcs'));
        children.push(path);
      }
      children.push(svg('text', { x: 120, y: 118, 'text-anchor': 'middle', class: 'big' }, count(cluster.partitionCount)));
      children.push(svg('text', { x: 120, y: 138, 'text-anchor': 'middle', class: 'small' }, 'partitions'));
      ring.replaceChildren(...children);
    }
    const legend = cluster.shards.map((s) => {
      const item = el('li', { 'data-shard': String(s.id) },
        el('span', {}, el('span', { class: 'swatch', style: 'background:' + color(s.id) }), 'shard ' + s.id),
        loadBar(s.partitions, cluster.cap));
      item.addEventListener('mouseenter', () => focusShard(s.id));
      item.addEventListener('mouseleave', () => focusShard(null));
      return item;
    });
    $('ring-legend').replaceChildren(...legend);
    const eps = cluster.placement ? cluster.placement.eps : null;
    $('cap-note').textContent = cluster.cap
      ? 'Bounded-load cap ⌈(1+ε)·P/S⌉ = ⌈' + (1 + eps).toFixed(2) + ' · ' + cluster.partitionCount + ' / ' +
        cluster.shards.length + '⌉ = ' + cluster.cap + ' partitions per shard (ε = ' + eps + ', ' +
        cluster.placement.virtualPointsPerShard + ' ring points per shard). Each partition sits at its ring position.'
      : 'No bounded-load cap yet (no shards placed).';
  }

  /** Highlights one shard's arcs (hovering its legend entry or an arc); null shows all again. */
  function focusShard(shard) {
    const ring = $('ring');
    ring.classList.toggle('focus', shard !== null);
    for (const path of ring.querySelectorAll('path')) {
      path.classList.toggle('on', String(shard) === path.getAttribute('data-shard'));
    }
  }

  function renderMigrations() {
    const box = $('migrations');
    const r = cluster.resharding;
    if (!r) {
      box.className = 'empty';
      box.textContent = 'none';
      return;
    }
    const peak = Math.max(peakMoves.get(r.moveEpoch) || 0, r.movesLeft);
    peakMoves.set(r.moveEpoch, peak);
    const done = peak - r.movesLeft;
    const width = peak ? (done / peak) * 100 : 100;
    const perShard = (list, arrow) => el('ul', {}, ...list.map((e) => el('li', { 'data-shard': String(e.shard) },
      el('span', { class: 'swatch', style: 'background:' + color(e.shard) }), 'shard ' + e.shard + ' ' + arrow + ' ',
      el('b', {}, count(e.moves)), ' left')));
    box.className = 'moves';
    box.replaceChildren(
      el('div', { class: 'moves-head' }, el('b', { id: 'moves-left' }, count(r.movesLeft)),
        ' partition moves left (copying ' + r.copying + ', dropping ' + r.dropping + ')',
        r.removing.length ? el('span', { class: 'status warn' }, 'removing shard ' + r.removing.join(', ')) : null),
      el('span', { class: 'load' },
        el('span', { class: 'bar', title: 'moves done against the most left this page has seen' },
          el('span', { style: 'width:' + width.toFixed(1) + '%;background:var(--accent)' })),
        el('span', { class: 'n' }, count(done) + ' / ' + count(peak) + ' moved')),
      el('div', { class: 'moves-cols' },
        el('div', {}, el('h3', {}, 'Into'), perShard(r.toShards, '←')),
        el('div', {}, el('h3', {}, 'Out of'), perShard(r.fromShards, '→'))));
  }

  /** Partition moves since the nodes started (ringkv_partition_* metrics, counted on the meta leader). */
  function renderMoveStats() {
    const box = $('move-stats');
    const m = stats && stats.partitionMoves;
    if (!m || (!m.moves && !m.frozen)) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    box.textContent = 'Since the nodes started: ' + count(m.moves) + ' partitions moved, ' + bytes(m.bytes) +
      ' copied; time a partition was frozen: p50 ' + ms(m.frozenP50Ms) + ', p99 ' + ms(m.frozenP99Ms) +
      ', max ' + ms(m.frozenMaxMs) + '.';
  }

  function bytes(x) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = x || 0;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return (unit === 0 ? String(value) : value.toFixed(1)) + ' ' + units[unit];
  }

  function shorten(text, max) {
    return text.length > max ? text.slice(0, max - 1) + '…' : text;
  }

  poll();
})();

// mindstream live page: one WebSocket to the display server (docs/display.md), plain DOM + canvas, no libraries.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const STAGE_LABEL = {
    INGESTED: 'acquisition → ingest', JOURNALED: 'journal', PRODUCED: 'to Kafka', CONSUMED: 'Kafka → processor',
    EPOCHED: 'epoch + preprocess', DECODED: 'decode', PUSHED: 'push', RENDERED: 'render',
  };
  const HIST_KEEP = 500;
  const PLOT_SECONDS = 4;

  // what tests and curious users can read from the console
  const state = window.mindstream = {
    connected: false, clientId: null, stages: [], bank: null, received: 0, rendered: 0, acked: 0,
    lastSeq: -1, lastEpochId: null, clockOffsetUs: 0, rttMs: null, e2eMs: [], helloUs: 0, megFrames: 0,
    fmriVolumes: 0, fmriLastVolume: null, fmriResults: 0, fmriLastEpochId: null, fmriLatencyMs: [],
    windowResults: 0, windowLastEpochId: null, windowFramesDrawn: 0, windowShownEpochId: null,
  };

  let ws = null;
  let retryMs = 500;
  let pingTimer = null;
  let pending = null;             // latest result waiting for the next frame
  let renderScheduled = false;
  const pings = [];               // recent {rtt, offsetUs}

  const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
  const fmtMs = (v) => v == null || !isFinite(v) ? '–' : (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
  const pct = (v) => v == null || !isFinite(v) ? '–' : (100 * v).toFixed(v < 0.1 ? 1 : 0) + '%';

  function setStatus(cls, text) {
    const s = $('status');
    s.className = 'status ' + cls;
    s.textContent = text;
  }

  // ---- connection with automatic reconnect -------------------------------------------------------------
  function connect() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    setStatus('connecting', 'connecting…');
    ws = new WebSocket(url);
    ws.onopen = () => {
      retryMs = 500;
      state.connected = true;
      setStatus('connected', '● live');
      // a few quick pings first: the one with the shortest round trip gives the offset
      [0, 200, 400, 600].forEach((d) => setTimeout(ping, d));
      pingTimer = setInterval(ping, 5000);
    };
    ws.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch (e) { console.warn('bad message', e); return; }
      handle(m);
    };
    ws.onclose = (ev) => {
      state.connected = false;
      clearInterval(pingTimer);
      const wait = retryMs;
      retryMs = Math.min(retryMs * 2, 5000);
      let left = Math.ceil(wait / 1000);
      setStatus('reconnecting', 'disconnected' + (ev.reason ? ' (' + ev.reason + ')' : '') + ' — retrying in ' + left + ' s');
      setTimeout(connect, wait);
    };
  }

  function send(obj) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj));
  }

  function ping() { send({ type: 'ping', clientMs: performance.timeOrigin + performance.now() }); }

  // NTP-style: the sample with the smallest round trip gives the best offset estimate
  function onPong(m) {
    const t1 = performance.timeOrigin + performance.now();
    const rtt = t1 - m.clientMs;
    pings.push({ rtt, offsetUs: m.serverUs - (m.clientMs + rtt / 2) * 1000 });
    if (pings.length > 8) pings.shift();
    const best = pings.reduce((a, b) => (b.rtt < a.rtt ? b : a));
    // the true offset lies within ±rtt/2 of the estimate; when zero is inside that interval (same host, synced
    // clocks) correcting would only add the estimate's error to every render time
    state.clockOffsetUs = Math.abs(best.offsetUs) <= best.rtt * 500 ? 0 : Math.round(best.offsetUs);
    state.rttMs = best.rtt;
    $('clock').textContent = 'browser clock offset ' + fmtMs(best.offsetUs / 1000) + ' ± ' + fmtMs(best.rtt / 2)
      + ' ms' + (state.clockOffsetUs === 0 ? ' (not significant: render times uncorrected)' : ' (render times corrected)');
  }

  function handle(m) {
    switch (m.type) {
      case 'hello': onHello(m); break;
      case 'result': onResult(m); break;
      case 'health': onHealth(m); break;
      case 'meg': onMeg(m); break;
      case 'fmri': onFmriVolume(m); break;
      case 'fmriResult': onFmriResult(m); break;
      case 'window': onWindow(m); break;
      case 'pong': onPong(m); break;
      default: console.info('unknown message', m.type);
    }
  }

  function onHello(m) {
    state.clientId = m.clientId;
    state.stages = m.stages;
    state.bank = m.bank;
    state.helloUs = m.serverUs;
    $('bank').textContent = m.bank ? m.bank.count + ' images' + (m.bank.model ? ' · ' + m.bank.model : '') : 'none';
    $('bank').parentElement.title = $('bank').textContent;
    $('acc-window').textContent = 'last ' + m.accuracyWindow + ' scored';
  }

  // ---- results ----------------------------------------------------------------------------------------
  function onResult(m) {
    state.received++;
    state.lastSeq = m.seq;
    state.lastEpochId = m.epochId;
    // results pushed before this page connected are history (the snapshot): show them, don't time them
    m.live = m.live !== false && m.trace[state.stages.indexOf('PUSHED')] >= state.helloUs;
    addHistory(m);
    pending = m;
    if (!renderScheduled) {
      renderScheduled = true;
      requestAnimationFrame(renderPending);
    }
  }

  function renderPending() {
    renderScheduled = false;
    const m = pending;
    pending = null;
    if (!m) return;
    renderResult(m);
    // acknowledge after the frame that shows it has been produced: a message posted from rAF runs after paint
    const ch = new MessageChannel();
    ch.port1.onmessage = () => acknowledge(m);
    ch.port2.postMessage(0);
  }

  function acknowledge(m) {
    state.rendered++;
    const renderedUs = nowUs() + state.clockOffsetUs;
    const stages = state.stages;
    const trace = m.trace.slice();
    trace[stages.indexOf('RENDERED')] = renderedUs;
    if (m.live) {
      send({ type: 'rendered', seq: m.seq, epochId: m.epochId, renderedUs, clockOffsetUs: state.clockOffsetUs });
      state.acked++;
      const first = trace.find((v) => v > 0);
      state.e2eMs.push((renderedUs - first) / 1000);
      if (state.e2eMs.length > HIST_KEEP) state.e2eMs.shift();
      drawHistogram();
    }
    drawWaterfall(trace, m.live);
    $('page-stats').textContent = 'results received ' + state.received + ' · rendered ' + state.rendered + ' · acknowledged ' + state.acked;
  }

  function thumb(url, alt) {
    const box = document.createElement('div');
    box.className = 'imgbox';
    if (url) {
      const img = document.createElement('img');
      img.src = url;
      img.alt = alt;
      box.appendChild(img);
    } else {
      const s = document.createElement('span');
      s.className = 'none';
      s.textContent = 'no thumbnail';
      box.appendChild(s);
    }
    return box;
  }

  function renderResult(m) {
    $('session').textContent = m.session;
    $('model').textContent = m.model;
    const t = m.trigger;
    showStimulus('stim-img', 'stim-none', t.thumb, t.imageId ? 'no thumbnail for ' + t.imageId
      : (t.kind === 'WINDOW' ? 'sliding window (no stimulus)' : 'the marker names no image'));
    $('stim-id').textContent = t.imageId || (t.kind === 'WINDOW' ? 'window #' + t.seq : '–');
    $('stim-label').textContent = t.label || '';

    $('k').textContent = m.topK.length;
    renderMatches($('matches'), m.topK, t.imageId, t.concept);
    const hit = m.hit ? (m.hit.top1 ? ' · top-1 hit' : m.hit.top5 ? ' · top-5 hit' : ' · miss') : '';
    $('result-meta').textContent = m.epochId + ' · ' + m.quality + hit;
    renderAccuracy(m.accuracy);
  }

  // the stimulus image, or why there is none
  function showStimulus(imgId, noneId, thumbUrl, noneText) {
    const img = $(imgId);
    if (thumbUrl) {
      if (img.getAttribute('src') !== thumbUrl) img.src = thumbUrl;
      img.hidden = false;
      $(noneId).hidden = true;
    } else {
      img.hidden = true;
      img.removeAttribute('src');
      $(noneId).hidden = false;
      $(noneId).textContent = noneText;
    }
  }

  // the retrieved images, best first; the true image (when known) framed green, another image of its concept
  // (when the bank groups images into concepts) framed indigo and tagged: a near miss, not a wrong answer
  function renderMatches(ol, topK, trueId, trueConcept) {
    ol.replaceChildren();
    const maxScore = Math.max(1e-9, ...topK.map((x) => Math.abs(x.score)));
    topK.forEach((x, i) => {
      const li = document.createElement('li');
      if (trueId && x.imageId === trueId) li.className = 'hit';
      else if (trueConcept && x.concept === trueConcept) li.className = 'same-concept';
      li.appendChild(thumb(x.thumb, x.imageId));
      const cap = document.createElement('div');
      cap.className = 'cap';
      cap.innerHTML = '<span class="rank"></span><span class="score"></span>';
      cap.firstChild.textContent = '#' + (i + 1);
      cap.lastChild.textContent = x.score.toFixed(3);
      li.appendChild(cap);
      const id = document.createElement('span');
      id.className = 'id';
      id.textContent = x.imageId + (li.className === 'same-concept' ? ' · same concept' : '');
      li.appendChild(id);
      const sb = document.createElement('div');
      sb.className = 'sbar';
      const f = document.createElement('div');
      f.style.width = (100 * Math.max(0, x.score) / maxScore).toFixed(1) + '%';
      sb.appendChild(f);
      li.appendChild(sb);
      ol.appendChild(li);
    });
  }

  // ---- fMRI: the current volume as a slice mosaic, and the fMRI decoder's results ---------------------
  function showFmri() {
    $('fmri-card').hidden = false;
  }

  function onFmriVolume(m) {
    showFmri();
    state.fmriVolumes++;
    state.fmriLastVolume = m.volume;
    const c = $('fmri-mosaic');
    if (c.width !== m.width || c.height !== m.height) {
      c.width = m.width;
      c.height = m.height;
    }
    const ctx = c.getContext('2d');
    const bytes = atob(m.pixels);
    const img = ctx.createImageData(m.width, m.height);
    for (let i = 0; i < bytes.length; i++) {
      const v = bytes.charCodeAt(i);
      img.data[4 * i] = v;
      img.data[4 * i + 1] = v;
      img.data[4 * i + 2] = v;
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    $('fmri-vol-caption').textContent = 'volume ' + m.volume + ' · ' + m.voxels + ' voxels · '
      + (m.slicesShown < m.slices ? m.slicesShown + ' of ' + m.slices : m.slices) + ' slices of ' + m.tileWidth + '×'
      + m.tileHeight + (m.fromGeometry ? '' : ' (shape assumed: the stream gives no geometry)');
  }

  function onFmriResult(m) {
    showFmri();
    state.fmriResults++;
    state.fmriLastEpochId = m.epochId;
    const t = m.trigger;
    // a stimulus epoch names its image; a TR window is shown beside what was on screen one HRF before its volume
    const stim = t.kind === 'FMRI_STIMULUS' ? { imageId: t.imageId, thumb: t.thumb } : m.hrfStimulus;
    showStimulus('fmri-stim-img', 'fmri-stim-none', stim && stim.thumb,
      stim ? 'no thumbnail for ' + stim.imageId : 'no stimulus yet');
    $('fmri-stim-id').textContent = stim ? stim.imageId : '–';
    $('fmri-stim-caption').textContent = t.kind === 'FMRI_STIMULUS'
      ? 'stimulus (its haemodynamic window averaged)' : 'stimulus ' + m.hrfDelay + ' s before volume ' + t.seq;
    renderMatches($('fmri-matches'), m.topK, stim ? stim.imageId : null, stim ? stim.concept : null);
    const hit = m.hit ? (m.hit.top1 ? ' · top-1 hit' : m.hit.top5 ? ' · top-5 hit' : ' · miss') : '';
    $('fmri-result-meta').textContent = (t.kind === 'FMRI_TR' ? 'TR window ' : 'stimulus epoch ') + m.epochId
      + ' · ' + m.quality + hit;
    $('fmri-meta').textContent = m.model;
    const a = m.accuracy;
    if (a && a.total > 0) {
      $('fmri-acc').textContent = 'top-1 ' + pct(a.totalTop1) + ' · top-5 ' + pct(a.totalTop5);
      $('fmri-chance').textContent = 'chance ' + pct(a.chance1) + ' / ' + pct(a.chance5) + ' · ' + a.total
        + ' stimulus epochs scored';
    }
    if (m.volumeToResultMs != null) state.fmriLatencyMs.push(m.volumeToResultMs);
    if (state.fmriLatencyMs.length > HIST_KEEP) state.fmriLatencyMs.shift();
    $('fmri-lat').textContent = m.volumeToResultMs == null ? '–' : fmtMs(m.volumeToResultMs) + ' ms';
    const l = m.latency;
    $('fmri-lat-pct').textContent = l && l.n > 0 ? 'p50 ' + fmtMs(l.p50) + ' ms · p99 ' + fmtMs(l.p99) + ' ms over '
      + l.n + ' results' : '';
  }

  // ---- sliding windows: up to 20 results a second, drawn at most once per animation frame ----------------
  const COURSE_SECONDS = 6;
  const course = [];              // {time, score, top} of recent windows, oldest first
  const onsets = [];              // recent stimulus onsets {time, imageId}
  let pendingWindow = null;       // the newest window not yet drawn
  let windowScheduled = false;
  let shownWindowKey = '';        // the top-k ids on screen: the list is rebuilt only when they change

  function onWindow(m) {
    state.windowResults++;
    state.windowLastEpochId = m.epochId;
    course.push({ time: m.time, score: m.score, top: m.topK.length ? m.topK[0].score : null });
    while (course.length && course[0].time < m.time - COURSE_SECONDS) course.shift();
    if (m.stimulus && !onsets.some((o) => o.time === m.stimulus.time)) {
      onsets.push({ time: m.stimulus.time, imageId: m.stimulus.imageId });
    }
    while (onsets.length && onsets[0].time < m.time - COURSE_SECONDS) onsets.shift();
    pendingWindow = m;
    if (!windowScheduled) {
      windowScheduled = true;
      requestAnimationFrame(renderWindow);
    }
  }

  function renderWindow() {
    windowScheduled = false;
    const m = pendingWindow;
    pendingWindow = null;
    if (!m) return;
    state.windowFramesDrawn++;
    state.windowShownEpochId = m.epochId;
    $('win-card').hidden = false;
    $('win-meta').textContent = m.model;
    const st = m.stimulus;
    showStimulus('win-stim-img', 'win-stim-none', st && st.thumb, st ? 'no thumbnail for ' + st.imageId : 'no stimulus yet');
    $('win-stim-id').textContent = st ? st.imageId : '–';
    $('win-since').textContent = m.sinceOnset == null ? '' : (1000 * m.sinceOnset).toFixed(0) + ' ms after its onset'
      + (m.rank == null ? '' : ' · rank ' + (m.rank + 1));
    const key = m.topK.map((x) => x.imageId).join('|') + '#' + (st ? st.imageId : '');
    if (key !== shownWindowKey) {
      shownWindowKey = key;
      $('win-k').textContent = m.topK.length;
      renderMatches($('win-matches'), m.topK, st ? st.imageId : null, null);
    } else {
      // same images: only their scores move
      $('win-matches').querySelectorAll('.score').forEach((el, i) => { el.textContent = m.topK[i].score.toFixed(3); });
    }
    $('win-result-meta').textContent = m.epochId + ' · ' + m.quality;
    drawCourse(m.time);
  }

  function drawCourse(now) {
    const c = $('win-course');
    const g = c.getContext('2d');
    const W = c.width, H = c.height;
    g.clearRect(0, 0, W, H);
    if (!course.length) return;
    let lo = 0, hi = 0.1;
    for (const p of course) {
      for (const v of [p.score, p.top]) {
        if (v != null && isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      }
    }
    const x = (t) => W - 1 - (now - t) * (W - 2) / COURSE_SECONDS;
    const y = (v) => H - 4 - (v - lo) * (H - 8) / (hi - lo);
    g.strokeStyle = 'rgba(148, 163, 184, 0.35)';
    g.lineWidth = 1;
    g.beginPath(); g.moveTo(0, y(0)); g.lineTo(W, y(0)); g.stroke();
    g.setLineDash([4, 4]);
    g.strokeStyle = 'rgba(251, 191, 36, 0.8)';
    g.fillStyle = 'rgba(251, 191, 36, 0.9)';
    g.font = '11px sans-serif';
    for (const o of onsets) {
      g.beginPath(); g.moveTo(x(o.time), 0); g.lineTo(x(o.time), H); g.stroke();
      g.fillText(o.imageId, x(o.time) + 3, 12);
    }
    g.setLineDash([]);
    const line = (field, style, width) => {
      g.strokeStyle = style;
      g.lineWidth = width;
      g.beginPath();
      let open = false;
      for (const p of course) {
        const v = p[field];
        if (v == null || !isFinite(v)) { open = false; continue; }
        if (open) g.lineTo(x(p.time), y(v)); else g.moveTo(x(p.time), y(v));
        open = true;
      }
      g.stroke();
    };
    line('top', 'rgba(148, 163, 184, 0.6)', 1);
    line('score', 'rgb(74, 222, 128)', 2);
  }

  // accuracy of the window decoder by time since onset (health, once a second)
  function drawLagAccuracy(w) {
    if (!w || !w.bins.some((b) => b.n > 0)) return;
    const c = $('win-lag');
    const g = c.getContext('2d');
    const W = c.width, H = c.height, n = w.bins.length;
    g.clearRect(0, 0, W, H);
    const bw = W / n;
    // scaled to what there is to see (at least 4 × chance), so a modest rise above chance is not a flat line
    const top = Math.min(1, Math.max(4 * (w.chance5 || 0), 0.1, ...w.bins.map((b) => b.top5 || 0)) * 1.1);
    const y = (v) => H - 14 - v * (H - 20) / top;
    g.fillStyle = 'rgba(56, 189, 248, 0.7)';
    let total = 0;
    w.bins.forEach((b, i) => {
      total += b.n;
      if (b.top5 != null) g.fillRect(i * bw + 1, y(b.top5), bw - 2, y(0) - y(b.top5));
    });
    if (w.chance5 != null) {
      g.strokeStyle = 'rgba(248, 113, 113, 0.9)';
      g.beginPath(); g.moveTo(0, y(w.chance5)); g.lineTo(W, y(w.chance5)); g.stroke();
    }
    g.fillStyle = 'rgba(148, 163, 184, 0.9)';
    g.font = '11px sans-serif';
    for (let i = 0; i < n; i += 4) g.fillText((1000 * w.bins[i].fromS).toFixed(0) + ' ms', i * bw + 2, H - 2);
    $('win-acc-meta').textContent = 'top-5 per ' + (1000 * w.binS).toFixed(0) + ' ms after onset (full height '
      + pct(top) + ') · red = chance '
      + pct(w.chance5) + ' · ' + total + ' windows scored';
  }

  const HISTORY = 12;
  function addHistory(m) {
    const li = document.createElement('li');
    li.className = !m.hit ? 'unscored' : m.hit.top1 ? 'top1' : m.hit.top5 ? 'top5' : 'miss';
    li.title = m.epochId + (m.trigger.imageId ? ' · ' + m.trigger.imageId : '');
    if (m.trigger.thumb) {
      const img = document.createElement('img');
      img.src = m.trigger.thumb;
      img.alt = m.trigger.imageId;
      li.appendChild(img);
    } else {
      li.textContent = m.trigger.imageId || '#' + m.trigger.seq;
    }
    const h = $('history');
    h.insertBefore(li, h.firstChild);
    while (h.children.length > HISTORY) h.removeChild(h.lastChild);
  }

  function renderAccuracy(a) {
    if (!a) return;
    $('acc1').style.width = a.top1 == null ? '0' : (100 * a.top1).toFixed(1) + '%';
    $('acc5').style.width = a.top5 == null ? '0' : (100 * a.top5).toFixed(1) + '%';
    $('chance1').style.left = a.chance1 == null ? '0' : (100 * a.chance1).toFixed(2) + '%';
    $('chance5').style.left = a.chance5 == null ? '0' : (100 * a.chance5).toFixed(2) + '%';
    $('acc1-txt').textContent = pct(a.top1);
    $('acc5-txt').textContent = pct(a.top5);
    $('chance1-txt').textContent = 'chance ' + pct(a.chance1);
    $('chance5-txt').textContent = 'chance ' + pct(a.chance5);
    $('acc-note').textContent = a.n === 0 ? 'no scored results yet (only results whose marker names an image are scored)'
      : a.n + ' scored in window · since start: top-1 ' + pct(a.totalTop1) + ', top-5 ' + pct(a.totalTop5) + ' of ' + a.total;
  }

  // ---- latency ----------------------------------------------------------------------------------------
  function drawWaterfall(trace, live) {
    const stages = state.stages;
    const first = trace.findIndex((v) => v > 0);
    const wf = $('wf');
    wf.replaceChildren();
    if (first < 0) return;
    // a result from the snapshot (history a page gets when it connects) was not rendered by this page as it arrived:
    // its stages up to the push are real, a render stamp is not this page's, so no render bar is drawn
    const timed = (i) => trace[i] > 0 && (live || stages[i] !== 'RENDERED');
    let last = first;
    for (let i = first + 1; i < trace.length; i++) if (timed(i)) last = i;
    const total = (trace[last] - trace[first]) / 1000;
    let prev = first;
    for (let i = first + 1; i <= last; i++) {
      if (!timed(i)) continue;
      const start = (trace[prev] - trace[first]) / 1000;
      const dur = (trace[i] - trace[prev]) / 1000;
      const row = document.createElement('div');
      row.className = 'wf-row' + (stages[i] === 'RENDERED' ? ' render' : '');
      row.innerHTML = '<span class="name"></span><div class="track"><div class="seg"></div></div><span class="ms"></span>';
      row.children[0].textContent = STAGE_LABEL[stages[i]] || stages[i];
      const seg = row.children[1].firstChild;
      seg.style.left = (total > 0 ? 100 * start / total : 0).toFixed(2) + '%';
      seg.style.width = (total > 0 ? 100 * dur / total : 0).toFixed(2) + '%';
      row.children[2].textContent = fmtMs(dur) + ' ms';
      wf.appendChild(row);
      prev = i;
    }
    const tot = document.createElement('div');
    tot.className = 'wf-row total';
    tot.innerHTML = '<span class="name"></span><span></span><span class="ms"></span>';
    tot.children[0].textContent = stages[first].toLowerCase() + ' → ' + stages[last].toLowerCase();
    tot.children[2].textContent = fmtMs(total) + ' ms';
    wf.appendChild(tot);
    $('wf-total').textContent = live ? '' : '(from the snapshot: stages as first pushed, render not timed here)';
  }

  function quantile(sorted, q) {
    return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1))];
  }

  function drawHistogram() {
    const c = $('hist');
    const g = c.getContext('2d');
    const W = c.width, H = c.height;
    g.clearRect(0, 0, W, H);
    const v = state.e2eMs;
    if (!v.length) return;
    const s = v.slice().sort((a, b) => a - b);
    const p50 = quantile(s, 0.5), p95 = quantile(s, 0.95), p99 = quantile(s, 0.99), max = s[s.length - 1];
    const hi = Math.max(1, p99 * 1.25);
    const bins = 40, counts = new Array(bins).fill(0);
    for (const x of v) counts[Math.min(bins - 1, Math.floor(x / hi * bins))]++;
    const top = Math.max(...counts);
    const padB = 20, plotH = H - padB - 6;
    g.fillStyle = '#38bdf8';
    for (let i = 0; i < bins; i++) {
      const h = counts[i] / top * plotH;
      g.fillRect(i * W / bins + 1, H - padB - h, W / bins - 2, h);
    }
    g.fillStyle = '#8b9bb8';
    g.font = '11px sans-serif';
    for (let k = 0; k <= 4; k++) {
      const x = k / 4 * W;
      g.fillText((k === 0 ? '0' : fmtMs(hi * k / 4)) + (k === 4 ? '+ ms' : ''), Math.min(x, W - 44), H - 5);
    }
    for (const [q, col] of [[p50, '#22c55e'], [p95, '#f59e0b'], [p99, '#ef4444']]) {
      g.fillStyle = col;
      g.fillRect(Math.min(W - 2, q / hi * W), 0, 2, H - padB);
    }
    $('hist-stats').textContent = 'n ' + v.length + ' · p50 ' + fmtMs(p50) + ' · p95 ' + fmtMs(p95) + ' · p99 ' + fmtMs(p99) + ' · max ' + fmtMs(max) + ' ms';
  }

  // ---- MEG butterfly ----------------------------------------------------------------------------------
  // The plot scrolls: each snippet shifts the picture left and draws only its own samples (a few thousand line
  // segments instead of every channel's whole window), so the page's main thread stays free to paint results
  // promptly. The whole window is redrawn only when the vertical scale has to change.
  const bf = { stream: null, rate: 0, channels: 0, cap: 0, buf: null, write: 0, filled: 0, scale: 0, dx: 1,
    last: null, lowSince: 0 };

  function onMeg(m) {
    state.megFrames++;
    const c = $('bf');
    if (bf.stream !== m.stream || bf.channels !== m.channels || bf.rate !== m.rate) {
      bf.stream = m.stream; bf.rate = m.rate; bf.channels = m.channels;
      bf.dx = Math.max(1, Math.floor(c.width / (PLOT_SECONDS * m.rate)));   // whole pixels per sample: crisp scroll
      bf.cap = Math.ceil(c.width / bf.dx) + 1;
      bf.buf = new Float32Array(bf.cap * m.channels);
      bf.write = 0; bf.filled = 0; bf.scale = 0; bf.last = null;
      $('bf-axis').textContent = '← ' + (bf.cap / m.rate).toFixed(1) + ' s · now →';
    }
    const C = m.channels;
    const first = bf.write;
    for (let s = 0; s < m.samples; s++) {
      const off = bf.write * C;
      for (let ch = 0; ch < C; ch++) bf.buf[off + ch] = m.data[s * C + ch] * m.scale;
      bf.write = (bf.write + 1) % bf.cap;
      bf.filled = Math.min(bf.filled + 1, bf.cap);
    }
    const peak = m.peak || 0;
    const now = performance.now();
    // the scale jumps up at once and comes down only after the signal stayed small for 3 s
    let redraw = false;
    if (peak > bf.scale) { bf.scale = peak * 1.25; redraw = true; }
    else if (peak < bf.scale * 0.3) {
      if (!bf.lowSince) bf.lowSince = now;
      else if (now - bf.lowSince > 3000) { bf.scale = peak * 1.25; bf.lowSince = 0; redraw = true; }
    } else bf.lowSince = 0;
    $('bf-meta').textContent = m.stream + ' · ' + C + ' channels · ' + m.rate.toFixed(0) + ' Hz (downsampled) · full scale ±' + bf.scale.toPrecision(3);
    if (redraw || !bf.last) drawButterflyAll(); else drawButterflyStep(first, m.samples);
  }

  function yOf(v, H) { return H / 2 - v * (H / 2 - 4) / bf.scale; }

  function drawButterflyAll() {
    const c = $('bf');
    const g = c.getContext('2d');
    const W = c.width, H = c.height, C = bf.channels;
    g.clearRect(0, 0, W, H);
    if (!bf.buf || bf.filled < 2 || !(bf.scale > 0)) return;
    const n = bf.filled, start = (bf.write - n + bf.cap) % bf.cap;
    const x0 = W - 1 - (n - 1) * bf.dx;
    g.strokeStyle = 'rgba(56, 189, 248, 0.22)';
    g.lineWidth = 1;
    g.beginPath();
    for (let ch = 0; ch < C; ch++) {
      for (let i = 0; i < n; i++) {
        const y = yOf(bf.buf[((start + i) % bf.cap) * C + ch], H);
        if (i === 0) g.moveTo(x0, y); else g.lineTo(x0 + i * bf.dx, y);
      }
    }
    g.stroke();
    bf.last = bf.buf.slice(((bf.write - 1 + bf.cap) % bf.cap) * C, ((bf.write - 1 + bf.cap) % bf.cap) * C + C);
  }

  function drawButterflyStep(first, count) {
    const c = $('bf');
    const g = c.getContext('2d');
    const W = c.width, H = c.height, C = bf.channels;
    const shift = count * bf.dx;
    g.globalCompositeOperation = 'copy';
    g.drawImage(c, -shift, 0);                  // scroll the existing picture left
    g.globalCompositeOperation = 'source-over';
    g.clearRect(W - shift - 1, 0, shift + 1, H);
    g.strokeStyle = 'rgba(56, 189, 248, 0.22)';
    g.lineWidth = 1;
    g.beginPath();
    const xStart = W - shift - 1;
    for (let ch = 0; ch < C; ch++) {
      g.moveTo(xStart, yOf(bf.last[ch], H));
      for (let i = 0; i < count; i++) {
        g.lineTo(xStart + (i + 1) * bf.dx, yOf(bf.buf[((first + i) % bf.cap) * C + ch], H));
      }
    }
    g.stroke();
    const lastIdx = ((bf.write - 1 + bf.cap) % bf.cap) * C;
    bf.last = bf.buf.slice(lastIdx, lastIdx + C);
  }

  // ---- stream health ----------------------------------------------------------------------------------
  function onHealth(h) {
    const tb = $('streams');
    tb.replaceChildren();
    if (!h.streams.length) {
      const tr = document.createElement('tr');
      tr.innerHTML = '<td colspan="6" class="hint">no stream data yet</td>';
      tb.appendChild(tr);
    }
    for (const s of h.streams) {
      const tr = document.createElement('tr');
      if (s.sinceLastMs != null && s.sinceLastMs > 3000) tr.className = 'stale';
      const cells = [
        null,
        (s.kind === 'MARKER' ? fmtMs(s.samplesPerSec) : fmtMs(s.samplesPerSec) + ' / ' + (s.nominalRate ? fmtMs(s.nominalRate) : 'irreg.')),
        fmtMs(s.recordsPerSec),
        s.gaps + (s.lostSamples ? ' (' + s.lostSamples + ' lost)' : ''),
        s.clockDriftMs == null ? '–' : (s.clockDriftMs >= 0 ? '+' : '') + fmtMs(s.clockDriftMs),
        fmtMs(s.ageMs),
      ];
      const name = document.createElement('td');
      name.textContent = s.stream;
      const kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = s.kind.toLowerCase() + (s.channels ? ' · ' + s.channels + ' ch' : '');
      name.appendChild(kind);
      tr.appendChild(name);
      for (let i = 1; i < cells.length; i++) {
        const td = document.createElement('td');
        td.textContent = cells[i];
        if (i === 4 && s.clockOffsetS != null) td.title = 'wall − LSL clock ' + s.clockOffsetS.toFixed(3) + ' s';
        if (i === 3 && s.gaps > 0) td.className = 'warn';
        tr.appendChild(td);
      }
      tb.appendChild(tr);
    }
    const me = h.clients.find((c) => c.id === state.clientId);
    const lat = h.latency.total;
    $('health-line').textContent = 'results ' + h.results.count + ' (' + fmtMs(h.results.perSec) + '/s)'
      + ' · pages ' + h.clients.length + ' · frames dropped ' + h.droppedTotal + (me ? ' (this page ' + me.dropped + ')' : '')
      + ' · server p50/p99 ' + fmtMs(lat.p50) + '/' + fmtMs(lat.p99) + ' ms';
    $('feed').textContent = h.feed.source + (h.feed.connected ? '' : ' — not connected') + (h.feed.error ? ' — ' + h.feed.error : '');
    if (h.accuracy && state.received === 0) renderAccuracy(h.accuracy);
    if (state.windowResults > 0) drawLagAccuracy(h.windowAccuracy);
  }

  connect();
})();

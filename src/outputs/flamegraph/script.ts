/**
 * The script an SVG flame graph carries (plain browser JavaScript, no dependencies): hover
 * details, click to zoom, reset, search with highlight and the matched share. It reads
 * everything from the SVG it sits in (frame geometry from the rects, names from the titles), so
 * the same script serves a standalone `.svg` and one embedded in an HTML page.
 *
 * `data-mode` on the `<svg>`: `graph` (zoom keeps a frame's ancestors and descendants) or
 * `chart` (time on x: zoom keeps every slice overlapping the clicked one's time range).
 */
export const FLAME_SCRIPT = String.raw`(function () {
  'use strict';
  var svg = document.currentScript.ownerSVGElement || document.currentScript.parentNode;
  var W = +svg.getAttribute('width'), PAD = +svg.dataset.xpad, CW = +svg.dataset.charw;
  var mode = svg.dataset.mode, inverted = svg.dataset.inverted === '1';
  var q = function (c) { return svg.querySelector('.' + c); };
  var details = q('tb-details'), matched = q('tb-matched'), unzoomBtn = q('tb-unzoom'), searchBtn = q('tb-search');
  var gs = Array.prototype.slice.call(svg.querySelectorAll('g.f'));
  var frames = gs.map(function (g) {
    var r = g.querySelector('rect'), t = g.querySelector('title').textContent;
    return { g: g, r: r, t: g.querySelector('text'), name: t.slice(0, t.lastIndexOf(' (')), info: t,
      x: +r.getAttribute('x'), w: +r.getAttribute('width'), y: +r.getAttribute('y'), fill: r.getAttribute('fill') };
  });
  function fit(name, w) {
    var n = Math.floor((w - 3) / CW);
    if (n < 3) return '';
    return n < name.length ? name.slice(0, n - 2) + '..' : name;
  }
  function place(f, x, w) {
    f.r.setAttribute('x', x.toFixed(1));
    f.r.setAttribute('width', w.toFixed(1));
    f.t.setAttribute('x', (x + 3).toFixed(1));
    f.t.textContent = fit(f.name, w);
  }
  var E = 0.01, zoomed = null;
  function zoom(f) {
    var x0 = f.x, w0 = f.w, ratio = (W - 2 * PAD) / w0;
    zoomed = f;
    for (var i = 0; i < frames.length; i++) {
      var e = frames[i], show = false, parent = false;
      if (mode === 'chart') show = e.x < x0 + w0 - E && e.x + e.w > x0 + E;
      else if (inverted ? e.y < f.y : e.y > f.y) parent = show = e.x <= x0 + E && e.x + e.w >= x0 + w0 - E;
      else show = e.x >= x0 - E && e.x + e.w <= x0 + w0 + E;
      e.g.classList.toggle('hide', !show);
      e.g.classList.toggle('parent', parent);
      if (!show) continue;
      if (parent) place(e, PAD, W - 2 * PAD);
      else {
        var a = Math.max(e.x, x0), b = Math.min(e.x + e.w, x0 + w0);
        place(e, PAD + (a - x0) * ratio, (b - a) * ratio);
      }
    }
    unzoomBtn.classList.remove('hide');
    svg.dataset.zoomed = f.name;
    updateMatched();
  }
  function unzoom() {
    zoomed = null;
    for (var i = 0; i < frames.length; i++) {
      var e = frames[i];
      e.g.classList.remove('hide', 'parent');
      place(e, e.x, e.w);
    }
    unzoomBtn.classList.add('hide');
    delete svg.dataset.zoomed;
    updateMatched();
  }
  var term = null;
  function updateMatched() {
    if (term === null) { matched.textContent = ' '; return; }
    // The share is the union of the matched frames' spans (a match inside a match counts once).
    var spans = [];
    for (var i = 0; i < frames.length; i++) {
      var e = frames[i];
      if (e.match && !e.g.classList.contains('hide')) {
        var x = +e.r.getAttribute('x'), w = +e.r.getAttribute('width');
        if (!e.g.classList.contains('parent')) spans.push([x, x + w]);
        else spans.push([PAD, W - PAD]);
      }
    }
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var covered = 0, end = -1;
    for (var j = 0; j < spans.length; j++) {
      var s = spans[j];
      if (s[1] <= end) continue;
      covered += s[1] - Math.max(s[0], end);
      end = s[1];
    }
    var share = (100 * covered) / (W - 2 * PAD);
    matched.textContent = 'Matched: ' + share.toFixed(1) + '%';
    svg.dataset.matched = share.toFixed(3);
  }
  function search(t) {
    var re;
    try { re = new RegExp(t); } catch (err) { re = new RegExp(t.replace(/[.*+?^$|(){}\[\]\\]/g, '\\$&')); }
    term = t;
    var n = 0;
    for (var i = 0; i < frames.length; i++) {
      var e = frames[i];
      e.match = re.test(e.name);
      if (e.match) n++;
      e.r.setAttribute('fill', e.match ? 'rgb(230,0,230)' : e.fill);
    }
    searchBtn.textContent = 'Reset Search';
    searchBtn.classList.add('on');
    svg.dataset.search = t;
    svg.dataset.matches = String(n);
    updateMatched();
  }
  function resetSearch() {
    term = null;
    for (var i = 0; i < frames.length; i++) { frames[i].match = false; frames[i].r.setAttribute('fill', frames[i].fill); }
    searchBtn.textContent = 'Search';
    searchBtn.classList.remove('on');
    delete svg.dataset.search;
    delete svg.dataset.matches;
    delete svg.dataset.matched;
    updateMatched();
  }
  function askSearch() {
    if (term !== null) return resetSearch();
    var t = window.prompt('Search frames (a regular expression, e.g. ^ext4_)', '');
    if (t) search(t);
  }
  var index = new Map();
  frames.forEach(function (f) { index.set(f.g, f); });
  function frameOf(el) {
    var g = el && el.closest ? el.closest('g.f') : null;
    return g ? index.get(g) : undefined;
  }
  svg.addEventListener('click', function (ev) {
    if (ev.target.closest('.tb-unzoom')) return unzoom();
    if (ev.target.closest('.tb-search')) return askSearch();
    var f = frameOf(ev.target);
    if (f) zoom(f);
  });
  svg.addEventListener('mouseover', function (ev) {
    var f = frameOf(ev.target);
    details.textContent = f ? (mode === 'chart' ? 'Slice: ' : 'Function: ') + f.info : ' ';
  });
  svg.addEventListener('mouseout', function () { details.textContent = ' '; });
  window.addEventListener('keydown', function (ev) {
    if (ev.keyCode === 114 || ((ev.ctrlKey || ev.metaKey) && ev.keyCode === 70)) { ev.preventDefault(); askSearch(); }
    else if (ev.key === 'Escape') { if (term !== null) resetSearch(); else if (zoomed) unzoom(); }
  });
  svg.tracebridge = { zoom: function (name) { var f = frames.find(function (e) { return e.name === name; }); if (f) zoom(f); return !!f; },
    unzoom: unzoom, search: search, resetSearch: resetSearch };
})();`;

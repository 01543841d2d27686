// The dashboard's only script: draws the plots with uPlot from the JSON blocks the server put in
// the page (no inline script: the page's Content-Security-Policy forbids it). Each chart element
// names its data block (data-chart) and how to draw it (data-kind). Pages work without it; the
// numbers are also in tables.
(function () {
  "use strict";
  var COLORS = { line: "#2563eb", fill: "rgba(37, 99, 235, 0.18)", bar: "#0f766e", band: "rgba(37, 99, 235, 0.15)" };

  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent || "null") : null;
  }

  function widthOf(el) {
    return Math.max(240, Math.floor(el.getBoundingClientRect().width) || 320);
  }

  function timeChart(el, data, kind, label) {
    var fmt = kind === "percent" ? function (v) { return v == null ? "–" : Math.round(v * 100) + "%"; }
      : kind === "usd" ? function (v) { return v == null ? "–" : "$" + v.toFixed(v < 1 ? 3 : 2); }
      : function (v) { return v == null ? "–" : String(v); };
    var series = { label: label, stroke: kind === "bars" ? COLORS.bar : COLORS.line, fill: kind === "bars" ? COLORS.bar : COLORS.fill, width: 2, value: function (_u, v) { return fmt(v); } };
    if (kind === "bars") series.paths = uPlot.paths.bars({ size: [0.7, 40] });
    return new uPlot({
      width: widthOf(el),
      height: 160,
      series: [{}, series],
      scales: { y: kind === "percent" ? { range: [0, 1] } : { range: function (_u, _min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      axes: [{}, { size: 56, values: function (_u, ticks) { return ticks.map(fmt); } }],
      legend: { show: true },
    }, [data.x, data.y], el);
  }

  /** Score per version: x is the version's index, labelled with its number; the interval is a shaded band. */
  function versionChart(el, data) {
    var x = data.labels.map(function (_l, i) { return i; });
    return new uPlot({
      width: widthOf(el),
      height: 220,
      series: [
        { label: "version", value: function (_u, i) { return i == null ? "–" : data.labels[i]; } },
        { label: "score", stroke: COLORS.line, width: 2, points: { show: true, size: 8, fill: COLORS.line } },
        { label: "95% low", stroke: "rgba(37, 99, 235, 0.4)", dash: [4, 4] },
        { label: "95% high", stroke: "rgba(37, 99, 235, 0.4)", dash: [4, 4] },
      ],
      bands: [{ series: [3, 2], fill: COLORS.band }],
      scales: { x: { time: false, range: function () { return [-0.5, data.labels.length - 0.5]; } }, y: { range: [0, 1] } },
      axes: [{ splits: function () { return x; }, values: function (_u, ticks) { return ticks.map(function (t) { return data.labels[t] || ""; }); } }, { size: 48 }],
    }, [x, data.score, data.low, data.high], el);
  }

  function draw() {
    if (typeof uPlot === "undefined") return;
    var charts = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < charts.length; i++) {
      var el = charts[i];
      var data = read(el.getAttribute("data-chart"));
      if (!data) continue;
      var kind = el.getAttribute("data-kind");
      var chart = kind === "versions" ? versionChart(el, data) : timeChart(el, data, kind, el.getAttribute("data-label") || "");
      el.setAttribute("data-rendered", "true");
      el.chart = chart;
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

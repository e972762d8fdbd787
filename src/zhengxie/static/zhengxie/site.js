// Behaviour by data- attributes only (no inline scripts, so a strict CSP can hold).
(function () {
  function renderCharts(root) {
    if (typeof echarts === "undefined") return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.rendered) return;
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var kind = el.dataset.chartKind || "bar";
      if (kind === "bar") { el.style.height = Math.max(160, data.length * 26 + 60) + "px"; }
      var chart = echarts.init(el);
      // Tooltips drawn on the canvas: HTML tooltips carry inline styles, which the CSP refuses.
      var tooltip = { renderMode: "richText" };
      var option;
      if (kind === "pie") {
        option = {
          tooltip: Object.assign({ trigger: "item" }, tooltip),
          legend: { type: "scroll", bottom: 0 },
          series: [{ type: "pie", radius: ["35%", "65%"], data: data.map(function (d) { return { name: d.label, value: d.value }; }) }],
        };
      } else {
        option = {
          tooltip: Object.assign({ trigger: "axis" }, tooltip),
          grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
          xAxis: { type: "value", minInterval: 1 },
          yAxis: { type: "category", inverse: true, data: data.map(function (d) { return d.label; }) },
          series: [{ type: "bar", data: data.map(function (d) { return d.value; }), itemStyle: { color: "#b3261e" } }],
        };
      }
      chart.setOption(option);
      el.dataset.rendered = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.body.addEventListener("htmx:afterSwap", function (e) { renderCharts(e.target); });
  // Confirm buttons: <button data-confirm="...">
  document.addEventListener("click", function (e) {
    var el = e.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) { e.preventDefault(); }
  });
})();

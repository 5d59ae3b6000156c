// The diagnosis charts (radar, history, levels by sub-industry) and small page behaviours.
// Data comes from the page as JSON (json_script), never as inline JS.
(function () {
  "use strict";

  // A framework chooser submits as soon as another framework is chosen.
  document.querySelectorAll("select.auto-submit").forEach(function (select) {
    select.addEventListener("change", function () { if (select.form) select.form.submit(); });
  });

  if (typeof echarts === "undefined") return;
  var font = getComputedStyle(document.body).fontFamily;
  var palette = { latest: "#1f5fae", previous: "#b54708", peers: "#6b7385" };
  var levelColours = ["#cfd5df", "#9ec5f0", "#5b9bd5", "#1f5fae", "#0c2d5e", "#137a45"];
  var charts = [];

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function number(value) {
    return Number(value).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 2 });
  }

  var radar = data("radar-data");
  var radarBox = document.getElementById("radar-chart");
  if (radar && radarBox) {
    var chart = echarts.init(radarBox, null, { renderer: "canvas" });
    chart.setOption({
      textStyle: { fontFamily: font },
      tooltip: { trigger: "item" },
      legend: { bottom: 0, data: radar.series.map(function (s) { return s.name; }) },
      radar: {
        indicator: radar.indicators, radius: "62%", center: ["50%", "46%"], splitNumber: 4,
        axisName: { color: "#3f4859", fontSize: 13 },
        splitArea: { areaStyle: { color: ["#f7f9fc", "#ffffff"] } }
      },
      series: [{
        type: "radar",
        data: radar.series.map(function (s) {
          var colour = palette[s.kind] || palette.latest;
          return {
            name: s.name, value: s.values, symbolSize: 5,
            lineStyle: { color: colour, width: s.kind === "latest" ? 2.5 : 1.5, type: s.kind === "peers" ? "dashed" : "solid" },
            itemStyle: { color: colour },
            areaStyle: s.kind === "latest" ? { color: "rgba(31, 95, 174, 0.18)" } : undefined
          };
        })
      }]
    });
    radarBox.setAttribute("data-drawn", "true");
    charts.push(chart);
  }

  var history = data("history-data");
  var historyBox = document.getElementById("history-chart");
  if (history && historyBox) {
    var line = echarts.init(historyBox, null, { renderer: "canvas" });
    line.setOption({
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", valueFormatter: number },
      grid: { left: 12, right: 24, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: history.dates },
      yAxis: { type: "value", min: 0, max: history.max, splitLine: { lineStyle: { color: "#e3e7ee" } } },
      series: [{
        name: history.label, type: "line", data: history.scores, symbolSize: 8, lineStyle: { width: 2.5 },
        itemStyle: { color: palette.latest }, label: { show: true, position: "top", formatter: function (p) { return number(p.value); } },
        markLine: { silent: true, symbol: "none", lineStyle: { color: "#cfd5df", type: "dashed" }, label: { show: false },
                    data: history.bands.map(function (b) { return { yAxis: b }; }) }
      }]
    });
    charts.push(line);
  }

  var levels = data("levels-data");
  var levelsBox = document.getElementById("levels-chart");
  if (levels && levelsBox) {
    levelsBox.style.height = Math.max(180, 34 * levels.categories.length + 90) + "px"; // CSSOM, not an inline attribute
    var bars = echarts.init(levelsBox, null, { renderer: "canvas" });
    var categories = levels.categories.slice().reverse();
    bars.setOption({
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 12, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#e3e7ee" } } },
      yAxis: { type: "category", data: categories, axisLabel: { width: 220, overflow: "truncate" } },
      series: levels.levels.map(function (level, i) {
        return { name: level.name, type: "bar", stack: "levels", barMaxWidth: 22,
                 itemStyle: { color: levelColours[Math.min(level.number, levelColours.length - 1)] },
                 data: level.data.slice().reverse() };
      })
    });
    charts.push(bars);
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();

// A project's monthly progress: investment by month (bars) and cumulative (line), 10,000 yuan.
(function () {
  "use strict";
  var source = document.getElementById("progress-data");
  var box = document.getElementById("chart-progress");
  if (!source || !box || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var font = getComputedStyle(document.body).fontFamily;
  var chart = echarts.init(box, null, { renderer: "canvas" });
  function number(value) {
    if (value === null || value === undefined) return "—";
    return Number(value).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 2 });
  }
  chart.setOption({
    textStyle: { fontFamily: font },
    color: ["#1f5fae", "#d48a1a"],
    tooltip: { trigger: "axis", valueFormatter: number },
    legend: { top: 0, data: [data.labels.investment, data.labels.cumulative] },
    grid: { left: 12, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months, axisTick: { alignWithLabel: true } },
    yAxis: { type: "value", axisLabel: { formatter: number }, splitLine: { lineStyle: { color: "#e3e7ee" } } },
    series: [
      { name: data.labels.investment, type: "bar", data: data.investment, barMaxWidth: 28,
        itemStyle: { borderRadius: [3, 3, 0, 0] } },
      { name: data.labels.cumulative, type: "line", data: data.cumulative, symbol: "circle", symbolSize: 6 }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();

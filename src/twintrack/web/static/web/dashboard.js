// The dashboard charts. Data comes from the page as JSON (json_script), never as inline JS.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var font = getComputedStyle(document.body).fontFamily;
  var colours = { actual: "#1f5fae", target: "#c8161d", met: "#137a45", short: "#1f5fae" };

  var cumulative = echarts.init(document.getElementById("chart-cumulative"), null, { renderer: "canvas" });
  var rankingBox = document.getElementById("chart-ranking"); // absent for a unit without units below
  var ranking = rankingBox ? echarts.init(rankingBox, null, { renderer: "canvas" }) : null;

  function number(value) {
    if (value === null || value === undefined) return "—";
    return Number(value).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 2 });
  }

  function emptyState(text) {
    return {
      type: "text", left: "center", top: "middle",
      style: { text: text, fill: "#6b7385", font: "14px " + font }
    };
  }

  function drawCumulative(metric) {
    var series = data.cumulative[metric];
    var hasTarget = series.target.some(function (v) { return v !== null; });
    cumulative.setOption({
      textStyle: { fontFamily: font },
      color: [colours.actual, colours.target],
      tooltip: {
        trigger: "axis",
        valueFormatter: function (value) { return number(value) + " " + series.unit; }
      },
      legend: { top: 0, data: [labels.actual, labels.target] },
      grid: { left: 12, right: 16, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months, axisTick: { alignWithLabel: true } },
      yAxis: {
        type: "value", name: series.unit, nameTextStyle: { align: "left", color: "#6b7385" },
        minInterval: metric === "projects" ? 1 : 0,
        axisLabel: { formatter: function (value) { return number(value); } },
        splitLine: { lineStyle: { color: "#e3e7ee" } }
      },
      series: [
        { name: labels.actual, type: "bar", data: series.actual, barMaxWidth: 28,
          itemStyle: { borderRadius: [3, 3, 0, 0] } },
        { name: labels.target, type: "line", data: series.target, connectNulls: false, symbol: "circle",
          symbolSize: 6, lineStyle: { type: "dashed", width: 2 }, z: 3 }
      ],
      graphic: hasTarget || series.actual.some(function (v) { return v; }) ? [] : [emptyState("—")]
    }, true);
  }

  function drawRanking(metric) {
    if (!ranking) return;
    var rows = data.ranking[metric].slice().reverse(); // best at the top of a horizontal bar chart
    var option = {
      textStyle: { fontFamily: font },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        valueFormatter: function (value) { return number(value) + "%"; }
      },
      grid: { left: 12, right: 48, top: 28, bottom: 8, containLabel: true },
      xAxis: {
        type: "value", axisLabel: { formatter: "{value}%" }, show: rows.length > 0,
        max: function (extent) { return Math.max(100, Math.ceil(extent.max / 20) * 20); }, // the 100% line always shows
        splitLine: { lineStyle: { color: "#e3e7ee" } }
      },
      yAxis: {
        type: "category", data: rows.map(function (r) { return r.name; }), axisTick: { show: false },
        axisLabel: { width: 150, overflow: "truncate" }, show: rows.length > 0
      },
      series: [{
        name: labels.completion, type: "bar", barMaxWidth: 22,
        data: rows.map(function (r) {
          return { value: r.value, itemStyle: { color: r.value >= 100 ? colours.met : colours.short } };
        }),
        label: { show: true, position: "right", formatter: function (p) { return number(p.value) + "%"; } },
        itemStyle: { borderRadius: [0, 3, 3, 0] },
        markLine: {
          symbol: "none", silent: true, lineStyle: { color: colours.target, type: "dashed" },
          label: { formatter: labels.full, position: "end", color: colours.target },
          data: [{ xAxis: 100 }]
        }
      }],
      graphic: []
    };
    if (!rows.length) {
      option.series[0].markLine.data = [];
      option.graphic = [emptyState(labels.no_targets)];
    }
    ranking.setOption(option, true);
  }

  // --- the map: units below coloured by completion rate; zones are listed beside it -----------
  var mapBox = document.getElementById("chart-map");
  var mapData = data.map;
  var mapChart = mapBox && mapData ? echarts.init(mapBox, null, { renderer: "canvas" }) : null;
  var CITY_OUTLINES = ["杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水"];

  function geoOf(name) {
    var map = echarts.getMap(name);
    return map ? (map.geoJSON || map.geoJson) : null;
  }

  function assembleProvince(name) {
    // One map from the per-city outline files (each registers "<city>轮廓" with one feature).
    if (geoOf(name)) return;
    var features = [];
    CITY_OUTLINES.forEach(function (city) {
      var geo = geoOf(city + "轮廓");
      if (geo) features = features.concat(geo.features);
    });
    if (features.length) echarts.registerMap(name, { type: "FeatureCollection", features: features, UTF8Encoding: true });
  }

  function featureFor(features, region) {
    for (var i = 0; i < features.length; i++) {
      var feature = features[i], name = feature.properties && feature.properties.name;
      if (feature.id === region.code || name === region.name_zh) return name;
    }
    for (var j = 0; j < features.length; j++) {
      var other = features[j].properties && features[j].properties.name;
      if (other && region.name_zh.indexOf(other) === 0) return other;
    }
    return null;
  }

  // Small neighbouring districts (秀洲区 and 南湖区 around the city centre) would print their
  // labels on top of each other: each label that meets one already placed moves below it.
  function apart() {
    var placed = [], seen = {};
    return function (params) {
      if (seen[params.dataIndex]) { placed = []; seen = {}; }  // a new layout pass (a resize, a hover)
      seen[params.dataIndex] = true;
      var r = params.labelRect, dy = 0, moved = true;
      while (moved) {
        moved = false;
        for (var i = 0; i < placed.length; i++) {
          var q = placed[i];
          if (r.x < q.x + q.width && q.x < r.x + r.width && r.y + dy < q.y + q.height && q.y < r.y + dy + r.height) {
            dy = q.y + q.height + 2 - r.y;
            moved = true;
          }
        }
      }
      placed.push({ x: r.x, y: r.y + dy, width: r.width, height: r.height });
      return dy ? { dy: dy } : {};
    };
  }

  function drawMap(metric) {
    if (!mapChart) return;
    if (mapData.assemble) assembleProvince(mapData.name);
    var geo = geoOf(mapData.name);
    if (!geo) {
      mapChart.setOption({ graphic: [emptyState("—")] }, true);
      return;
    }
    var rates = mapData.rates[metric] || {};
    var items = [];
    mapData.regions.forEach(function (region) {
      var name = featureFor(geo.features, region);
      if (!name) return;
      var rate = rates[region.code];
      items.push({ name: name, value: rate === undefined || rate === null ? NaN : rate, label: region.name,
                   url: region.url, focus: mapData.focus === region.code });
    });
    mapChart.setOption({
      textStyle: { fontFamily: font },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var encode = echarts.format.encodeHTML;  // names come from the database: never raw HTML
          if (!p.data || !p.data.label) return encode(p.name);
          return encode(p.data.label) + "<br>" + encode(labels.completion) + ": " +
            (isNaN(p.data.value) ? encode(labels.no_target) : number(p.data.value) + "%");
        }
      },
      visualMap: {
        type: "piecewise", left: 8, bottom: 8, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 11 },
        pieces: [
          { lt: 60, color: "#f3b7a6", label: labels.rate_bands[0] },
          { gte: 60, lt: 80, color: "#f6dc8f", label: labels.rate_bands[1] },
          { gte: 80, lt: 100, color: "#9cc5ec", label: labels.rate_bands[2] },
          { gte: 100, color: "#5fb583", label: labels.rate_bands[3] }
        ]
      },
      series: [{
        type: "map", map: mapData.name, roam: false, selectedMode: false, layoutCenter: ["55%", "50%"],
        layoutSize: "95%", data: items,
        itemStyle: { areaColor: "#e9edf3", borderColor: "#ffffff", borderWidth: 1 },
        emphasis: { label: { show: true, color: "#0c2d5e" }, itemStyle: { areaColor: "#cfe0f5" } },
        label: {
          show: true, fontSize: 12, color: "#1d2433",
          formatter: function (p) {
            if (!p.data || !p.data.label) return "";
            return p.data.label + (isNaN(p.data.value) ? "" : "\n" + number(p.data.value) + "%");
          }
        },
        labelLayout: apart()
      }]
    }, true);
  }

  if (mapChart) {
    mapChart.on("click", function (p) {
      if (p.data && p.data.url) window.location.href = p.data.url;
    });
  }

  function show(metric) {
    drawCumulative(metric);
    drawRanking(metric);
    drawMap(metric);
    document.querySelectorAll(".metric-tabs .tab").forEach(function (tab) {
      var active = tab.getAttribute("data-metric") === metric;
      tab.classList.toggle("active", active);
      tab.setAttribute("aria-selected", active ? "true" : "false");
    });
  }

  document.querySelectorAll(".metric-tabs .tab").forEach(function (tab) {
    tab.addEventListener("click", function () { show(tab.getAttribute("data-metric")); });
  });
  window.addEventListener("resize", function () {
    if (mapChart) mapChart.resize();
    cumulative.resize();
    if (ranking) ranking.resize();
  });
  show(data.metrics[0].key);
})();

// The cockpit's live counts of today and its charts: totals over the months (a line per station or officer) and each
// station's score on each indicator (a heat map). Every point opens the result or the records
// behind it. Drawn as SVG, legends scroll on one line so that a phone keeps them readable.
(function () {
  // Today's live counts come after the stored figures are shown: counting them reads the
  // whole register.
  const today = document.getElementById("cockpit-today");
  if (today) {
    fetch(today.dataset.url, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => { today.innerHTML = html; })
      .catch(() => { today.textContent = today.dataset.failed; });
  }

  if (!window.echarts) return;

  function open(url) {
    if (url) window.location.href = url;
  }

  // The trend of the total or of one indicator's value (the select above the chart); a point
  // opens the result, or the records behind the indicator.
  const trendElement = document.getElementById("trend-chart");
  if (trendElement) {
    const data = JSON.parse(trendElement.dataset.chart);
    const choice = document.getElementById("trend-measure");
    const narrow = trendElement.clientWidth < 500;
    const chart = echarts.init(trendElement, null, { renderer: "svg" });
    let code = "total";
    const draw = () => {
      const measure = data.measures.find((m) => m.code === code) || data.measures[0];
      const total = code === "total";
      chart.setOption({
        tooltip: { trigger: "axis", valueFormatter: (v) => (v === null || v === undefined ? "—" : `${v} ${measure.unit}`) },
        legend: { top: 0, type: "scroll", textStyle: { fontSize: narrow ? 11 : 12 } },
        grid: { left: 10, right: 10, top: 40, bottom: 10, containLabel: true },
        xAxis: { type: "category", data: data.months, axisLabel: { rotate: narrow ? 45 : 0 } },
        yAxis: total || measure.unit === "%" ? { type: "value", min: 0, max: 100 } : { type: "value", min: 0 },
        series: data.series.map((s) => ({ name: s.name, type: "line", data: (s.values[code] || data.months.map(() => null)), connectNulls: false })),
      }, { replaceMerge: ["series"] });
    };
    draw();
    if (choice) choice.addEventListener("change", () => { code = choice.value; draw(); });
    chart.on("click", (event) => open(((data.series[event.seriesIndex].links || {})[code] || [])[event.dataIndex]));
    window.addEventListener("resize", () => chart.resize());
  }

  const gridElement = document.getElementById("grid-chart");
  if (gridElement) {
    const data = JSON.parse(gridElement.dataset.chart);
    const noData = gridElement.dataset.noData;
    const narrow = gridElement.clientWidth < 500;
    const chart = echarts.init(gridElement, null, { renderer: "svg" });
    chart.setOption({
      tooltip: {
        formatter: (p) => `${data.rows[p.value[1]]}<br>${data.indicators[p.value[0]]}：${p.value[2] === "-" ? noData : p.value[2]}`,
      },
      grid: { left: 10, right: 10, top: 10, bottom: 50, containLabel: true },
      xAxis: { type: "category", data: data.indicators, axisLabel: { interval: 0, rotate: narrow ? 60 : 35, fontSize: narrow ? 10 : 11 } },
      yAxis: { type: "category", data: data.rows, axisLabel: { fontSize: narrow ? 10 : 12 } },
      visualMap: { min: 0, max: 100, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120, inRange: { color: ["#b30000", "#fc8d59", "#fef0d9", "#91cf60", "#1a9850"] } },
      series: [{
        type: "heatmap",
        // "-" is ECharts' empty value: a cell without data is left blank, never coloured as 0.
        data: data.cells.map((c) => ({ value: [c.value[0], c.value[1], c.value[2] === null ? "-" : c.value[2]], url: c.url })),
        label: { show: !narrow, fontSize: 10, formatter: (p) => (p.value[2] === "-" ? "" : Math.round(p.value[2])) },
      }],
    });
    chart.on("click", (event) => open(event.data && event.data.url));
    window.addEventListener("resize", () => chart.resize());
  }
})();

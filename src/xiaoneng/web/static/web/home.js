// The overview's chart: entities by risk class, stacked by credit grade.
(function () {
  const element = document.getElementById("matrix-chart");
  if (!element || !window.echarts) return;
  const data = JSON.parse(element.dataset.chart);
  const colours = ["#198754", "#0d6efd", "#fd7e14", "#6f1d1b"];
  const chart = echarts.init(element);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.classes },
    yAxis: { type: "value" },
    series: data.grades.map((name, i) => ({
      name, type: "bar", stack: "grade", data: data.series[i], itemStyle: { color: colours[i] },
    })),
  });
  window.addEventListener("resize", () => chart.resize());
})();

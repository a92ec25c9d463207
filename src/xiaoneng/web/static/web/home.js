// The overview's chart: entities by risk class, stacked by credit grade.
// Drawn as SVG (its text can be checked in a browser test); the legend keeps to one line
// (scrolling when it does not fit) and the class names wrap under their bars, so that on a
// phone neither the legend nor the labels run over the plot or each other.
(function () {
  const element = document.getElementById("matrix-chart");
  if (!element || !window.echarts) return;
  const data = JSON.parse(element.dataset.chart);
  const colours = ["#198754", "#0d6efd", "#fd7e14", "#6f1d1b"];
  const chart = echarts.init(element, null, { renderer: "svg" });
  const narrow = element.clientWidth < 500;
  const labelWidth = () => Math.max(40, (element.clientWidth - 70) / Math.max(1, data.classes.length) - 8);
  // On a phone a class is named without its gloss (Ⅰ类, not Ⅰ类（重点监控一级）); the tooltip has it.
  const shortName = (name) => (narrow ? String(name).split("（")[0] : name);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: narrow
      ? { top: 0, type: "scroll", itemWidth: 14, itemHeight: 10, itemGap: 8, textStyle: { fontSize: 11 } }
      : { top: 0, type: "scroll" },
    grid: { left: 10, right: 10, top: 40, bottom: 10, containLabel: true },
    xAxis: { type: "category", data: data.classes, axisLabel: { interval: 0, width: labelWidth(), overflow: "break", formatter: shortName } },
    yAxis: { type: "value" },
    series: data.grades.map((name, i) => ({
      name, type: "bar", stack: "grade", data: data.series[i], itemStyle: { color: colours[i] },
    })),
  });
  window.addEventListener("resize", () => {
    chart.resize();
    chart.setOption({ xAxis: { axisLabel: { width: labelWidth() } } });
  });
})();

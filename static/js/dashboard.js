// The matrix opens on its latest periods (on the right) when it is wider
// than the screen, as on a phone.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-scroll-to-end]").forEach((element) => {
    element.scrollLeft = element.scrollWidth;
  });
});

// The campaign dashboard's trend chart, drawn from the page's json_script data.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.querySelector('[data-chart="trend"]');
  const source = document.getElementById("trend-data");
  if (!element || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const chart = echarts.init(element);
  chart.setOption({
    // Drawn on the canvas: an HTML tooltip would carry inline styles the CSP refuses.
    tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: (value) => (value == null ? "—" : `${value}%`) },
    legend: { data: ["报送率", "及时率"], top: 0 },
    grid: { left: 40, right: 16, top: 32, bottom: 48 },
    xAxis: { type: "category", data: data.labels, axisLabel: { hideOverlap: true } },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    dataZoom: data.labels.length > 12 ? [{ type: "inside", startValue: data.labels.length - 12 }, { type: "slider", height: 16, bottom: 8 }] : [],
    series: [
      { name: "报送率", type: "line", data: data.submission, connectNulls: false, color: "#0d6efd" },
      { name: "及时率", type: "line", data: data.on_time, connectNulls: false, color: "#198754" },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
});

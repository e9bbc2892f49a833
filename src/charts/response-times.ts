import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import { LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { humanDuration } from "../domain/duration.ts";
import { SEVERITIES, type Severity } from "../domain/incident.ts";
import { type DailyResponseTimes, dayLabel } from "../domain/response-times.ts";
import type { SeverityPolicyTable } from "../domain/severity.ts";

/**
 * Draws the reports' MTTA/MTTR chart as a PNG, on the server and offline: ECharts lays it out as SVG
 * (server-side rendering, no DOM or canvas), and resvg, a Rust renderer shipped as a prebuilt binary in
 * its npm package, turns the SVG into pixels. resvg sees no system font here: the text is set in Inter,
 * whose TTF ships inside an npm package, so the labels read the same on every machine.
 */

echarts.use([LineChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, SVGRenderer]);

/** The chart's layout size; the PNG has SCALE times as many pixels each way, sharp on high-density screens. */
export const CHART_SIZE = { width: 900, height: 450 } as const;
const SCALE = 2;
export const PNG_SIZE = { width: CHART_SIZE.width * SCALE, height: CHART_SIZE.height * SCALE } as const;

const FONT_FAMILY = "Inter";
const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve("@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf"),
  require.resolve("@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf"),
];

/** The log axis starts at one minute: a faster mean is drawn on it (the text has the exact figure). */
const FLOOR_MINUTES = 1;

const TARGET_COLOURS: Record<Severity, string> = {
  sev1: "#d62728",
  sev2: "#ff7f0e",
  sev3: "#c9a400",
  sev4: "#1f77b4",
};

/** "5 min", "1 h 40 min" for the axis and the target labels. */
const minutesLabel = (minutes: number) => humanDuration(Math.round(minutes) * 60_000);

const toMinutes = (ms: number | undefined) =>
  ms === undefined ? null : Math.max(FLOOR_MINUTES, ms / 60_000);

/** The ECharts option: two lines on a log scale of minutes, each severity's response target dashed. */
function chartOption(days: readonly DailyResponseTimes[], policies: SeverityPolicyTable, timeZone: string) {
  const targets = SEVERITIES.map((severity) => ({
    yAxis: policies[severity].responseMinutes,
    name: `${policies[severity].label} target`,
    lineStyle: { color: TARGET_COLOURS[severity], type: "dashed" as const, width: 1 },
    label: {
      formatter: `${policies[severity].label} ${minutesLabel(policies[severity].responseMinutes)}`,
      color: TARGET_COLOURS[severity],
      position: "insideEndTop" as const,
      backgroundColor: "#ffffff",
    },
  }));
  const line = (name: string, colour: string, values: (number | null)[]) => ({
    type: "line" as const,
    name,
    data: values,
    connectNulls: false,
    showSymbol: true,
    symbolSize: 6,
    lineStyle: { width: 2, color: colour },
    itemStyle: { color: colour },
  });
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: FONT_FAMILY },
    title: {
      text: `MTTA and MTTR per day, last ${days.length} days`,
      subtext:
        "MTTA: declared → acknowledged · MTTR: declared → resolved · log scale · dashed: response targets",
      left: 16,
      top: 10,
      textStyle: { fontFamily: FONT_FAMILY, fontSize: 16, fontWeight: 600 as const, color: "#1d1c1d" },
      subtextStyle: { fontFamily: FONT_FAMILY, fontSize: 11, color: "#616061" },
    },
    legend: { bottom: 8, textStyle: { fontFamily: FONT_FAMILY, fontSize: 12 } },
    grid: { left: 88, right: 32, top: 72, bottom: 64 },
    xAxis: {
      type: "category" as const,
      data: days.map((d) => dayLabel(d, timeZone)),
      // Every fifth day, counted back from the last, so the report's own day is labelled.
      axisLabel: {
        interval: (index: number) => (days.length - 1 - index) % 5 === 0,
        fontFamily: FONT_FAMILY,
        fontSize: 11,
      },
      boundaryGap: false,
    },
    yAxis: {
      type: "log" as const,
      logBase: 10,
      min: FLOOR_MINUTES,
      axisLabel: { formatter: (value: number) => minutesLabel(value), fontFamily: FONT_FAMILY, fontSize: 11 },
      splitLine: { lineStyle: { color: "#e8e8e8" } },
    },
    series: [
      {
        ...line(
          "MTTA",
          "#1264a3",
          days.map((d) => toMinutes(d.mttaMs)),
        ),
        markLine: { silent: true, symbol: "none", data: targets },
      },
      line(
        "MTTR",
        "#7c3085",
        days.map((d) => toMinutes(d.mttrMs)),
      ),
    ],
  };
}

/** The chart as an SVG document (ECharts' server-side rendering). */
export function responseTimesSvg(
  days: readonly DailyResponseTimes[],
  policies: SeverityPolicyTable,
  timeZone: string,
): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, ...CHART_SIZE });
  try {
    chart.setOption(chartOption(days, policies, timeZone));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as a PNG of PNG_SIZE pixels. */
export function renderResponseTimesChart(
  days: readonly DailyResponseTimes[],
  policies: SeverityPolicyTable,
  timeZone: string,
): Buffer {
  const svg = responseTimesSvg(days, policies, timeZone);
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: SCALE },
    background: "#ffffff",
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}

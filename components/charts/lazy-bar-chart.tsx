"use client";

/**
 * The bar chart, loaded after the page: Recharts is the heaviest script of the app, so it arrives as its
 * own chunk once the page is interactive. A box of the chart's height holds the place (no layout shift);
 * every chart on the pages has its figures in a table too, so nothing depends on the chart loading.
 */
import dynamic from "next/dynamic";
import type { ComponentProps } from "react";
import type { BarChart as BarChartType } from "./bar-chart";

const Chart = dynamic(() => import("./bar-chart").then((m) => m.BarChart), {
  ssr: false,
  loading: () => <div className="h-full w-full rounded-md bg-slate-50" />,
});

export function LazyBarChart(props: ComponentProps<typeof BarChartType>) {
  return (
    <div style={{ height: props.height ?? 240 }}>
      <Chart {...props} />
    </div>
  );
}

"use client";

/**
 * The bar chart, loaded after the page and only once it scrolls near the viewport: Recharts is the heaviest
 * script of the app, so it arrives as its own chunk, and charts below the fold cost nothing until they are
 * looked at. A box of the chart's height holds the place (no layout shift); every chart on the pages has its
 * figures in a table too, so nothing depends on the chart loading.
 */
import dynamic from "next/dynamic";
import { useEffect, useRef, useState, type ComponentProps } from "react";
import type { BarChart as BarChartType } from "./bar-chart";

const Chart = dynamic(() => import("./bar-chart").then((m) => m.BarChart), {
  ssr: false,
  loading: () => <div className="h-full w-full rounded-md bg-slate-50" />,
});

export function LazyBarChart(props: ComponentProps<typeof BarChartType>) {
  const box = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (!el || near) return;
    if (typeof IntersectionObserver === "undefined") {
      setNear(true);
      return;
    }
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setNear(true);
        io.disconnect();
      }
    }, { rootMargin: "200px 0px" });
    io.observe(el);
    return () => io.disconnect();
  }, [near]);
  return (
    <div ref={box} style={{ height: props.height ?? 240 }}>
      {near ? <Chart {...props} /> : <div className="h-full w-full rounded-md bg-slate-50" />}
    </div>
  );
}

import type { gainShareRuns } from "@/db/schema";
import type { GainShareResult } from "@/lib/domain/gain-share/compute-gain-share";

export type RunRow = typeof gainShareRuns.$inferSelect;

/** What a run used, stored with it so the fee can be re-derived and explained later. */
export type RunInputs = {
  period: string;
  baselines: { id: string; kpi: string; baseline_value: string; unit: string; value_per_unit: string; direction: "higher" | "lower"; effective_from: string }[];
  measurements: { id: string; kpi: string; period_month: string; value: string; unit: string; source: string; author: string }[];
  range: { min_percent: number; max_percent: number };
};

export type RunBreakdown = GainShareResult;

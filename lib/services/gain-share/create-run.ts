/**
 * Creates a gain-share run for a tenant and month: the baselines in force on the month's first day, the
 * month's measurements (the latest entry per KPI), the pure computation, and the stored result with every
 * input it used — in one transaction with its audit row and notification. One live run per tenant and
 * month (the partial unique index); a rejected run can be superseded.
 */
import { and, desc, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gainShareRuns, kpiBaselines, kpiMeasurements } from "@/db/schema";
import { computeGainShare } from "@/lib/domain/gain-share/compute-gain-share";
import { toDecimal } from "@/lib/domain/money";
import { conflict } from "@/lib/http/errors";
import { auditGainShare, type GainShareActor } from "./audit";
import { baselinesInForce } from "./baselines";
import { gainShareRefused } from "./errors";
import { notifyRunCreated } from "./notify";
import type { RunInputs, RunRow } from "./run-types";
import { monthBounds } from "./schemas";
import { loadTenantContext } from "./tenant-context";

const norm = (v: string) => toDecimal(v).toFixed();

export async function createGainShareRun(
  db: Db,
  p: { tenantId: string; period: string; sharePercent: string; actor: GainShareActor; now: Date },
): Promise<RunRow> {
  const { tenantId } = p;
  const { start, end } = monthBounds(p.period);
  return db.transaction(async (tx) => {
    const ctx = await loadTenantContext(tx, tenantId);
    const { plan } = ctx;
    const range = plan.gain_share;
    if (!range) {
      throw gainShareRefused(
        "gain_share_not_allowed",
        `${ctx.tenant.name} is on the ${plan.code} plan (${plan.display_name}), which has no gain-share: runs are refused`,
        { tenant_id: "this tenant's plan has no gain-share" },
      );
    }
    const share = toDecimal(p.sharePercent);
    if (share.lessThan(range.min_percent) || share.greaterThan(range.max_percent)) {
      const message = `Share ${share.toFixed()}% is outside the ${plan.code} plan's range ${range.min_percent}–${range.max_percent}%`;
      throw gainShareRefused("share_out_of_range", message, { share_percent: `must be between ${range.min_percent} and ${range.max_percent}` });
    }
    if (end > p.now.toISOString().slice(0, 10)) {
      throw gainShareRefused("period_not_ended", `${p.period} has not ended yet: a run needs the whole month's measurements`, {
        period: "choose a month that has ended",
      });
    }

    const baselines = baselinesInForce(await tx.select().from(kpiBaselines).where(eq(kpiBaselines.tenantId, tenantId)), start);
    if (baselines.size === 0) {
      throw gainShareRefused("no_baselines", `${ctx.tenant.name} has no KPI baseline in force on ${start}`, { period: "no baselines in force" });
    }
    const monthRows = await tx
      .select()
      .from(kpiMeasurements)
      .where(and(eq(kpiMeasurements.tenantId, tenantId), eq(kpiMeasurements.periodMonth, start)))
      .orderBy(desc(kpiMeasurements.createdAt));
    const measurements = new Map<string, (typeof monthRows)[number]>();
    for (const m of monthRows) if (!measurements.has(m.kpiCode)) measurements.set(m.kpiCode, m); // latest entry wins
    const kpiCodes = [...baselines.keys()].sort();
    const missing = kpiCodes.filter((k) => !measurements.has(k));
    if (missing.length) {
      throw gainShareRefused("missing_measurements", `No ${p.period} measurement for ${missing.join(", ")}: record them first`, {
        period: `missing measurements: ${missing.join(", ")}`,
      });
    }
    const mismatched = kpiCodes.filter((k) => measurements.get(k)!.unit !== baselines.get(k)!.unit);
    if (mismatched.length) {
      throw gainShareRefused("unit_mismatch", `Measurement units differ from the baselines for ${mismatched.join(", ")}`);
    }

    const result = computeGainShare({
      kpis: kpiCodes.map((k) => {
        const b = baselines.get(k)!;
        return { kpi: k, direction: b.direction, baseline: b.baselineValue, actual: measurements.get(k)!.value, value_per_unit: b.valuePerUnit };
      }),
      sharePercent: share.toFixed(),
      range,
      currency: plan.currency,
    });
    const inputs: RunInputs = {
      period: p.period,
      range: { min_percent: range.min_percent, max_percent: range.max_percent },
      baselines: kpiCodes.map((k) => {
        const b = baselines.get(k)!;
        return { id: b.id, kpi: k, baseline_value: norm(b.baselineValue), unit: b.unit, value_per_unit: norm(b.valuePerUnit), direction: b.direction, effective_from: b.effectiveFrom };
      }),
      measurements: kpiCodes.map((k) => {
        const m = measurements.get(k)!;
        return { id: m.id, kpi: k, period_month: m.periodMonth, value: norm(m.value), unit: m.unit, source: m.source, author: m.author };
      }),
    };

    const [run] = await tx
      .insert(gainShareRuns)
      .values({
        tenantId,
        subscriptionId: ctx.subscriptionId,
        periodStart: start,
        periodEnd: end,
        sharePercent: share.toFixed(),
        currency: plan.currency,
        inputs,
        breakdown: result,
        totalSavings: result.total_savings,
        fee: result.fee,
        createdBy: p.actor.userId,
        createdAt: p.now,
      })
      .onConflictDoNothing({ target: [gainShareRuns.tenantId, gainShareRuns.periodStart], where: ne(gainShareRuns.status, "rejected") })
      .returning();
    if (!run) {
      const [live] = await tx
        .select({ status: gainShareRuns.status, fee: gainShareRuns.fee })
        .from(gainShareRuns)
        .where(and(eq(gainShareRuns.tenantId, tenantId), eq(gainShareRuns.periodStart, start), ne(gainShareRuns.status, "rejected")));
      const what = live?.status === "approved" ? "an approved" : "a pending";
      throw conflict(`${ctx.tenant.name} already has ${what} run for ${p.period}${live ? ` (fee ${live.fee} ${plan.currency})` : ""}: only a rejected run can be superseded`, "run_exists");
    }
    await auditGainShare(tx, {
      tenantId,
      actor: p.actor,
      action: "gain_share_run.created",
      entity: "gain_share_run",
      entityId: run.id,
      data: { period: p.period, share_percent: run.sharePercent, total_savings: run.totalSavings, fee: run.fee, currency: run.currency },
    });
    await notifyRunCreated(tx, ctx.tenant, run);
    return run;
  });
}

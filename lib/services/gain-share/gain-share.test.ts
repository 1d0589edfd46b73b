import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, gainShareRuns, kpiMeasurements, notifications } from "@/db/schema";
import { createTestDb, testDbKinds, type TestDb } from "@/db/testing";
import { AppError } from "@/lib/http/errors";
import type { GainShareActor } from "./audit";
import { createBaseline, listBaselines, updateBaseline } from "./baselines";
import { createGainShareRun } from "./create-run";
import { decideGainShareRun } from "./decide-run";
import { recordMeasurement } from "./measurements";
import { listRunsForOperator, listTenantRuns } from "./run-queries";
import type { RunInputs, RunBreakdown } from "./run-types";
import { gainShareTenant, operator } from "./testing";

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe.each(testDbKinds())("gain-share services on %s", (kind) => {
  let t: TestDb;
  let admin: GainShareActor;
  beforeAll(async () => {
    t = await createTestDb(kind);
    admin = await operator(t.db, "admin");
  }, 60_000);
  afterAll(async () => t?.close());

  describe("baselines", () => {
    it.each<[string, Record<string, string>, number, string, RegExp]>([
      ["an unknown KPI", { kpi: "uptime" }, 400, "kpi", /Unknown KPI "uptime": the reliability-ai catalog knows availability, mtbf, mttr/],
      ["availability above 100", { kpi: "availability", unit: "%", baseline_value: "100.5" }, 400, "baseline_value", /between 0 and 100, got 100.5/],
      ["negative hours", { kpi: "mttr", unit: "hours", baseline_value: "-1" }, 400, "baseline_value", /must be ≥ 0/],
      ["a unit not the KPI's", { kpi: "mttr", unit: "minutes", baseline_value: "30" }, 400, "unit", /measured in "hours"/],
      ["a zero value per unit", { kpi: "mttr", unit: "hours", baseline_value: "5", value_per_unit: "0" }, 400, "value_per_unit", /greater than 0/],
    ])("refuses %s", async (_name, over, status, field, message) => {
      const { tenantId } = await gainShareTenant(t.db, { actor: admin, measurements: false });
      const input = { kpi: "mttr", unit: "hours", baseline_value: "5", value_per_unit: "100", direction: "lower" as const, effective_from: "2026-06-01", ...over };
      const err = await refusal(createBaseline(t.db, { tenantId, actor: admin, input }));
      expect(err.status).toBe(status);
      expect(err.message).toMatch(message);
      expect(Object.keys(err.fields ?? {})).toContain(field);
    });

    it("one baseline per KPI and effective date; edits are audited with before and after", async () => {
      const { tenantId, baselineIds } = await gainShareTenant(t.db, { actor: admin, measurements: false });
      const input = { kpi: "mttr", unit: "hours", baseline_value: "7", value_per_unit: "2500", direction: "lower" as const, effective_from: "2026-01-01" };
      const dup = await refusal(createBaseline(t.db, { tenantId, actor: admin, input }));
      expect([dup.status, dup.code]).toEqual([409, "baseline_exists"]);
      await updateBaseline(t.db, { tenantId, baselineId: baselineIds.mttr, actor: admin, input });
      const rows = await listBaselines(t.db, tenantId);
      expect(rows.find((b) => b.kpiCode === "mttr")?.baselineValue).toMatch(/^7(\.0+)?$/);
      const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, "kpi_baseline.updated")));
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ actorUserId: admin.userId, actorKind: "operator_admin", entityId: baselineIds.mttr });
      expect((audits[0].data as { before: { baseline_value: string } }).before.baseline_value).toMatch(/^8/);
      // Another tenant cannot edit it.
      const other = await gainShareTenant(t.db, { actor: admin, measurements: false });
      const err = await refusal(updateBaseline(t.db, { tenantId: other.tenantId, baselineId: baselineIds.mttr, actor: admin, input }));
      expect(err.status).toBe(404);
    });
  });

  describe("measurements", () => {
    it("an admin's entry carries source and author; units must match the baseline; no future month", async () => {
      const { tenantId, now } = await gainShareTenant(t.db, { actor: admin, measurements: false });
      const ok = await recordMeasurement(t.db, { tenantId, actor: admin, source: "console", input: { kpi: "mttr", period: "2026-02", value: "6.25", unit: "hours" }, now });
      expect(ok.status).toBe(201);
      const [row] = await t.db.select().from(kpiMeasurements).where(eq(kpiMeasurements.id, ok.body.measurement_id));
      expect(row).toMatchObject({ source: "console", author: admin.label, periodMonth: "2026-02-01" });
      const unit = await refusal(recordMeasurement(t.db, { tenantId, actor: admin, source: "console", input: { kpi: "mttr", period: "2026-02", value: "6", unit: "%" }, now }));
      expect(unit.fields).toEqual({ unit: 'mttr is measured in "hours", not "%"' });
      const future = await refusal(recordMeasurement(t.db, { tenantId, actor: admin, source: "console", input: { kpi: "mttr", period: "2026-05", value: "6", unit: "hours" }, now }));
      expect(future.fields).toEqual({ period: "must not be a future month" });
    });
  });

  describe("runs", () => {
    it("stores the breakdown and every input it used, audits, and notifies the tenant", async () => {
      const { tenantId, now, baselineIds } = await gainShareTenant(t.db, { actor: admin });
      const run = await createGainShareRun(t.db, { tenantId, period: "2026-03", sharePercent: "15", actor: admin, now });
      expect(run).toMatchObject({ status: "pending_approval", periodStart: "2026-03-01", periodEnd: "2026-04-01", currency: "CAD" });
      expect(Number(run.totalSavings)).toBe(67500);
      expect(run.fee).toMatch(/^10125(\.0+)?$/);
      const breakdown = run.breakdown as RunBreakdown;
      expect(breakdown.kpis.map((k) => [k.kpi, k.savings])).toEqual([
        ["availability", "50000"],
        ["mtbf", "6000"],
        ["mttr", "5000"],
        ["overtime_hours", "-6000"],
        ["spare_parts_inventory_value", "12500"],
      ]);
      const inputs = run.inputs as RunInputs;
      expect(inputs.baselines.map((b) => [b.kpi, b.id, b.baseline_value])).toContainEqual(["mttr", baselineIds.mttr, "8"]);
      const measured = await t.db.select().from(kpiMeasurements).where(eq(kpiMeasurements.tenantId, tenantId));
      expect(inputs.measurements.map((m) => m.id).sort()).toEqual(measured.map((m) => m.id).sort());
      expect(inputs.measurements.find((m) => m.kpi === "availability")?.value).toBe("97.5");

      const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, "gain_share_run.created")));
      expect(audits).toMatchObject([{ actorUserId: admin.userId, entityId: run.id }]);
      const notes = await t.db.select().from(notifications).where(eq(notifications.tenantId, tenantId));
      expect(notes.map((n) => n.kind)).toEqual(["gain_share_run_created"]);
    });

    it.each([
      ["25", "Share 25% is outside the ENTERPRISE plan's range 10–20%"],
      ["9.99", "Share 9.99% is outside the ENTERPRISE plan's range 10–20%"],
      ["20.01", "Share 20.01% is outside the ENTERPRISE plan's range 10–20%"],
    ])("refuses share %s %%, naming the range", async (share, message) => {
      const { tenantId, now } = await gainShareTenant(t.db, { actor: admin });
      const err = await refusal(createGainShareRun(t.db, { tenantId, period: "2026-03", sharePercent: share, actor: admin, now }));
      expect([err.status, err.code, err.message]).toEqual([422, "share_out_of_range", message]);
      expect(await t.db.select().from(gainShareRuns).where(eq(gainShareRuns.tenantId, tenantId))).toHaveLength(0);
    });

    it.each([["10", "6750"], ["20", "13500"]])("accepts share %s %% at the bound → fee %s", async (share, fee) => {
      const { tenantId, now } = await gainShareTenant(t.db, { actor: admin });
      const run = await createGainShareRun(t.db, { tenantId, period: "2026-03", sharePercent: share, actor: admin, now });
      expect(Number(run.fee)).toBe(Number(fee));
    });

    it("refuses a plan without gain-share", async () => {
      const { tenantId, now } = await gainShareTenant(t.db, { actor: admin, plan: "PRO" });
      const err = await refusal(createGainShareRun(t.db, { tenantId, period: "2026-03", sharePercent: "15", actor: admin, now }));
      expect([err.status, err.code]).toEqual([422, "gain_share_not_allowed"]);
      expect(err.message).toMatch(/PRO plan \(Scale\), which has no gain-share/);
    });

    it("refuses a month with a missing measurement, and a month not yet ended", async () => {
      const { tenantId, now } = await gainShareTenant(t.db, { actor: admin });
      const missing = await refusal(createGainShareRun(t.db, { tenantId, period: "2026-02", sharePercent: "15", actor: admin, now }));
      expect(missing.message).toBe("No 2026-02 measurement for availability, mtbf, mttr, overtime_hours, spare_parts_inventory_value: record them first");
      const open = await refusal(createGainShareRun(t.db, { tenantId, period: "2026-04", sharePercent: "15", actor: admin, now }));
      expect(open.code).toBe("period_not_ended");
    });

    it("one live run per month; a rejected run is superseded; decisions are audited and notified", async () => {
      const { tenantId, now } = await gainShareTenant(t.db, { actor: admin });
      const first = await createGainShareRun(t.db, { tenantId, period: "2026-03", sharePercent: "15", actor: admin, now });
      const twice = await refusal(createGainShareRun(t.db, { tenantId, period: "2026-03", sharePercent: "12", actor: admin, now }));
      expect([twice.status, twice.code]).toEqual([409, "run_exists"]);
      expect(twice.message).toMatch(/already has a pending run for 2026-03/);

      await decideGainShareRun(t.db, { tenantId, runId: first.id, decision: "rejected", comment: "overtime data incomplete", actor: admin, now });
      const second = await createGainShareRun(t.db, { tenantId, period: "2026-03", sharePercent: "12", actor: admin, now });
      const approved = await decideGainShareRun(t.db, { tenantId, runId: second.id, decision: "approved", comment: "checked against plant reports", actor: admin, now });
      expect(approved).toMatchObject({ status: "approved", decidedBy: admin.userId, decisionComment: "checked against plant reports" });
      const third = await refusal(createGainShareRun(t.db, { tenantId, period: "2026-03", sharePercent: "12", actor: admin, now }));
      expect(third.message).toMatch(/already has an approved run for 2026-03/);

      const runs = await listTenantRuns(t.db, tenantId);
      expect(runs.map((r) => r.status)).toEqual(["approved", "rejected"]);
      expect(runs[1]).toMatchObject({ decisionComment: "overtime data incomplete", decidedByEmail: admin.label });
      const actions = (await t.db.select().from(auditLog).where(eq(auditLog.tenantId, tenantId))).map((a) => a.action).filter((a) => a.startsWith("gain_share_run."));
      expect(actions.sort()).toEqual(["gain_share_run.approved", "gain_share_run.created", "gain_share_run.created", "gain_share_run.rejected"]);
      const kinds = (await t.db.select().from(notifications).where(eq(notifications.tenantId, tenantId))).map((n) => n.kind).sort();
      expect(kinds).toEqual(["gain_share_run_approved", "gain_share_run_created", "gain_share_run_created", "gain_share_run_rejected"]);
      const queue = await listRunsForOperator(t.db, { statuses: ["pending_approval"] });
      expect(queue.some((r) => r.tenantId === tenantId)).toBe(false);
    });

    it("a decided run cannot be decided again", async () => {
      const { tenantId, now } = await gainShareTenant(t.db, { actor: admin });
      const run = await createGainShareRun(t.db, { tenantId, period: "2026-03", sharePercent: "15", actor: admin, now });
      await decideGainShareRun(t.db, { tenantId, runId: run.id, decision: "approved", comment: "looks right", actor: admin, now });
      const again = await refusal(decideGainShareRun(t.db, { tenantId, runId: run.id, decision: "rejected", comment: "changed my mind", actor: admin, now }));
      expect([again.status, again.code]).toEqual([409, "already_decided"]);
      expect(again.message).toBe(`This run was already approved by ${admin.label} at 2026-04-20 00:00 UTC; your rejection was not applied`);
      const other = await gainShareTenant(t.db, { actor: admin });
      const foreign = await refusal(decideGainShareRun(t.db, { tenantId: other.tenantId, runId: run.id, decision: "rejected", comment: "wrong tenant", actor: admin, now }));
      expect(foreign.status).toBe(404);
    });
  });
});

/**
 * KPI measurements: the actual value of a KPI for a month, posted through POST /api/kpis (idempotent by key,
 * like usage) or entered in the console, each with its source and author.
 */
import { createHash } from "node:crypto";
import { and, desc, eq, gte, lt } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { kpiBaselines, kpiMeasurements } from "@/db/schema";
import { checkKpiValue } from "@/lib/domain/gain-share/kpi-value-rules";
import { toDecimal } from "@/lib/domain/money";
import { conflict } from "@/lib/http/errors";
import { auditGainShare, type GainShareActor } from "./audit";
import { baselinesInForce } from "./baselines";
import { invalidKpiInput } from "./errors";
import { monthBounds, type MeasurementInput } from "./schemas";
import { kpiOf, loadTenantContext } from "./tenant-context";

export type MeasurementRow = typeof kpiMeasurements.$inferSelect;

export type MeasurementAnswer = {
  ok: true;
  measurement_id: string;
  kpi: string;
  period: string;
  value: string;
  unit: string;
  source: MeasurementRow["source"];
  duplicate: boolean;
};

function answerOf(row: MeasurementRow, duplicate: boolean): MeasurementAnswer {
  return {
    ok: true,
    measurement_id: row.id,
    kpi: row.kpiCode,
    period: row.periodMonth.slice(0, 7),
    value: toDecimal(row.value).toFixed(),
    unit: row.unit,
    source: row.source,
    duplicate,
  };
}

/** The same request body, whatever its key order or number spelling ("97.50" = 97.5). */
export function measurementBodyHash(input: MeasurementInput): string {
  const canonical = JSON.stringify([input.kpi, input.period, toDecimal(input.value).toFixed(), input.unit]);
  return createHash("sha256").update(canonical).digest("hex");
}

async function byKey(db: DbOrTx, tenantId: string, key: string): Promise<MeasurementRow | undefined> {
  const [row] = await db
    .select()
    .from(kpiMeasurements)
    .where(and(eq(kpiMeasurements.tenantId, tenantId), eq(kpiMeasurements.idempotencyKey, key)));
  return row;
}

function repeatOf(existing: MeasurementRow, hash: string): { status: number; body: MeasurementAnswer } {
  if (existing.bodyHash !== hash) {
    throw conflict(
      `Idempotency key already used for a different measurement (${existing.kpiCode} ${existing.periodMonth.slice(0, 7)} = ${toDecimal(existing.value).toFixed()}); nothing was changed`,
      "idempotency_conflict",
    );
  }
  return { status: 200, body: answerOf(existing, true) };
}

export async function recordMeasurement(
  db: Db,
  p: {
    tenantId: string;
    input: MeasurementInput;
    source: "api" | "console";
    actor: GainShareActor;
    idempotencyKey?: string;
    now: Date;
  },
): Promise<{ status: number; body: MeasurementAnswer }> {
  const { tenantId, input } = p;
  const hash = measurementBodyHash(input);
  if (p.idempotencyKey) {
    const existing = await byKey(db, tenantId, p.idempotencyKey);
    if (existing) return repeatOf(existing, hash);
  }

  const { catalog } = await loadTenantContext(db, tenantId);
  const kpi = kpiOf(catalog, input.kpi);
  const { start } = monthBounds(input.period);
  const currentMonth = `${p.now.toISOString().slice(0, 7)}-01`;
  if (start > currentMonth) throw invalidKpiInput(`period ${input.period} has not started yet`, { period: "must not be a future month" });
  const baselines = await db
    .select()
    .from(kpiBaselines)
    .where(and(eq(kpiBaselines.tenantId, tenantId), eq(kpiBaselines.kpiCode, kpi.code)));
  const baseline = baselinesInForce(baselines, start).get(kpi.code) ?? baselinesInForce(baselines, "9999-12-31").get(kpi.code);
  const problem = checkKpiValue({ kpi, unit: input.unit, value: input.value, expectedUnit: baseline?.unit });
  if (problem) throw invalidKpiInput(problem.message, { [problem.field]: problem.message });

  const written = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(kpiMeasurements)
      .values({
        tenantId,
        kpiCode: kpi.code,
        periodMonth: start,
        value: input.value,
        unit: input.unit,
        source: p.source,
        author: p.actor.label,
        idempotencyKey: p.idempotencyKey ?? null,
        bodyHash: hash,
      })
      .onConflictDoNothing({ target: [kpiMeasurements.tenantId, kpiMeasurements.idempotencyKey] })
      .returning();
    if (!row) return null; // a concurrent request with the same key won
    await auditGainShare(tx, {
      tenantId,
      actor: p.actor,
      action: "kpi_measurement.recorded",
      entity: "kpi_measurement",
      entityId: row.id,
      data: { kpi: row.kpiCode, period: input.period, value: row.value, unit: row.unit, source: p.source },
    });
    return row;
  });
  if (written) return { status: 201, body: answerOf(written, false) };
  const existing = await byKey(db, tenantId, p.idempotencyKey!);
  return repeatOf(existing!, hash);
}

/** Measurements of the tenant, newest month first (optionally from `since`, a YYYY-MM-DD month start). */
export async function listMeasurements(db: DbOrTx, p: { tenantId: string; since?: string; before?: string; limit?: number }) {
  const conds = [eq(kpiMeasurements.tenantId, p.tenantId)];
  if (p.since) conds.push(gte(kpiMeasurements.periodMonth, p.since));
  if (p.before) conds.push(lt(kpiMeasurements.periodMonth, p.before));
  return db
    .select()
    .from(kpiMeasurements)
    .where(and(...conds))
    .orderBy(desc(kpiMeasurements.periodMonth), kpiMeasurements.kpiCode, desc(kpiMeasurements.createdAt))
    .limit(p.limit ?? 500);
}

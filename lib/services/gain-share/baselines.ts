/** KPI baselines per tenant: what a KPI was before the programme, and what one unit of improvement is worth. */
import { and, asc, desc, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { kpiBaselines } from "@/db/schema";
import { checkKpiValue } from "@/lib/domain/gain-share/kpi-value-rules";
import { toDecimal } from "@/lib/domain/money";
import { conflict, notFound } from "@/lib/http/errors";
import { auditGainShare, isUniqueViolation, type GainShareActor } from "./audit";
import { invalidKpiInput } from "./errors";
import type { BaselineInput } from "./schemas";
import { kpiOf, loadTenantContext } from "./tenant-context";

export type BaselineRow = typeof kpiBaselines.$inferSelect;

export async function listBaselines(db: DbOrTx, tenantId: string): Promise<BaselineRow[]> {
  return db
    .select()
    .from(kpiBaselines)
    .where(eq(kpiBaselines.tenantId, tenantId))
    .orderBy(asc(kpiBaselines.kpiCode), desc(kpiBaselines.effectiveFrom));
}

async function validate(db: DbOrTx, tenantId: string, input: BaselineInput) {
  const { catalog } = await loadTenantContext(db, tenantId);
  const kpi = kpiOf(catalog, input.kpi);
  const problem = checkKpiValue({ kpi, unit: input.unit, value: input.baseline_value });
  if (problem) throw invalidKpiInput(problem.message, { [problem.field === "unit" ? "unit" : "baseline_value"]: problem.message });
  if (!toDecimal(input.value_per_unit).greaterThan(0)) {
    throw invalidKpiInput("value per unit must be greater than 0", { value_per_unit: "must be greater than 0" });
  }
}

const duplicate = (input: BaselineInput) =>
  conflict(`A ${input.kpi} baseline effective from ${input.effective_from} already exists: edit it instead`, "baseline_exists");

export async function createBaseline(db: Db, p: { tenantId: string; input: BaselineInput; actor: GainShareActor }): Promise<BaselineRow> {
  const { tenantId, input, actor } = p;
  await validate(db, tenantId, input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(kpiBaselines)
      .values({
        tenantId,
        kpiCode: input.kpi,
        baselineValue: input.baseline_value,
        unit: input.unit,
        valuePerUnit: input.value_per_unit,
        direction: input.direction,
        effectiveFrom: input.effective_from,
        createdBy: actor.userId,
      })
      .onConflictDoNothing({ target: [kpiBaselines.tenantId, kpiBaselines.kpiCode, kpiBaselines.effectiveFrom] })
      .returning();
    if (!row) throw duplicate(input);
    await auditGainShare(tx, { tenantId, actor, action: "kpi_baseline.created", entity: "kpi_baseline", entityId: row.id, data: { ...input } });
    return row;
  });
}

export async function updateBaseline(
  db: Db,
  p: { tenantId: string; baselineId: string; input: BaselineInput; actor: GainShareActor },
): Promise<BaselineRow> {
  const { tenantId, input, actor } = p;
  await validate(db, tenantId, input);
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(kpiBaselines)
        .where(and(eq(kpiBaselines.tenantId, tenantId), eq(kpiBaselines.id, p.baselineId)))
        .for("update");
      if (!before) throw notFound("No such baseline");
      const [row] = await tx
        .update(kpiBaselines)
        .set({
          kpiCode: input.kpi,
          baselineValue: input.baseline_value,
          unit: input.unit,
          valuePerUnit: input.value_per_unit,
          direction: input.direction,
          effectiveFrom: input.effective_from,
        })
        .where(and(eq(kpiBaselines.tenantId, tenantId), eq(kpiBaselines.id, p.baselineId)))
        .returning();
      await auditGainShare(tx, {
        tenantId,
        actor,
        action: "kpi_baseline.updated",
        entity: "kpi_baseline",
        entityId: row.id,
        data: {
          before: { baseline_value: before.baselineValue, unit: before.unit, value_per_unit: before.valuePerUnit, direction: before.direction, effective_from: before.effectiveFrom },
          after: { ...input },
        },
      });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(input);
    throw err;
  }
}

export async function deleteBaseline(db: Db, p: { tenantId: string; baselineId: string; actor: GainShareActor }): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(kpiBaselines)
      .where(and(eq(kpiBaselines.tenantId, p.tenantId), eq(kpiBaselines.id, p.baselineId)))
      .returning();
    if (!row) throw notFound("No such baseline");
    await auditGainShare(tx, {
      tenantId: p.tenantId,
      actor: p.actor,
      action: "kpi_baseline.deleted",
      entity: "kpi_baseline",
      entityId: row.id,
      data: { kpi: row.kpiCode, baseline_value: row.baselineValue, effective_from: row.effectiveFrom },
    });
  });
}

/** Per KPI, the baseline in force at `on` (latest effective_from ≤ on). */
export function baselinesInForce(rows: BaselineRow[], on: string): Map<string, BaselineRow> {
  const out = new Map<string, BaselineRow>();
  for (const r of rows) {
    if (r.effectiveFrom > on) continue;
    const cur = out.get(r.kpiCode);
    if (!cur || r.effectiveFrom > cur.effectiveFrom) out.set(r.kpiCode, r);
  }
  return out;
}

import { z } from "zod";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { snapshots } from "@/db/schema";
import { AppError, badRequest, paymentRequired } from "@/lib/http/errors";
import { dimensionCells } from "@/lib/domain/catalog/dimensions";
import { componentFor } from "@/lib/domain/catalog/lookup";
import { evaluateCountLimit, evaluateLimit } from "@/lib/domain/limits/evaluate-limit";
import { includedFor, limitFor } from "@/lib/domain/limits/limit-for";
import { Decimal, toDecimal } from "@/lib/domain/money";
import { parseQuantity } from "@/lib/domain/usage/parse-quantity";
import type { ApiKeyContext } from "@/lib/services/api-keys/authenticate-api-key";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { fieldsOf } from "@/lib/services/usage/request-schema";

const count = z.custom<string | number>().transform((value, ctx) => {
  const p = parseQuantity(value);
  if (!p.ok || p.value.startsWith("-")) {
    ctx.addIssue({ code: "custom", message: p.ok ? "must not be negative" : p.message });
    return z.NEVER;
  }
  return p.value;
});

export const snapshotSchema = z.strictObject({
  metric: z.string({ error: "expected a metric code" }).min(1).max(100),
  quantity: count.optional(),
  breakdown: z
    .record(z.string().min(1).max(100), count)
    .refine((b) => Object.keys(b).length <= 1000, { error: "at most 1000 breakdown entries" })
    .optional(),
  taken_on: z.iso.date({ error: "expected a date such as 2026-03-01" }).optional(),
});

export type SnapshotInput = z.input<typeof snapshotSchema>;

export type SnapshotAnswer = {
  ok: true;
  snapshot: { id: string; metric: string; taken_on: string; quantity: string; breakdown: Record<string, string> };
  included: string | null;
  limit: null | { kind: string; status: string };
};

/**
 * Records a counted-metric snapshot (assets, seats, licences, clusters, storage) for the key's tenant,
 * one per subscription, metric and day (a second post the same day replaces the first). Count limits
 * such as max sites (plan.count_limits["<breakdown property>s"]) and hard limits are enforced.
 */
export async function recordSnapshot(db: Db, auth: ApiKeyContext, body: unknown, now: Date): Promise<SnapshotAnswer> {
  const sub = auth.subscription;
  if (!sub) throw paymentRequired("This tenant has no active subscription", "no_active_subscription");
  if (sub.dunningState === "suspended") throw paymentRequired("The subscription is suspended for non-payment", "subscription_suspended");
  const parsed = snapshotSchema.safeParse(body);
  if (!parsed.success) {
    const fields = fieldsOf(parsed.error);
    throw badRequest(`Invalid snapshot: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join("; ")}`, fields);
  }
  const input = parsed.data;
  const { plan, catalog } = await loadPlanVersion(db, sub.planVersionId);
  const metric = catalog.metrics.find((m) => m.code === input.metric);
  const component = componentFor(plan, input.metric);
  if (!metric || metric.kind !== "snapshot" || !component || (component.kind !== "counted" && component.kind !== "dimensional")) {
    const known = catalog.metrics.filter((m) => m.kind === "snapshot" && componentFor(plan, m.code)).map((m) => m.code);
    throw badRequest(`"${input.metric}" is not a counted metric of plan ${plan.code} (known: ${known.join(", ")})`, {
      metric: "unknown counted metric",
    });
  }
  const breakdown = input.breakdown ?? {};
  if (component.kind === "dimensional") {
    const cells = dimensionCells(metric);
    const bad = Object.keys(breakdown).filter((k) => !cells.includes(k));
    if (bad.length || Object.keys(breakdown).length === 0) {
      throw badRequest(`breakdown of ${metric.code} must be keyed by ${metric.dimensions.map((d) => d.key).join(":")} (e.g. ${cells[0]})`, {
        breakdown: bad.length ? `unknown cell ${bad[0]}` : "is required for a dimensional metric",
      });
    }
  }
  const sum = Object.values(breakdown).reduce((s, v) => s.plus(toDecimal(v)), new Decimal(0));
  if (input.quantity === undefined && Object.keys(breakdown).length === 0) {
    throw badRequest("Send quantity, breakdown, or both", { quantity: "is required without a breakdown" });
  }
  const quantity = input.quantity ?? sum.toFixed();
  if (input.quantity !== undefined && Object.keys(breakdown).length > 0 && !toDecimal(input.quantity).equals(sum)) {
    throw badRequest(`quantity ${input.quantity} differs from the breakdown's total ${sum.toFixed()}`, { quantity: "must equal the breakdown total" });
  }
  const today = now.toISOString().slice(0, 10);
  const takenOn = input.taken_on ?? today;
  if (takenOn > today) throw new AppError(422, "snapshot_in_future", `taken_on ${takenOn} is in the future`, { taken_on: "is in the future" });
  if (takenOn < sub.period.start.toISOString().slice(0, 10)) {
    throw new AppError(422, "snapshot_before_period", `taken_on ${takenOn} is before the open billing period`, { taken_on: "before the open period" });
  }

  // Count limits on the breakdown (e.g. sites per tenant).
  const property = metric.breakdowns[0]?.property;
  const max = property ? plan.count_limits[`${property}s`] : undefined;
  if (max !== undefined) {
    const used = Object.values(breakdown).filter((v) => !toDecimal(v).isZero()).length;
    const decision = evaluateCountLimit({ max, current: 0, adding: used });
    if (!decision.admitted) {
      throw new AppError(422, `${property}_limit_exceeded`, `Plan ${plan.code} allows at most ${max} ${property}s; this snapshot has ${used}`, {
        breakdown: `at most ${max} ${property}s`,
      });
    }
  }
  const included = includedFor({ plan, code: metric.code });
  const limit = limitFor({ plan, code: metric.code });
  const decision = evaluateLimit({ limit, included: included ?? "unlimited", usedBefore: "0", increment: quantity });
  if (!decision.admitted) {
    throw new AppError(limit.kind === "soft_limit" ? 429 : 422, "limit_exceeded", `${metric.code} ${quantity} passes the plan's limit of ${decision.cap}`);
  }

  const [row] = await db
    .insert(snapshots)
    .values({ tenantId: auth.tenantId, subscriptionId: sub.id, metricCode: metric.code, takenOn, quantity, breakdown, source: "api" })
    .onConflictDoUpdate({
      target: [snapshots.tenantId, snapshots.subscriptionId, snapshots.metricCode, snapshots.takenOn],
      set: { quantity, breakdown, source: "api", takenAt: sql`now()` },
    })
    .returning();
  return {
    ok: true,
    snapshot: { id: row.id, metric: metric.code, taken_on: takenOn, quantity: toDecimal(row.quantity).toFixed(), breakdown },
    included: included === null ? null : included,
    limit: limit.kind === "none" ? null : { kind: limit.kind, status: decision.status },
  };
}

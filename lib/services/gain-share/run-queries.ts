/** Reads of gain-share runs: a tenant's own (customer pages) and every tenant's (the operator's queue). */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { gainShareRuns, invoices, tenants, users } from "@/db/schema";
import type { RunBreakdown, RunInputs, RunRow } from "./run-types";

export type RunView = Omit<RunRow, "breakdown" | "inputs"> & {
  breakdown: RunBreakdown;
  inputs: RunInputs;
  decidedByEmail: string | null;
  createdByEmail: string | null;
  invoiceNumber: string | null;
};

const decider = alias(users, "decider");
const creator = alias(users, "creator");

function select(db: DbOrTx) {
  return db
    .select({ run: gainShareRuns, decidedByEmail: decider.email, createdByEmail: creator.email, invoiceNumber: invoices.number })
    .from(gainShareRuns)
    .leftJoin(decider, eq(decider.id, gainShareRuns.decidedBy))
    .leftJoin(creator, eq(creator.id, gainShareRuns.createdBy))
    .leftJoin(invoices, and(eq(invoices.tenantId, gainShareRuns.tenantId), eq(invoices.id, gainShareRuns.invoicedInvoiceId)));
}

function view(r: { run: RunRow; decidedByEmail: string | null; createdByEmail: string | null; invoiceNumber: string | null }): RunView {
  return {
    ...r.run,
    breakdown: r.run.breakdown as RunBreakdown,
    inputs: r.run.inputs as RunInputs,
    decidedByEmail: r.decidedByEmail,
    createdByEmail: r.createdByEmail,
    invoiceNumber: r.invoiceNumber,
  };
}

/** The tenant's runs, newest period first (a superseded rejected run after its successor). */
export async function listTenantRuns(db: DbOrTx, tenantId: string): Promise<RunView[]> {
  const rows = await select(db)
    .where(eq(gainShareRuns.tenantId, tenantId))
    // Newest month first; within a month the live run before the rejected ones it superseded.
    .orderBy(desc(gainShareRuns.periodStart), sql`(${gainShareRuns.status} = 'rejected')`, desc(gainShareRuns.createdAt));
  return rows.map(view);
}

export async function getTenantRun(db: DbOrTx, p: { tenantId: string; runId: string }): Promise<RunView | null> {
  const [row] = await select(db).where(and(eq(gainShareRuns.tenantId, p.tenantId), eq(gainShareRuns.id, p.runId)));
  return row ? view(row) : null;
}

export type OperatorRunView = RunView & { tenantName: string; tenantSlug: string; locale: string };

/** Operator console: runs of every tenant with the given statuses, pending oldest first, decided newest first. */
export async function listRunsForOperator(
  db: DbOrTx,
  p: { statuses: RunRow["status"][]; limit?: number },
): Promise<OperatorRunView[]> {
  const pendingOnly = p.statuses.length === 1 && p.statuses[0] === "pending_approval";
  const rows = await db
    .select({
      run: gainShareRuns,
      decidedByEmail: decider.email,
      createdByEmail: creator.email,
      invoiceNumber: invoices.number,
      tenantName: tenants.name,
      tenantSlug: tenants.slug,
      locale: tenants.locale,
    })
    .from(gainShareRuns)
    .innerJoin(tenants, eq(tenants.id, gainShareRuns.tenantId))
    .leftJoin(decider, eq(decider.id, gainShareRuns.decidedBy))
    .leftJoin(creator, eq(creator.id, gainShareRuns.createdBy))
    .leftJoin(invoices, and(eq(invoices.tenantId, gainShareRuns.tenantId), eq(invoices.id, gainShareRuns.invoicedInvoiceId)))
    .where(inArray(gainShareRuns.status, p.statuses))
    .orderBy(pendingOnly ? asc(gainShareRuns.createdAt) : desc(sql`coalesce(${gainShareRuns.decidedAt}, ${gainShareRuns.createdAt})`))
    .limit(p.limit ?? 100);
  return rows.map((r) => ({ ...view(r), tenantName: r.tenantName, tenantSlug: r.tenantSlug, locale: r.locale }));
}

import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { invoices, memberships, paymentAttempts, subscriptions, tenants, users } from "@/db/schema";
import type { DunningPolicy } from "@/lib/domain/catalog/types";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type InvoiceRow = typeof invoices.$inferSelect;

export interface ActorRef {
  kind: "user" | "operator_admin" | "system" | "stripe";
  userId: string | null;
}

export async function lockSubscription(tx: Tx, tenantId: string, subscriptionId: string, skipLocked = false): Promise<SubscriptionRow | null> {
  const q = tx
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.id, subscriptionId)));
  const [row] = skipLocked ? await q.for("update", { skipLocked: true }) : await q.for("update");
  return row ?? null;
}

export async function lockInvoiceRow(tx: Tx, tenantId: string, invoiceId: string): Promise<InvoiceRow | null> {
  const [row] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoiceId)))
    .for("update");
  return row ?? null;
}

export async function dunningPolicyOf(db: DbOrTx, sub: SubscriptionRow): Promise<DunningPolicy> {
  return (await loadPlanVersion(db, sub.planVersionId)).plan.dunning;
}

/**
 * The invoices a dunning episode is about: open invoices of the subscription with at least one failed
 * payment attempt, oldest first, each with its highest attempt number.
 */
export async function failedOpenInvoices(db: DbOrTx, sub: SubscriptionRow): Promise<{ invoice: InvoiceRow; lastAttemptNo: number }[]> {
  const rows = await db
    .select({ invoice: invoices, lastAttemptNo: sql<number>`max(${paymentAttempts.attemptNo})`.mapWith(Number) })
    .from(invoices)
    .innerJoin(paymentAttempts, and(eq(paymentAttempts.tenantId, invoices.tenantId), eq(paymentAttempts.invoiceId, invoices.id)))
    .where(
      and(
        eq(invoices.tenantId, sub.tenantId),
        eq(invoices.subscriptionId, sub.id),
        eq(invoices.status, "open"),
        sql`exists (select 1 from ${paymentAttempts} pa where pa.tenant_id = ${invoices.tenantId} and pa.invoice_id = ${invoices.id} and pa.status = 'failed')`,
      ),
    )
    .groupBy(invoices.tenantId, invoices.id)
    .orderBy(asc(invoices.issuedAt), asc(invoices.number));
  return rows;
}

/** Where the tenant's billing email goes: its billing address, else its first owner's email. */
export async function billingContact(db: DbOrTx, tenantId: string): Promise<{ email: string; name: string; locale: string } | null> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) return null;
  if (tenant.billingEmail) return { email: tenant.billingEmail, name: tenant.name, locale: tenant.locale };
  const [owner] = await db
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "owner")))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  return owner ? { email: owner.email, name: tenant.name, locale: tenant.locale } : null;
}

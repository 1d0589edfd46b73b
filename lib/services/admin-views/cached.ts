/** Per-request cached operator reads (React cache()). Callers must have run requireOperatorAdmin(). */
import { cache } from "react";
import { getDb } from "@/db";
import { listInvoicesForOperator } from "@/lib/services/billing/invoice-queries";
import { listAutomationJobs, listAutomationRuns } from "./automation-runs";
import { listCatalogsForAdmin } from "./catalog-plans";
import { listTenantsForAdmin } from "./list-tenants";
import { getTenantForAdmin } from "./tenant-detail";

export const adminTenants = cache(async () => listTenantsForAdmin(await getDb()));
export const adminTenant = cache(async (tenantId: string) => getTenantForAdmin(await getDb(), tenantId));
export const adminTenantInvoices = cache(async (tenantId: string) => listInvoicesForOperator(await getDb(), { tenantId, limit: 24 }));
export const adminAutomationRuns = cache(async (job?: string) => listAutomationRuns(await getDb(), { job, limit: 200 }));
export const adminAutomationJobs = cache(async () => listAutomationJobs(await getDb()));
export const adminCatalogs = cache(async () => listCatalogsForAdmin(await getDb()));

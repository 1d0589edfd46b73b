import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Stat } from "@/components/ui/stat";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { DunningBadge } from "@/components/billing/dunning-badge";
import { PageHeader } from "@/components/billing/page-header";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import { formatDate, formatMoney } from "@/lib/format";
import { adminTenants } from "@/lib/services/admin-views/cached";

export const metadata: Metadata = { title: "Tenants" };

const LOCALE = "en-CA";

export default async function AdminHome() {
  await requireOperatorAdmin();
  const { rows, totals, pastDue } = await adminTenants();
  return (
    <div className="space-y-6">
      <PageHeader title="Tenants" subtitle="Every customer of the operator, with its plan and the current period's revenue." />
      <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
        <Stat label="Tenants" value={rows.length} hint={`${rows.filter((r) => r.planCode).length} with an active plan`} />
        {totals.length === 0 ? <Stat label="MRR" value="—" /> : null}
        {totals.map((t) => (
          <Stat key={`mrr-${t.currency}`} label={`MRR (${t.currency})`} value={formatMoney(t.mrr, t.currency, LOCALE)} hint={`${t.tenants} subscriptions`} />
        ))}
        {totals.map((t) => (
          <Stat key={`ovg-${t.currency}`} label={`Overage this period (${t.currency})`} value={formatMoney(t.overage, t.currency, LOCALE)} hint="Usage beyond included, accrued so far" />
        ))}
        <Stat label="Past due" value={pastDue} tone={pastDue > 0 ? "bad" : "good"} hint="In grace, past due or suspended" />
      </div>
      <Card title="All tenants">
        {rows.length === 0 ? (
          <EmptyState title="No tenants yet">Tenants appear here once they are created and subscribed to a plan.</EmptyState>
        ) : (
          <Table caption="Tenants">
            <THead>
              <Th>Tenant</Th>
              <Th>Plan</Th>
              <Th numeric>MRR</Th>
              <Th numeric>Current overage</Th>
              <Th numeric>Open balance</Th>
              <Th>Dunning</Th>
              <Th>Renews</Th>
            </THead>
            <TBody>
              {rows.map((r) => (
                <tr key={r.tenantId}>
                  <Td>
                    <Link href={`/admin/tenants/${r.tenantId}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                      {r.name}
                    </Link>
                    <div className="text-xs text-slate-600">{r.slug}</div>
                  </Td>
                  <Td>{r.planCode ? `${r.planName} (${r.planCode})` : "—"}</Td>
                  <Td numeric>{r.currency ? formatMoney(r.mrr, r.currency, LOCALE) : "—"}</Td>
                  <Td numeric>{r.currency ? formatMoney(r.overage, r.currency, LOCALE) : "—"}</Td>
                  <Td numeric>{r.currency ? formatMoney(r.openBalance, r.currency, LOCALE) : "—"}</Td>
                  <Td>
                    <DunningBadge state={r.dunningState} />
                  </Td>
                  <Td>{r.periodEnd ? formatDate(r.periodEnd, LOCALE) : "—"}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}

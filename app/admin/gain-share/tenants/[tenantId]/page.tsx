import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db";
import { PageHeader } from "@/components/billing/page-header";
import { KpiBaselinesSection } from "@/components/gain-share/kpi-baselines-section";
import { RunStatusBadge } from "@/components/gain-share/run-status-badge";
import { Card } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import { formatMoney } from "@/lib/format";
import { listTenantRuns } from "@/lib/services/gain-share/run-queries";
import { loadTenantContext } from "@/lib/services/gain-share/tenant-context";

export const metadata: Metadata = { title: "Tenant KPIs" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function TenantKpisPage({ params }: { params: Promise<{ tenantId: string }> }) {
  await requireOperatorAdmin();
  const { tenantId } = await params;
  if (!UUID.test(tenantId)) notFound();
  const db = await getDb();
  const ctx = await loadTenantContext(db, tenantId).catch(() => null);
  if (!ctx) notFound();
  const runs = await listTenantRuns(db, tenantId);
  const locale = ctx.tenant.locale;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link className="text-brand-700 hover:underline" href="/admin/gain-share">
          ← Gain-share approvals
        </Link>
      </p>
      <PageHeader
        title={`${ctx.tenant.name} — KPIs`}
        subtitle={`${ctx.plan.display_name} (${ctx.plan.code})${ctx.plan.gain_share ? `, gain-share ${ctx.plan.gain_share.min_percent}–${ctx.plan.gain_share.max_percent} %` : ", no gain-share on this plan"}`}
      />
      <KpiBaselinesSection tenantId={tenantId} />
      <Card title="Runs">
        {runs.length === 0 ? (
          <p className="text-sm text-slate-600">No runs yet.</p>
        ) : (
          <Table caption={`Gain-share runs of ${ctx.tenant.name}`}>
            <THead>
              <Th>Month</Th>
              <Th>Status</Th>
              <Th numeric>Fee</Th>
              <Th>Comment</Th>
              <Th>Invoice</Th>
            </THead>
            <TBody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <Td>{r.periodStart.slice(0, 7)}</Td>
                  <Td>
                    <RunStatusBadge status={r.status} />
                  </Td>
                  <Td numeric>{formatMoney(r.fee, r.currency, locale)}</Td>
                  <Td className="max-w-xs whitespace-normal">{r.decisionComment ?? "—"}</Td>
                  <Td>{r.invoiceNumber ?? "—"}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}

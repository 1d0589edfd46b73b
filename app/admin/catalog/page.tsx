import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { PageHeader } from "@/components/billing/page-header";
import { planFacts } from "@/components/billing/plan-facts";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import { describeInterval } from "@/lib/domain/period";
import { formatDateTime } from "@/lib/format";
import { adminCatalogs } from "@/lib/services/admin-views/cached";

export const metadata: Metadata = { title: "Catalog" };

const LOCALE = "en-CA";

export default async function CatalogPage() {
  await requireOperatorAdmin();
  const catalogs = await adminCatalogs();
  return (
    <div className="space-y-6">
      <PageHeader title="Catalog" subtitle="Plans as synced from catalogs/ (read-only). Subscriptions keep their plan version until they change plan." />
      {catalogs.length === 0 ? <EmptyState title="No catalog synced">Run the seed or start the app to sync the default catalog.</EmptyState> : null}
      {catalogs.map((c) => {
        const catalog = c.catalog;
        return (
          <Card key={c.code} title={`${c.name} (${c.code}) · ${c.currency}`} action={<span className="text-xs text-slate-600">Synced {formatDateTime(c.syncedAt, LOCALE)}</span>}>
            <Table caption={`Plans of ${c.code}`}>
              <THead>
                <Th>Plan</Th>
                <Th>Interval</Th>
                <Th>Pricing</Th>
                <Th>Alerts</Th>
              </THead>
              <TBody>
                {c.plans.map((p) => (
                  <tr key={p.id}>
                    <Td>
                      <div className="font-medium">{p.definition.display_name}</div>
                      <div className="text-xs text-slate-600">
                        {p.definition.code} · v{p.definition.version}
                        {p.versions > 1 ? ` (${p.versions} versions)` : ""}
                      </div>
                      {!p.active ? <Badge tone="warn">inactive</Badge> : null}
                    </Td>
                    <Td>{describeInterval(p.definition.interval)}</Td>
                    <Td className="whitespace-normal">
                      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
                        {planFacts(catalog, p.definition, LOCALE).map((f) => (
                          <div key={f.key} className="contents">
                            <dt className="text-slate-600">{f.label}</dt>
                            <dd className="tabular">{f.value}</dd>
                          </div>
                        ))}
                      </dl>
                    </Td>
                    <Td className="text-xs">{p.definition.alert_thresholds.map((a) => `${a.code} ${a.percent}%`).join(", ") || "—"}</Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          </Card>
        );
      })}
    </div>
  );
}

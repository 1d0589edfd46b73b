import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { PageHeader } from "@/components/billing/page-header";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import { formatDateTime } from "@/lib/format";
import { adminAutomationRuns } from "@/lib/services/admin-views/cached";

export const metadata: Metadata = { title: "Automation runs" };

const LOCALE = "en-CA";
const tone = { running: "info", succeeded: "good", failed: "bad", partial: "warn" } as const;

function duration(start: Date, end: Date | null): string {
  if (!end) return "—";
  const ms = end.getTime() - start.getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function countsText(counts: unknown): string {
  if (!counts || typeof counts !== "object") return "—";
  const entries = Object.entries(counts as Record<string, unknown>).filter(([, v]) => typeof v === "number" || typeof v === "string");
  if (!entries.length) return "—";
  // Zero counts are noise: show what the run did, or that it found nothing to do.
  const nonZero = entries.filter(([, v]) => v !== 0 && v !== "0");
  return nonZero.length ? nonZero.map(([k, v]) => `${k.replace(/_/g, " ")} ${v}`).join(" · ") : "nothing to do";
}

export default async function AutomationPage() {
  await requireOperatorAdmin();
  const runs = await adminAutomationRuns();
  return (
    <div className="space-y-6">
      <PageHeader title="Automation runs" subtitle="Every cron job (snapshots, invoices, Stripe sync, dunning) logs one run per call." />
      <Card title={`Latest ${runs.length} runs`}>
        {runs.length === 0 ? (
          <EmptyState title="No runs yet">Runs appear once the scheduler calls /api/cron/* (or a job is run from the CLI).</EmptyState>
        ) : (
          <Table caption="Automation runs">
            <THead>
              <Th>Job</Th>
              <Th>Trigger</Th>
              <Th>Status</Th>
              <Th>Started</Th>
              <Th numeric>Duration</Th>
              <Th>Counts</Th>
              <Th>Errors</Th>
            </THead>
            <TBody>
              {runs.map((r) => {
                const errors = Array.isArray(r.errors) ? (r.errors as { message?: string; item?: string }[]) : [];
                return (
                  <tr key={r.id}>
                    <Td className="font-medium">{r.job}</Td>
                    <Td>{r.trigger}</Td>
                    <Td>
                      <Badge tone={tone[r.status]}>{r.status}</Badge>
                      {r.hasMore ? <span className="ml-1 text-xs text-slate-600">more to do</span> : null}
                    </Td>
                    <Td>{formatDateTime(r.startedAt, LOCALE)}</Td>
                    <Td numeric>{duration(r.startedAt, r.finishedAt)}</Td>
                    <Td className="min-w-48 max-w-sm whitespace-normal text-xs">{countsText(r.counts)}</Td>
                    <Td className="max-w-xs whitespace-normal text-xs">
                      {errors.length === 0 ? "—" : errors.slice(0, 3).map((e, i) => <div key={i}>{e.item ? `${e.item}: ` : ""}{e.message ?? JSON.stringify(e)}</div>)}
                      {errors.length > 3 ? <div>… {errors.length - 3} more</div> : null}
                    </Td>
                  </tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}

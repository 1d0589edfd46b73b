import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { PageHeader } from "@/components/billing/page-header";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import { env } from "@/lib/env";
import { formatDateTime } from "@/lib/format";
import { listWebhookEvents, webhookOutcomeCounts, type WebhookOutcome } from "@/lib/integrations/stripe/webhook/webhook-event-queries";
import { FilterLink } from "@/components/ui/filter-link";

export const metadata: Metadata = { title: "Stripe webhooks" };
export const dynamic = "force-dynamic";

const LOCALE = "en-CA";
const outcomeTone = { processed: "good", ignored: "neutral", failed: "bad" } as const;
const OUTCOMES: WebhookOutcome[] = ["processed", "ignored", "failed"];

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<{ outcome?: string; error?: string }> }) {
  await requireOperatorAdmin();
  const sp = await searchParams;
  const outcome = OUTCOMES.find((o) => o === sp.outcome);
  const db = await getDb();
  const [events, counts] = await Promise.all([listWebhookEvents(db, { outcome, limit: 200 }), webhookOutcomeCounts(db)]);
  const e = env();
  const configured = Boolean(e.STRIPE_WEBHOOK_SECRET);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Stripe webhooks"
        subtitle={
          configured
            ? "Every event Stripe delivered to /api/webhooks/stripe, stored once by id with its outcome."
            : "STRIPE_WEBHOOK_SECRET is not set: /api/webhooks/stripe refuses every delivery (Meterline runs without Stripe)."
        }
      />
      {sp.error ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
          {sp.error}
        </div>
      ) : null}
      <nav aria-label="Filter by outcome" className="flex flex-wrap gap-2 text-sm">
        <FilterLink href="/admin/webhooks" active={!outcome} label={`All (${counts.processed + counts.ignored + counts.failed})`} />
        {OUTCOMES.map((o) => (
          <FilterLink key={o} href={`/admin/webhooks?outcome=${o}`} active={outcome === o} label={`${o[0].toUpperCase()}${o.slice(1)} (${counts[o]})`} />
        ))}
      </nav>
      <Card title={outcome ? `Latest ${outcome} events` : "Latest events"}>
        {events.length === 0 ? (
          <EmptyState title="No events">
            {outcome ? `No ${outcome} events.` : "Events appear here once Stripe delivers them (point a Stripe webhook endpoint at /api/webhooks/stripe)."}
          </EmptyState>
        ) : (
          <Table caption="Stripe webhook events">
            <THead>
              <Th>Event</Th>
              <Th>Outcome</Th>
              <Th>Tenant</Th>
              <Th>Received</Th>
              <Th numeric>Replays</Th>
              <Th>Note</Th>
            </THead>
            <TBody>
              {events.map((ev) => (
                <tr key={ev.id}>
                  <Td>
                    <div className="font-medium text-slate-900">{ev.type}</div>
                    <Link href={`/admin/webhooks/${encodeURIComponent(ev.id)}`} className="font-mono text-xs text-brand-700 underline-offset-2 hover:underline">
                      {ev.id}
                    </Link>
                  </Td>
                  <Td>
                    <Badge tone={outcomeTone[ev.outcome]}>{ev.outcome}</Badge>
                  </Td>
                  <Td>{ev.tenantId ? <Link href={`/admin/tenants/${ev.tenantId}`} className="text-brand-700 hover:underline">{ev.tenantName ?? ev.tenantId}</Link> : "—"}</Td>
                  <Td>{formatDateTime(ev.receivedAt, LOCALE)}</Td>
                  <Td numeric>{ev.replayCount}</Td>
                  <Td className="max-w-xs whitespace-normal text-xs text-slate-700">{ev.error ?? "—"}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/billing/page-header";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import { formatDateTime } from "@/lib/format";
import { getWebhookEvent } from "@/lib/integrations/stripe/webhook/webhook-event-queries";
import { replayWebhookEventAction } from "../actions";

export const metadata: Metadata = { title: "Stripe webhook event" };
export const dynamic = "force-dynamic";

const LOCALE = "en-CA";
const tone = { processed: "good", ignored: "neutral", failed: "bad" } as const;

export default async function WebhookEventPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ replayed?: string }> }) {
  await requireOperatorAdmin();
  const { id } = await params;
  const sp = await searchParams;
  const row = await getWebhookEvent(await getDb(), decodeURIComponent(id));
  if (!row) notFound();
  const ev = row.event;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/admin/webhooks" className="text-brand-700 hover:underline">
          ← All webhook events
        </Link>
      </p>
      <PageHeader
        title={ev.type}
        subtitle={<span className="font-mono text-xs">{ev.id}</span>}
        actions={
          <form action={replayWebhookEventAction}>
            <input type="hidden" name="eventId" value={ev.id} />
            <button type="submit" className={buttonClasses("secondary", "sm")}>
              Replay event
            </button>
          </form>
        }
      />
      {sp.replayed ? (
        <div role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
          Replayed: {sp.replayed}. Handlers only move state forward, so a replay never applies an effect twice.
        </div>
      ) : null}
      <Card title="Outcome">
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <Item label="Outcome">
            <Badge tone={tone[ev.outcome]}>{ev.outcome}</Badge>
          </Item>
          <Item label="Tenant">{ev.tenantId ? <Link href={`/admin/tenants/${ev.tenantId}`} className="text-brand-700 hover:underline">{row.tenantName ?? ev.tenantId}</Link> : "—"}</Item>
          <Item label="Replays">{ev.replayCount}</Item>
          <Item label="Received">{formatDateTime(ev.receivedAt, LOCALE)}</Item>
          <Item label="Processed">{ev.processedAt ? formatDateTime(ev.processedAt, LOCALE) : "—"}</Item>
          <Item label="Note or error">{ev.error ?? "—"}</Item>
        </dl>
      </Card>
      <Card title="Payload">
        <pre className="max-h-[32rem] overflow-auto rounded-lg bg-slate-900 p-4 text-xs leading-relaxed text-slate-100" tabIndex={0} aria-label="Event payload (JSON)">
          {JSON.stringify(ev.payload, null, 2)}
        </pre>
      </Card>
    </div>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-1 break-words text-slate-900">{children}</dd>
    </div>
  );
}

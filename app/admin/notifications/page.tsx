import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { PageHeader } from "@/components/billing/page-header";
import { requireOperatorAdmin } from "@/lib/auth/guards";
import { env } from "@/lib/env";
import { formatDateTime } from "@/lib/format";
import { listOutbox, outboxCounts, type NotificationStatus } from "@/lib/integrations/email/outbox-queries";
import { requeueNotificationAction } from "./actions";
import { FilterLink } from "@/components/ui/filter-link";

export const metadata: Metadata = { title: "Notification outbox" };
export const dynamic = "force-dynamic";

const LOCALE = "en-CA";
const tone = { pending: "warn", sent: "good", failed: "bad" } as const;
const STATUSES: NotificationStatus[] = ["pending", "sent", "failed"];
const MESSAGES: Record<string, string> = {
  invalid: "That request was not valid.",
  not_failed: "Only failed notifications can be queued again.",
};

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<{ status?: string; error?: string; requeued?: string }> }) {
  await requireOperatorAdmin();
  const sp = await searchParams;
  const status = STATUSES.find((s) => s === sp.status);
  const db = await getDb();
  const [rows, counts] = await Promise.all([listOutbox(db, { status, limit: 200 }), outboxCounts(db)]);
  const smtp = Boolean(env().SMTP_URL);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Notification outbox"
        subtitle={
          smtp
            ? "Every email Meterline sends is queued here first and delivered through SMTP by the stripe-sync and dunning runs."
            : "SMTP_URL is not set: emails are kept here (pending) and not sent. Set SMTP_URL to deliver them."
        }
      />
      {sp.error ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
          {MESSAGES[sp.error] ?? "Something went wrong."}
        </div>
      ) : null}
      {sp.requeued ? (
        <div role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
          Queued again: the next run will try to send it.
        </div>
      ) : null}
      <nav aria-label="Filter by status" className="flex flex-wrap gap-2 text-sm">
        <FilterLink href="/admin/notifications" active={!status} label={`All (${counts.pending + counts.sent + counts.failed})`} />
        {STATUSES.map((s) => (
          <FilterLink key={s} href={`/admin/notifications?status=${s}`} active={status === s} label={`${s[0].toUpperCase()}${s.slice(1)} (${counts[s]})`} />
        ))}
      </nav>
      <Card title={status ? `Latest ${status} notifications` : "Latest notifications"}>
        {rows.length === 0 ? (
          <EmptyState title="Nothing here">{status ? `No ${status} notifications.` : "Invoices, payments, alerts and dunning steps queue their emails here."}</EmptyState>
        ) : (
          <Table caption="Notification outbox">
            <THead>
              <Th>Message</Th>
              <Th>Status</Th>
              <Th>Tenant and recipient</Th>
              <Th>Queued</Th>
              <Th numeric>Attempts</Th>
              <Th>Last error</Th>
            </THead>
            <TBody>
              {rows.map(({ n, tenantName }) => (
                <tr key={n.id}>
                  <Td>
                    <div className="w-72 whitespace-normal sm:w-96">
                      <Badge tone="info">{n.kind}</Badge>
                      <details className="mt-1">
                        <summary className="cursor-pointer font-medium text-slate-900">{n.subject}</summary>
                        <pre className="mt-2 whitespace-pre-wrap rounded bg-slate-50 p-2 font-sans text-xs text-slate-700">{n.bodyText}</pre>
                      </details>
                    </div>
                  </Td>
                  <Td>
                    <Badge tone={tone[n.status]}>{n.status}</Badge>
                    <div className="mt-1 text-xs text-slate-600">
                      {n.status === "sent" && n.sentAt ? formatDateTime(n.sentAt, LOCALE) : n.status === "pending" ? `next ${formatDateTime(n.nextAttemptAt, LOCALE)}` : null}
                    </div>
                  </Td>
                  <Td>
                    <Link href={`/admin/tenants/${n.tenantId}`} className="text-brand-700 hover:underline">
                      {tenantName ?? n.tenantId}
                    </Link>
                    <div className="text-xs text-slate-600">{n.toEmail}</div>
                  </Td>
                  <Td>{formatDateTime(n.createdAt, LOCALE)}</Td>
                  <Td numeric>{n.attempts}</Td>
                  <Td className="max-w-xs whitespace-normal text-xs text-slate-700">
                    {n.lastError ?? "—"}
                    {n.status === "failed" ? (
                      <form action={requeueNotificationAction} className="mt-2">
                        <input type="hidden" name="notificationId" value={n.id} />
                        <button type="submit" className={buttonClasses("secondary", "sm")}>
                          Send again
                        </button>
                      </form>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </div>
  );
}

import type { Metadata } from "next";
import { getDb } from "@/db";
import { requireTenantRole } from "@/lib/auth/guards";
import { listApiKeys } from "@/lib/services/api-keys/api-keys";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead } from "@/components/ui/table";
import { CreateKeyDialog } from "./create-key-dialog";
import { RevokeKeyButton } from "./revoke-key-button";

export const metadata: Metadata = { title: "API keys" };
export const dynamic = "force-dynamic";

export default async function ApiKeysPage() {
  const { tenant, role } = await requireTenantRole("member");
  const keys = await listApiKeys(await getDb(), tenant.tenantId);
  const canManage = role === "owner" || role === "admin";
  const when = new Intl.DateTimeFormat(tenant.locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const active = keys.filter((k) => !k.revokedAt);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">API keys</h1>
          <p className="mt-1 max-w-prose text-sm text-slate-600">
            Your services send usage to <code className="font-mono">POST /api/usage</code> with one of these keys. Keys are shown once
            when created and stored only as a hash; revoking one takes effect immediately.{" "}
            <a className="text-brand-700 underline" href="/api/openapi.json">
              API reference (OpenAPI)
            </a>
          </p>
        </div>
        {canManage ? <CreateKeyDialog /> : null}
      </div>

      {keys.length === 0 ? (
        <EmptyState title="No API keys yet">
          {canManage ? "Create a key for each service that reports usage." : "Ask an owner or admin of your organisation to create one."}
        </EmptyState>
      ) : (
        <section aria-labelledby="keys-heading" className="rounded-xl border border-slate-200 bg-white p-4">
          <h2 id="keys-heading" className="sr-only">
            Keys
          </h2>
          <p className="mb-3 text-sm text-slate-600">
            {active.length} active {active.length === 1 ? "key" : "keys"}
            {keys.length > active.length ? `, ${keys.length - active.length} revoked` : ""}. Last use is recorded at most once a minute.
          </p>
          <Table caption="API keys">
            <THead>
              <Th>Name</Th>
              <Th>Key</Th>
              <Th>Created (UTC)</Th>
              <Th>Last used (UTC)</Th>
              <Th>Status</Th>
              {canManage ? (
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </THead>
            <TBody>
              {keys.map((k) => (
                <tr key={k.id} className={k.revokedAt ? "text-slate-500" : ""}>
                  <Td className="font-medium text-slate-900">{k.name}</Td>
                  <Td>
                    <code className="font-mono text-xs">{k.prefix}…</code>
                  </Td>
                  <Td>{when.format(k.createdAt)}</Td>
                  <Td>{k.lastUsedAt ? when.format(k.lastUsedAt) : "Never"}</Td>
                  <Td>
                    {k.revokedAt ? (
                      <span className="inline-flex rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
                        Revoked {when.format(k.revokedAt)}
                      </span>
                    ) : (
                      <span className="inline-flex rounded-full bg-green-50 px-2 py-0.5 text-xs font-medium text-green-800">Active</span>
                    )}
                  </Td>
                  {canManage ? <Td className="text-right">{k.revokedAt ? null : <RevokeKeyButton keyId={k.id} label={k.name} />}</Td> : null}
                </tr>
              ))}
            </TBody>
          </Table>
        </section>
      )}
    </div>
  );
}

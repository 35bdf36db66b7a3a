import { useState } from "react";
import { Link, useSearchParams } from "react-router";

import { api, call, failureOf, type ApiError, type Tenant } from "../api";
import { Button, Card, Confirm, Empty, ErrorBanner, Field, FormError, PageHeader, Pager, Spinner, Table, Td, formatTime, stateBadge } from "../components/ui";
import { usePaged } from "../hooks";
import { useSession } from "../session";
import { TenantActions } from "./TenantActions";

function CreateTenant({ onCreated }: { onCreated: (t: Tenant) => void }) {
  const [tenantId, setTenantId] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <Card title="Create a tenant">
      <FormError error={error} fields={["tenant_id", "display_name"]} />
      <form className="grid gap-x-4 md:grid-cols-3" onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        call(api.POST("/api/v1/tenants", { body: { tenant_id: tenantId, display_name: displayName } })).then((t) => {
          setTenantId("");
          setDisplayName("");
          onCreated(t);
        }, (thrown: unknown) => setError(failureOf(thrown))).finally(() => setBusy(false));
      }}>
        <Field label="Tenant id" name="tenant_id" error={error} hint="Lower-case letters, digits and dashes; part of URLs.">
          {(p) => <input {...p} required value={tenantId} onChange={(e) => setTenantId(e.target.value)} />}
        </Field>
        <Field label="Display name" name="display_name" error={error}>
          {(p) => <input {...p} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
        </Field>
        <div className="flex items-start pt-6"><Button type="submit" tone="primary" busy={busy}>Create tenant</Button></div>
      </form>
    </Card>
  );
}

/** The state filter the API offers (ListTenants ``state``); "" is every state. */
export const TENANT_STATES = [["", "Any state"], ["TENANT_STATE_ACTIVE", "Active"], ["TENANT_STATE_SUSPENDED", "Suspended"]] as const;

export default function Tenants() {
  const { can } = useSession();
  // The search lives in the URL (a reload or a shared link keeps it); the server filters, so
  // every page of the answer matches, and a new search starts again at the first page.
  const [params, setParams] = useSearchParams();
  const query = params.get("q") ?? "";
  const state = TENANT_STATES.find(([v]) => v === params.get("state"))?.[0] ?? "";
  const [typed, setTyped] = useState(query);
  const [created, setCreated] = useState<Tenant | null>(null);
  const tenants = usePaged(async (token) => {
    const r = await call(api.GET("/api/v1/tenants", { params: { query: {
      page_size: 20, page_token: token, ...(query ? { query } : {}), ...(state ? { state } : {}) } } }));
    return { items: r.tenants ?? [], next: r.next_page_token ?? "" };
  }, `tenants|${query}|${state}`);
  const [confirm, setConfirm] = useState<Tenant | null>(null);
  const shown = tenants.data?.items ?? [];
  const filtered = !!(query || state);
  const search = (q: string, s: string) => setParams({ ...(q ? { q } : {}), ...(s ? { state: s } : {}) });
  return (
    <>
      <PageHeader title="Tenants" />
      {can("tenants:write") && <CreateTenant onCreated={(t) => { setCreated(t); tenants.reload(); }} />}
      {created && <p role="status" className="mb-3 text-sm text-green-800">Tenant {created.tenant_id} created.</p>}
      <form role="search" className="mb-3 flex flex-wrap items-center gap-2" onSubmit={(e) => { e.preventDefault(); search(typed, state); }}>
        <label htmlFor="tenant-search" className="sr-only">Search tenants</label>
        <input id="tenant-search" type="search" placeholder="Tenant id or name" value={typed} onChange={(e) => setTyped(e.target.value)}
          className="w-72 rounded-md border border-slate-400 px-2 py-1 text-sm" />
        <label htmlFor="tenant-state" className="sr-only">State</label>
        <select id="tenant-state" value={state} onChange={(e) => search(typed, e.target.value)}
          className="rounded-md border border-slate-400 px-2 py-1 text-sm">
          {TENANT_STATES.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
        <Button type="submit">Search</Button>
      </form>
      <ErrorBanner error={tenants.error} onRetry={tenants.reload} />
      {tenants.loading && !tenants.data ? <Spinner label="Loading tenants…" /> : shown.length === 0 ? (
        <Empty>No tenants{filtered ? " match this search" : " yet: create the first one above"}.</Empty>
      ) : (
        <Table caption="Tenants" head={["Tenant", "State", "Issuer", "Created", "Actions"]}>
          {shown.map((t) => (
            <tr key={t.tenant_id}>
              <Td><Link className="font-medium text-indigo-800 underline" to={`/t/${t.tenant_id ?? ""}/settings`}>{t.tenant_id}</Link>
                <div className="text-xs text-slate-600">{t.display_name}</div></Td>
              <Td>{stateBadge(t.state)}</Td>
              <Td className="break-all text-xs">{t.issuer}</Td>
              <Td>{formatTime(t.create_time)}</Td>
              <Td>{can("tenants:write") && <TenantActions tenant={t} onChanged={tenants.reload} onDelete={() => setConfirm(t)} />}</Td>
            </tr>
          ))}
        </Table>
      )}
      <Pager page={tenants.page} hasNext={!!tenants.data?.next} onPrev={tenants.prev} onNext={tenants.next} />
      {confirm && (
        <Confirm title={`Delete tenant ${confirm.tenant_id ?? ""}?`} confirmLabel="Delete tenant" typed={confirm.tenant_id ?? ""}
          body="Every user, application, key and event of this tenant is deleted. This cannot be undone."
          onClose={() => setConfirm(null)}
          onConfirm={async () => {
            await call(api.DELETE("/api/v1/tenants/{tenant_id}", { params: { path: { tenant_id: confirm.tenant_id ?? "" } } }));
            tenants.reload();
          }} />
      )}
    </>
  );
}

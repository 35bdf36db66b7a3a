import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";

import { call, failureOf, tenantApi, type ApiError, type Application } from "../api";
import { Badge, Button, Card, Empty, ErrorBanner, PageHeader, Pager, SecretOnce, Spinner, Table, Td, formatTime } from "../components/ui";
import { usePaged } from "../hooks";
import { useSession } from "../session";
import { AppForm, bodyOf, draftOf } from "./AppForm";

const CLIENT_TYPES = [["", "Confidential and public"], ["CLIENT_TYPE_CONFIDENTIAL", "Confidential"], ["CLIENT_TYPE_PUBLIC", "Public"]] as const;
const APPLICATION_TYPES = [["", "Web and native"], ["APPLICATION_TYPE_WEB", "Web"], ["APPLICATION_TYPE_NATIVE", "Native"]] as const;

export default function Applications() {
  const { tenantId = "" } = useParams();
  const { can } = useSession();
  const client = tenantApi(tenantId);
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<{ app: Application; secret: string } | null>(null);
  // Search and type filters live in the URL and are applied by the server (every page matches).
  const [params, setParams] = useSearchParams();
  const query = params.get("q") ?? "";
  const clientType = CLIENT_TYPES.find(([v]) => v === params.get("client_type"))?.[0] ?? "";
  const appType = APPLICATION_TYPES.find(([v]) => v === params.get("application_type"))?.[0] ?? "";
  const [typed, setTyped] = useState(query);
  const apps = usePaged(async (token) => {
    const r = await call(client.GET("/api/v1/applications", { params: { query: {
      page_size: 20, page_token: token, ...(query ? { query } : {}),
      ...(clientType ? { client_type: clientType } : {}), ...(appType ? { application_type: appType } : {}) } } }));
    return { items: r.applications ?? [], next: r.next_page_token ?? "" };
  }, `${tenantId}|${query}|${clientType}|${appType}`);
  const shown = apps.data?.items ?? [];
  const filtered = !!(query || clientType || appType);
  const search = (next: { q?: string; client_type?: string; application_type?: string }) => {
    const merged = { q: typed, client_type: clientType, application_type: appType, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v)));
  };
  return (
    <>
      <PageHeader title="Applications">
        {can("applications:write") && !creating && <Button tone="primary" onClick={() => { setCreating(true); setCreated(null); }}>New application</Button>}
      </PageHeader>
      {created && (
        <Card title={`Application ${created.app.display_name} created`}>
          <p className="mb-2 text-sm">Client id: <code data-client-id>{created.app.client_id}</code></p>
          {created.secret && <SecretOnce label="Client secret" secret={created.secret} />}
          <Link className="text-indigo-800 underline" to={`/t/${tenantId}/applications/${created.app.client_id ?? ""}`}>Open the application and its quick start</Link>
        </Card>
      )}
      {creating && (
        <Card title="New application">
          <AppForm initial={draftOf()} creating error={error} busy={busy} submitLabel="Create application" onSubmit={(d) => {
            const { body, invalid } = bodyOf(d);
            if (invalid) {
              setError({ code: "INVALID_ARGUMENT", message: "This is not valid JSON.", details: { field: invalid }, timestamp: "", request_id: "" });
              return;
            }
            setBusy(true);
            setError(null);
            call(client.POST("/api/v1/applications", { body: body as Application })).then((r) => {
              setCreated({ app: r.application ?? {} as Application, secret: r.client_secret ?? "" });
              setCreating(false);
              apps.reload();
            }, (thrown: unknown) => setError(failureOf(thrown))).finally(() => setBusy(false));
          }} />
          <Button className="mt-2" onClick={() => setCreating(false)}>Cancel</Button>
        </Card>
      )}
      <form role="search" className="mb-3 flex flex-wrap items-center gap-2" onSubmit={(e) => { e.preventDefault(); search({}); }}>
        <label htmlFor="app-search" className="sr-only">Search applications</label>
        <input id="app-search" type="search" placeholder="Client id or name" value={typed} onChange={(e) => setTyped(e.target.value)}
          className="w-72 rounded-md border border-slate-400 px-2 py-1 text-sm" />
        <label htmlFor="app-client-type" className="sr-only">Client type</label>
        <select id="app-client-type" value={clientType} onChange={(e) => search({ client_type: e.target.value })}
          className="rounded-md border border-slate-400 px-2 py-1 text-sm">
          {CLIENT_TYPES.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
        <label htmlFor="app-application-type" className="sr-only">Application type</label>
        <select id="app-application-type" value={appType} onChange={(e) => search({ application_type: e.target.value })}
          className="rounded-md border border-slate-400 px-2 py-1 text-sm">
          {APPLICATION_TYPES.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
        <Button type="submit">Search</Button>
      </form>
      <ErrorBanner error={apps.error} onRetry={apps.reload} />
      {apps.loading && !apps.data ? <Spinner label="Loading applications…" /> : shown.length === 0 ? (
        <Empty>No applications{filtered ? " match this search" : " yet"}.</Empty>
      ) : (
        <Table caption="Applications" head={["Name", "Client id", "Type", "Grant types", "Created"]}>
          {shown.map((a) => (
            <tr key={a.client_id}>
              <Td><Link className="font-medium text-indigo-800 underline" to={`/t/${tenantId}/applications/${a.client_id ?? ""}`}>{a.display_name || a.client_id}</Link></Td>
              <Td className="font-mono text-xs">{a.client_id}</Td>
              <Td><Badge>{a.client_type === "CLIENT_TYPE_PUBLIC" ? "public" : "confidential"}</Badge></Td>
              <Td className="text-xs">{(a.grant_types ?? []).join(", ")}</Td>
              <Td>{formatTime(a.create_time)}</Td>
            </tr>
          ))}
        </Table>
      )}
      <Pager page={apps.page} hasNext={!!apps.data?.next} onPrev={apps.prev} onNext={apps.next} />
    </>
  );
}

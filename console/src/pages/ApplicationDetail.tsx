import { useState } from "react";
import { useNavigate, useParams } from "react-router";

import { call, failureOf, tenantApi, type ApiError } from "../api";
import { Button, Card, Confirm, ErrorBanner, PageHeader, SecretOnce, Spinner, formatTime } from "../components/ui";
import { useLoad } from "../hooks";
import { useSession } from "../session";
import { APP_FIELDS, AppForm, bodyOf, draftOf, type AppDraft } from "./AppForm";

interface Discovery {
  issuer?: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  jwks_uri?: string;
  end_session_endpoint?: string;
}

function QuickStart({ tenantId, clientId, confidential, redirect }: { tenantId: string; clientId: string; confidential: boolean; redirect: string }) {
  const discovery = useLoad(async () => (await call(tenantApi(tenantId).GET("/.well-known/openid-configuration"))) as Discovery,
    `discovery-${tenantId}`);
  const d = discovery.data ?? {};
  const issuer = d.issuer ?? "";
  const snippet = `import { Issuer } from "openid-client";

const issuer = await Issuer.discover("${issuer}");
const client = new issuer.Client({
  client_id: "${clientId}",${confidential ? "\n  client_secret: process.env.BINOAUTH_CLIENT_SECRET," : ""}
  redirect_uris: ["${redirect || "https://app.example.com/callback"}"],
  response_types: ["code"],${confidential ? "" : "\n  token_endpoint_auth_method: \"none\","}
});`;
  return (
    <Card title="Quick start">
      <ErrorBanner error={discovery.error} />
      <dl className="mb-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        {([["Issuer", issuer], ["Authorization", d.authorization_endpoint], ["Token", d.token_endpoint],
           ["UserInfo", d.userinfo_endpoint], ["JWKS", d.jwks_uri], ["End session", d.end_session_endpoint]] as const).map(([k, v]) => (
          <div key={k} className="contents"><dt className="font-medium">{k}</dt><dd className="break-all font-mono text-xs">{v ?? "—"}</dd></div>
        ))}
      </dl>
      <p className="mb-1 text-sm">Node.js with openid-client 5, the authorization code flow:</p>
      <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100"><code>{snippet}</code></pre>
    </Card>
  );
}

export default function ApplicationDetail() {
  const { tenantId = "", clientId = "" } = useParams();
  const { can } = useSession();
  const navigate = useNavigate();
  const client = tenantApi(tenantId);
  const app = useLoad(() => call(client.GET("/api/v1/applications/{client_id}", { params: { path: { client_id: clientId } } })), `${tenantId}/${clientId}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [secret, setSecret] = useState("");
  const [asking, setAsking] = useState<"rotate" | "delete" | null>(null);
  if (app.loading && !app.data) return <Spinner label="Loading application…" />;
  if (!app.data) return <ErrorBanner error={app.error} onRetry={app.reload} />;
  const a = app.data;
  const writable = can("applications:write");
  const confidential = a.client_type !== "CLIENT_TYPE_PUBLIC";
  const original = draftOf(a);
  const save = (d: AppDraft) => {
    const changed = APP_FIELDS.filter((f) => f !== "client_type" &&
      JSON.stringify(d[f as keyof AppDraft]) !== JSON.stringify(original[f as keyof AppDraft]));
    if (changed.length === 0) return;
    const { body, invalid } = bodyOf(d, changed);
    if (invalid) {
      setError({ code: "INVALID_ARGUMENT", message: "This is not valid JSON.", details: { field: invalid }, timestamp: "", request_id: "" });
      return;
    }
    setBusy(true);
    setError(null);
    setSaved(false);
    call(client.PATCH("/api/v1/applications/{client_id}", {
      params: { path: { client_id: clientId }, query: { update_mask: changed.join(",") } }, body: body as typeof a,
    })).then(() => { setSaved(true); app.reload(); }, (thrown: unknown) => setError(failureOf(thrown))).finally(() => setBusy(false));
  };
  return (
    <>
      <PageHeader title={a.display_name || clientId}>
        {writable && confidential && <Button onClick={() => setAsking("rotate")}>Rotate secret</Button>}
        {writable && <Button tone="danger" onClick={() => setAsking("delete")}>Delete</Button>}
      </PageHeader>
      <p className="mb-4 text-sm text-slate-700">Client id <code>{clientId}</code> · created {formatTime(a.create_time)}
        {confidential && <> · secret from {formatTime(a.secret_create_time)}</>}
        {a.previous_secret_expire_time && <> · previous secret valid until {formatTime(a.previous_secret_expire_time)}</>}</p>
      {secret && <SecretOnce label="New client secret" secret={secret} />}
      <Card title="Settings">
        <AppForm key={a.update_time} initial={original} creating={false} error={error} busy={busy} submitLabel="Save changes"
          disabled={!writable} onSubmit={save} />
        {saved && <p role="status" className="mt-2 text-sm text-green-800">Saved.</p>}
      </Card>
      <QuickStart tenantId={tenantId} clientId={clientId} confidential={confidential} redirect={a.redirect_uris?.[0] ?? ""} />
      {asking === "rotate" && (
        <Confirm title="Rotate the client secret?" confirmLabel="Rotate secret"
          body="A new secret is issued; the current one keeps working for one hour so that you can deploy the new one."
          onClose={() => setAsking(null)}
          onConfirm={async () => {
            const r = await call(client.POST("/api/v1/applications/{client_id}:rotateSecret", {
              params: { path: { client_id: clientId } }, body: { previous_secret_overlap_seconds: 3600 } }));
            setSecret(r.client_secret ?? "");
            app.reload();
          }} />
      )}
      {asking === "delete" && (
        <Confirm title={`Delete ${a.display_name || clientId}?`} confirmLabel="Delete application" typed={clientId}
          body="Its tokens stop working and its users' consents are removed. This cannot be undone."
          onClose={() => setAsking(null)}
          onConfirm={async () => {
            await call(client.DELETE("/api/v1/applications/{client_id}", { params: { path: { client_id: clientId } } }));
            void navigate(`/t/${tenantId}/applications`);
          }} />
      )}
    </>
  );
}

import { useState } from "react";
import { useParams } from "react-router";

import { api, call, failureOf, type ApiError, type ApiKey } from "../api";
import { Button, Card, Confirm, Empty, ErrorBanner, Field, FormError, PageHeader, Pager, SecretOnce, Spinner, Table, Td, fieldError, formatTime, stateBadge } from "../components/ui";
import { usePaged } from "../hooks";
import { useSession } from "../session";
import { ScopePicker } from "./ScopePicker";

export default function ApiKeys() {
  const { tenantId = "" } = useParams();
  const { can } = useSession();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["users:read"]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [secret, setSecret] = useState("");
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const keys = usePaged(async (token) => {
    const r = await call(api.GET("/api/v1/tenants/{tenant_id}/apiKeys", { params: { path: { tenant_id: tenantId }, query: { page_size: 20, page_token: token } } }));
    return { items: r.api_keys ?? [], next: r.next_page_token ?? "" };
  }, tenantId);
  return (
    <>
      <PageHeader title="API keys" />
      {secret && <SecretOnce label="API key" secret={secret} />}
      {can("api_keys:write") && (
        <Card title="New API key">
          <FormError error={error} fields={["display_name", "scopes"]} />
          <form onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            setError(null);
            setSecret("");
            call(api.POST("/api/v1/tenants/{tenant_id}/apiKeys", {
              params: { path: { tenant_id: tenantId } }, body: { display_name: name, scopes },
            })).then((r) => { setSecret(r.secret ?? ""); setName(""); keys.reload(); },
              (thrown: unknown) => setError(failureOf(thrown))).finally(() => setBusy(false));
          }}>
            <Field label="Name" name="display_name" error={error} hint="What uses this key, e.g. “billing backend”.">
              {(p) => <input {...p} required value={name} onChange={(e) => setName(e.target.value)} />}
            </Field>
            <ScopePicker value={scopes} onChange={setScopes} error={fieldError(error, "scopes")} />
            <Button type="submit" tone="primary" busy={busy}>Create API key</Button>
          </form>
        </Card>
      )}
      <ErrorBanner error={keys.error} onRetry={keys.reload} />
      {keys.loading && !keys.data ? <Spinner label="Loading API keys…" /> : (keys.data?.items.length ?? 0) === 0 ? (
        <Empty>No API keys yet.</Empty>
      ) : (
        <Table caption="API keys" head={["Name", "Key id", "Scopes", "State", "Created", ""]}>
          {keys.data?.items.map((k) => (
            <tr key={k.api_key_id}>
              <Td className="font-medium">{k.display_name}</Td>
              <Td className="font-mono text-xs">{k.api_key_id}</Td>
              <Td className="text-xs">{(k.scopes ?? []).join(" ")}</Td>
              <Td>{stateBadge(k.state)}</Td>
              <Td>{formatTime(k.create_time)}</Td>
              <Td>{can("api_keys:write") && k.state === "API_KEY_STATE_ACTIVE" && (
                <Button tone="danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.display_name ?? ""}`}>Revoke</Button>)}</Td>
            </tr>
          ))}
        </Table>
      )}
      <Pager page={keys.page} hasNext={!!keys.data?.next} onPrev={keys.prev} onNext={keys.next} />
      {revoking && (
        <Confirm title={`Revoke ${revoking.display_name ?? ""}?`} confirmLabel="Revoke key"
          body="Every call made with this key fails from now on. This cannot be undone."
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await call(api.POST("/api/v1/apiKeys/{api_key_id}:revoke", { params: { path: { api_key_id: revoking.api_key_id ?? "" } }, body: {} }));
            keys.reload();
          }} />
      )}
    </>
  );
}

import { useState } from "react";
import { useParams } from "react-router";

import { call, failureOf, tenantApi, type ApiError, type IdentityProvider } from "../api";
import { Badge, Button, Card, Confirm, Empty, ErrorBanner, PageHeader, Spinner, Table, Td } from "../components/ui";
import { useLoad } from "../hooks";
import { useSession } from "../session";
import { bodyOf, changedFields, draftOf, IdpForm, kindLabel, type IdpDraft } from "./IdpForm";

/** The display_order of each provider after moving the one at ``index`` by ``step`` (-1 up,
 * +1 down): every button gets 10, 20, 30… in the new order; only those that change are sent. */
export function reordered(providers: IdentityProvider[], index: number, step: number): { provider_id: string; display_order: number }[] {
  const target = index + step;
  if (target < 0 || target >= providers.length) return [];
  const order = [...providers];
  const [moved] = order.splice(index, 1);
  if (!moved) return [];
  order.splice(target, 0, moved);
  return order.map((p, i) => ({ provider_id: p.provider_id ?? "", display_order: (i + 1) * 10 }))
    .filter((p, i) => order[i]?.display_order !== p.display_order);
}

export default function IdentityProviders() {
  const { tenantId = "" } = useParams();
  const { can } = useSession();
  const client = tenantApi(tenantId);
  const writable = can("identity_providers:write");
  const list = useLoad(async () => (await call(client.GET("/api/v1/identityProviders"))).identity_providers ?? [], tenantId);
  const [mode, setMode] = useState<{ kind: "create" } | { kind: "edit"; provider: IdentityProvider } | null>(null);
  const [busy, setBusy] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [rowError, setRowError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState("");
  const [deleting, setDeleting] = useState<IdentityProvider | null>(null);
  const providers = list.data ?? [];

  const act = (label: string, work: () => Promise<unknown>, done: string) => {
    setBusy(label);
    setRowError(null);
    setNotice("");
    work().then(() => { setNotice(done); list.reload(); }, (thrown: unknown) => setRowError(failureOf(thrown)))
      .finally(() => setBusy(""));
  };
  const create = (d: IdpDraft) => {
    const last = providers.reduce((m, p) => Math.max(m, p.display_order ?? 0), 0);
    setBusy("form");
    setError(null);
    call(client.POST("/api/v1/identityProviders", {
      body: { ...bodyOf(d), provider_id: d.provider_id.trim(), display_order: last + 10 },
    })).then((created) => {
      setMode(null);
      setNotice(`${created.display_name ?? d.provider_id} added. Register its callback URL at the provider: ${created.callback_url ?? ""}`);
      list.reload();
    }, (thrown: unknown) => setError(failureOf(thrown))).finally(() => setBusy(""));
  };
  const update = (provider: IdentityProvider, d: IdpDraft) => {
    const before = bodyOf(draftOf(provider));
    const after = bodyOf(d);
    const fields = changedFields(before, after);
    if (fields.length === 0) { setMode(null); return; }
    const body = Object.fromEntries(fields.map((f) => [f, after[f as keyof IdentityProvider]]));
    setBusy("form");
    setError(null);
    call(client.PATCH("/api/v1/identityProviders/{provider_id}", {
      params: { path: { provider_id: provider.provider_id ?? "" }, query: { update_mask: fields.join(",") } },
      body,
    })).then(() => { setMode(null); setNotice(`${provider.display_name ?? ""} saved.`); list.reload(); },
      (thrown: unknown) => setError(failureOf(thrown))).finally(() => setBusy(""));
  };
  const move = (index: number, step: number) => {
    const changes = reordered(providers, index, step);
    act(`move-${index}`, async () => {
      for (const c of changes) {
        await call(client.PATCH("/api/v1/identityProviders/{provider_id}", {
          params: { path: { provider_id: c.provider_id }, query: { update_mask: "display_order" } },
          body: { display_order: c.display_order },
        }));
      }
    }, "Order saved.");
  };
  const toggle = (p: IdentityProvider) => {
    const path = { provider_id: p.provider_id ?? "" };
    act(`toggle-${p.provider_id ?? ""}`, () => call(p.enabled
      ? client.POST("/api/v1/identityProviders/{provider_id}:disable", { params: { path }, body: {} })
      : client.POST("/api/v1/identityProviders/{provider_id}:enable", { params: { path }, body: {} })),
    `${p.display_name ?? ""} ${p.enabled ? "disabled: its button is hidden" : "enabled: its button is shown"}.`);
  };

  return (
    <>
      <PageHeader title="Identity providers">
        {writable && !mode && <Button tone="primary" onClick={() => { setMode({ kind: "create" }); setError(null); setNotice(""); }}>Add a provider</Button>}
      </PageHeader>
      <p className="mb-4 max-w-3xl text-sm text-slate-700">
        "Continue with …" buttons on this tenant's sign-in and sign-up pages, in this order. Client secrets and private keys
        are stored sealed and never shown again.</p>
      {notice && <p role="status" className="mb-4 rounded-md bg-green-50 p-3 text-sm text-green-900 ring-1 ring-green-200">{notice}</p>}
      {mode?.kind === "create" && (
        <Card title="Add an identity provider">
          <IdpForm initial={draftOf()} creating error={error} busy={busy === "form"} submitLabel="Add provider"
            tenantId={tenantId} onSubmit={create} />
          <Button className="mt-2" onClick={() => setMode(null)}>Cancel</Button>
        </Card>
      )}
      {mode?.kind === "edit" && (
        <Card title={`Edit ${mode.provider.display_name ?? ""}`}>
          <p className="mb-3 break-all text-sm text-slate-700">Callback URL to register at the provider:{" "}
            <code data-callback-url>{mode.provider.callback_url}</code></p>
          <IdpForm key={mode.provider.update_time} initial={draftOf(mode.provider)} creating={false} error={error}
            busy={busy === "form"} submitLabel="Save changes" tenantId={tenantId}
            secretSet={mode.provider.client_secret_set} keySet={mode.provider.private_key_set}
            onSubmit={(d) => update(mode.provider, d)} />
          <Button className="mt-2" onClick={() => setMode(null)}>Cancel</Button>
        </Card>
      )}
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <ErrorBanner error={rowError} />
      {list.loading && !list.data ? <Spinner label="Loading identity providers…" /> : providers.length === 0 ? (
        <Empty>No identity providers yet. Users sign in with their email and password{writable ? "; add Google, Microsoft, Apple, GitHub or your own OpenID provider" : ""}.</Empty>
      ) : (
        <Table caption="Identity providers, in the order of their buttons" head={["Order", "Button", "Provider", "Status", "Actions"]}>
          {providers.map((p, i) => {
            const name = p.display_name ?? p.provider_id ?? "";
            return (
              <tr key={p.provider_id}>
                <Td>
                  <span className="mr-2 tabular-nums">{i + 1}</span>
                  {writable && (
                    <span className="inline-flex gap-1">
                      <Button className="px-2 py-0.5" aria-label={`Move ${name} up`} disabled={i === 0 || !!busy}
                        onClick={() => move(i, -1)}>↑</Button>
                      <Button className="px-2 py-0.5" aria-label={`Move ${name} down`} disabled={i === providers.length - 1 || !!busy}
                        onClick={() => move(i, 1)}>↓</Button>
                    </span>
                  )}
                </Td>
                <Td>
                  <span className="inline-flex items-center gap-2">
                    {p.icon_image && <img src={`/tenant/${tenantId}${p.icon_image}`} alt="" className="h-5 w-5 rounded-sm bg-white object-contain" />}
                    <span className="font-medium">{name}</span>
                  </span>
                  <span className="block font-mono text-xs text-slate-600">{p.provider_id}</span>
                </Td>
                <Td>{kindLabel(p.provider_type)}{p.provider_type === "PROVIDER_TYPE_OIDC" &&
                  <span className="block break-all text-xs text-slate-600">{p.issuer}</span>}</Td>
                <Td>{p.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}</Td>
                <Td>
                  {writable ? (
                    <span className="flex flex-wrap gap-1">
                      <Button onClick={() => { setMode({ kind: "edit", provider: p }); setError(null); setNotice(""); }}
                        aria-label={`Edit ${name}`}>Edit</Button>
                      <Button busy={busy === `toggle-${p.provider_id ?? ""}`} disabled={!!busy} onClick={() => toggle(p)}
                        aria-label={`${p.enabled ? "Disable" : "Enable"} ${name}`}>{p.enabled ? "Disable" : "Enable"}</Button>
                      <Button tone="danger" onClick={() => setDeleting(p)} aria-label={`Delete ${name}`}>Delete</Button>
                    </span>
                  ) : <span className="text-xs text-slate-600">Read only</span>}
                </Td>
              </tr>
            );
          })}
        </Table>
      )}
      {deleting && (
        <Confirm title={`Delete ${deleting.display_name ?? deleting.provider_id ?? ""}?`} confirmLabel="Delete provider"
          typed={deleting.provider_id ?? ""}
          body="Its button disappears and every account link made through it is removed: users who signed in only with it can no longer sign in. This cannot be undone."
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await call(client.DELETE("/api/v1/identityProviders/{provider_id}", { params: { path: { provider_id: deleting.provider_id ?? "" } } }));
            setNotice(`${deleting.display_name ?? ""} deleted.`);
            if (mode?.kind === "edit" && mode.provider.provider_id === deleting.provider_id) setMode(null);
            list.reload();
          }} />
      )}
    </>
  );
}

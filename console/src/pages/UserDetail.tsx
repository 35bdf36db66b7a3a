import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { call, failureOf, tenantApi, type ApiError, type Consent, type Session, type User } from "../api";
import { Button, Card, Checkbox, Confirm, Empty, ErrorBanner, Field, FormError, PageHeader, Spinner, Table, Td, formatTime, stateBadge } from "../components/ui";
import { useLoad } from "../hooks";
import { useSession } from "../session";

type Action = "disable" | "enable" | "unlock" | "resetMfa" | "delete" | "revokeAll" | { session: Session } | { consent: Consent };

const EDITABLE = ["name", "given_name", "family_name", "phone_number", "locale", "zoneinfo"] as const;

export default function UserDetail() {
  const { tenantId = "", userId = "" } = useParams();
  const { can } = useSession();
  const navigate = useNavigate();
  const client = tenantApi(tenantId);
  const path = { params: { path: { user_id: userId } } };
  const user = useLoad(() => call(client.GET("/api/v1/users/{user_id}", path)), `${tenantId}/${userId}`);
  const sessions = useLoad(() => call(client.GET("/api/v1/users/{user_id}/sessions", path)), `${tenantId}/${userId}/sessions`);
  const consents = useLoad(() => call(client.GET("/api/v1/users/{user_id}/consents", path)), `${tenantId}/${userId}/consents`);
  const [draft, setDraft] = useState<Partial<User> | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [asking, setAsking] = useState<Action | null>(null);
  if (user.loading && !user.data) return <Spinner label="Loading user…" />;
  if (!user.data) return <ErrorBanner error={user.error} onRetry={user.reload} />;
  const u = user.data;
  const d: Partial<User> = draft ?? u;
  const writable = can("users:write");
  const disabled = u.state === "USER_STATE_DISABLED";
  const save = () => {
    const changed = [...EDITABLE.filter((f) => (d[f] ?? "") !== (u[f] ?? "")),
      ...((d.email_verified ?? false) !== (u.email_verified ?? false) ? ["email_verified"] : [])];
    if (changed.length === 0) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    call(client.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: userId }, query: { update_mask: changed.join(",") } },
      body: Object.fromEntries(changed.map((f) => [f, d[f as keyof User]])) }))
      .then(() => { setSaved(true); setDraft(null); user.reload(); }, (thrown: unknown) => setError(failureOf(thrown))).finally(() => setBusy(false));
  };
  const confirmText: Record<string, [string, string, string]> = {
    disable: ["Disable this user?", "They are signed out everywhere and cannot sign in until enabled.", "Disable user"],
    enable: ["Enable this user?", "They can sign in again.", "Enable user"],
    unlock: ["Unlock this user?", "Clears the failed sign-in count and any lockout.", "Unlock"],
    resetMfa: ["Reset two-step verification?", "Their authenticator app is removed; they sign in with the password alone until they enrol again.", "Reset MFA"],
    revokeAll: ["Sign this user out everywhere?", "Every session of this user ends now.", "Revoke all sessions"],
    delete: ["Delete this user?", "The account and its sessions are deleted. This cannot be undone.", "Delete user"],
  };
  const run = async (action: Action) => {
    if (typeof action === "object" && "consent" in action) {
      // Ends the grant: the application's refresh tokens stop working and it asks again.
      await call(client.DELETE("/api/v1/users/{user_id}/consents/{client_id}", { params: { path: { user_id: userId, client_id: action.consent.client_id ?? "" } } }));
      consents.reload();
      return;
    } else if (typeof action === "object") {
      await call(client.DELETE("/api/v1/users/{user_id}/sessions/{session_id}", { params: { path: { user_id: userId, session_id: action.session.session_id ?? "" } } }));
    } else if (action === "delete") {
      await call(client.DELETE("/api/v1/users/{user_id}", path));
      void navigate(`/t/${tenantId}/users`);
      return;
    } else if (action === "revokeAll") {
      await call(client.POST("/api/v1/users/{user_id}/sessions:revokeAll", { ...path, body: {} }));
    } else if (action === "disable") await call(client.POST("/api/v1/users/{user_id}:disable", { ...path, body: {} }));
    else if (action === "enable") await call(client.POST("/api/v1/users/{user_id}:enable", { ...path, body: {} }));
    else if (action === "unlock") await call(client.POST("/api/v1/users/{user_id}:unlock", { ...path, body: {} }));
    else await call(client.POST("/api/v1/users/{user_id}:resetMfa", { ...path, body: {} }));
    user.reload();
    sessions.reload();
  };
  const [title, body, label] = typeof asking === "object" && asking !== null && "consent" in asking
    ? [`Revoke the consent to ${asking.consent.client_name || asking.consent.client_id || ""}?`,
      "The application's tokens for this user stop working, and it must ask the user again.", "Revoke consent"]
    : typeof asking === "object" && asking !== null
    ? ["Revoke this session?", "That browser or device is signed out.", "Revoke session"]
    : confirmText[asking ?? "disable"] ?? ["", "", ""];
  return (
    <>
      <PageHeader title={u.email ?? userId}>
        {stateBadge(u.state)}
        {writable && <>
          <Button onClick={() => setAsking(disabled ? "enable" : "disable")}>{disabled ? "Enable" : "Disable"}</Button>
          <Button onClick={() => setAsking("unlock")}>Unlock</Button>
          {u.mfa_enabled && <Button onClick={() => setAsking("resetMfa")}>Reset MFA</Button>}
          <Button tone="danger" onClick={() => setAsking("delete")}>Delete</Button>
        </>}
      </PageHeader>
      <p className="mb-4 text-sm text-slate-700">
        <Link className="text-indigo-800 underline" to={`/t/${tenantId}/events?user_id=${userId}`}>Security events of this user</Link>
        {" · "}created {formatTime(u.create_time)} · last sign-in {formatTime(u.last_login_time)} · MFA {u.mfa_enabled ? "on" : "off"}
      </p>
      <Card title="Profile">
        <form onSubmit={(e) => { e.preventDefault(); save(); }}>
          <fieldset disabled={!writable}>
            <FormError error={error} fields={[...EDITABLE]} />
            <div className="grid gap-x-4 md:grid-cols-3">
              {EDITABLE.map((f) => (
                <Field key={f} label={f.replace("_", " ").replace(/^./, (c) => c.toUpperCase())} name={f} error={error}>
                  {(p) => <input {...p} value={d[f] ?? ""} onChange={(e) => setDraft({ ...d, [f]: e.target.value })} />}
                </Field>
              ))}
            </div>
            <div className="mb-3">
              <Checkbox label="Email verified" checked={d.email_verified ?? false} onChange={(v) => setDraft({ ...d, email_verified: v })} />
            </div>
            {writable && <Button type="submit" tone="primary" busy={busy}>Save profile</Button>}
            {saved && <span role="status" className="ml-3 text-sm text-green-800">Saved.</span>}
          </fieldset>
        </form>
      </Card>
      <Card title="Sessions">
        <ErrorBanner error={sessions.error} onRetry={sessions.reload} />
        {sessions.loading && !sessions.data ? <Spinner label="Loading sessions…" /> : (sessions.data?.sessions ?? []).length === 0 ? (
          <Empty>No active sessions.</Empty>
        ) : (
          <>
            <Table caption="Sessions" head={["Started", "Last seen", "IP address", "Browser", ""]}>
              {(sessions.data?.sessions ?? []).map((s) => (
                <tr key={s.session_id}>
                  <Td>{formatTime(s.create_time)}</Td>
                  <Td>{formatTime(s.last_seen_time)}</Td>
                  <Td>{s.ip_address}</Td>
                  <Td className="max-w-xs truncate text-xs">{s.user_agent}</Td>
                  <Td>{can("sessions:write") && <Button onClick={() => setAsking({ session: s })}>Revoke</Button>}</Td>
                </tr>
              ))}
            </Table>
            {can("sessions:write") && <Button className="mt-3" tone="danger" onClick={() => setAsking("revokeAll")}>Revoke all sessions</Button>}
          </>
        )}
      </Card>
      <Card title="Consents">
        <ErrorBanner error={consents.error} onRetry={consents.reload} />
        {consents.loading && !consents.data ? <Spinner label="Loading consents…" /> : (consents.data?.consents ?? []).length === 0 ? (
          <Empty>This user has not granted any application access.</Empty>
        ) : (
          <Table caption="Consents" head={["Application", "Client id", "Scopes", ""]}>
            {(consents.data?.consents ?? []).map((c) => (
              <tr key={c.client_id}>
                <Td>{c.client_name || c.client_id}</Td>
                <Td className="font-mono text-xs">{c.client_id}</Td>
                <Td className="text-xs">{(c.scopes ?? []).join(" ")}</Td>
                <Td>{writable && <Button onClick={() => setAsking({ consent: c })}>Revoke</Button>}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {asking && (
        <Confirm title={title} body={body} confirmLabel={label} onClose={() => setAsking(null)} onConfirm={() => run(asking)} />
      )}
    </>
  );
}

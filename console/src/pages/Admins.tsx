import { useState } from "react";
import { useParams } from "react-router";

import { api, call, failureOf, type AdminUser, type ApiError } from "../api";
import { Button, Card, Confirm, Empty, ErrorBanner, Field, FormError, PageHeader, Pager, Spinner, Table, Td, fieldError, formatTime, stateBadge } from "../components/ui";
import { usePaged } from "../hooks";
import { useSession } from "../session";
import { ScopePicker } from "./ScopePicker";

/** Administrators of one tenant (/t/:tenantId/admins) or of the platform (/admins). */
export default function Admins() {
  const { tenantId = "" } = useParams();
  const { can } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [scopes, setScopes] = useState<string[]>(["users:read", "events:read"]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [toggling, setToggling] = useState<AdminUser | null>(null);
  const admins = usePaged(async (token) => {
    const r = await call(api.GET("/api/v1/adminUsers", { params: { query: { tenant_id: tenantId, page_size: 20, page_token: token } } }));
    return { items: r.admin_users ?? [], next: r.next_page_token ?? "" };
  }, tenantId);
  const items = (admins.data?.items ?? []).filter((a) => (a.tenant_id ?? "") === tenantId);
  return (
    <>
      <PageHeader title={tenantId ? "Administrators" : "Platform administrators"} />
      {can("admins:write") && (
        <Card title="New administrator">
          <FormError error={error} fields={["admin_user.email", "password", "admin_user.scopes"]} />
          <form onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            setError(null);
            call(api.POST("/api/v1/adminUsers", { body: { admin_user: { email, tenant_id: tenantId, scopes }, password } }))
              .then(() => { setEmail(""); setPassword(""); admins.reload(); }, (thrown: unknown) => setError(failureOf(thrown)))
              .finally(() => setBusy(false));
          }}>
            <div className="grid gap-x-4 md:grid-cols-2">
              <Field label="Email" name="admin_user.email" error={error}>
                {(p) => <input {...p} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
              </Field>
              <Field label="Initial password" name="password" error={error}>
                {(p) => <input {...p} type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
              </Field>
            </div>
            <ScopePicker value={scopes} onChange={setScopes} error={fieldError(error, "admin_user.scopes")} />
            <Button type="submit" tone="primary" busy={busy}>Create administrator</Button>
          </form>
        </Card>
      )}
      <ErrorBanner error={admins.error} onRetry={admins.reload} />
      {admins.loading && !admins.data ? <Spinner label="Loading administrators…" /> : items.length === 0 ? (
        <Empty>No administrators yet.</Empty>
      ) : (
        <Table caption="Administrators" head={["Email", "Scopes", "State", "Last sign-in", ""]}>
          {items.map((a) => (
            <tr key={a.admin_user_id}>
              <Td className="font-medium">{a.email}</Td>
              <Td className="text-xs">{(a.scopes ?? []).join(" ")}</Td>
              <Td>{stateBadge(a.state)}</Td>
              <Td>{formatTime(a.last_login_time)}</Td>
              <Td>{can("admins:write") && (
                <Button onClick={() => setToggling(a)}>{a.state === "ADMIN_USER_STATE_DISABLED" ? "Enable" : "Disable"}</Button>)}</Td>
            </tr>
          ))}
        </Table>
      )}
      <Pager page={admins.page} hasNext={!!admins.data?.next} onPrev={admins.prev} onNext={admins.next} />
      {toggling && (
        <Confirm title={`${toggling.state === "ADMIN_USER_STATE_DISABLED" ? "Enable" : "Disable"} ${toggling.email ?? ""}?`}
          confirmLabel={toggling.state === "ADMIN_USER_STATE_DISABLED" ? "Enable" : "Disable"}
          body={toggling.state === "ADMIN_USER_STATE_DISABLED" ? "They can sign in to the console again." : "Their console sessions end and they cannot sign in."}
          onClose={() => setToggling(null)}
          onConfirm={async () => {
            const path = { params: { path: { admin_user_id: toggling.admin_user_id ?? "" } }, body: {} };
            if (toggling.state === "ADMIN_USER_STATE_DISABLED") await call(api.POST("/api/v1/adminUsers/{admin_user_id}:enable", path));
            else await call(api.POST("/api/v1/adminUsers/{admin_user_id}:disable", path));
            admins.reload();
          }} />
      )}
    </>
  );
}

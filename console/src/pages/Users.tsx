import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";

import { call, failureOf, tenantApi, type ApiError, type User } from "../api";
import { Button, Card, Checkbox, Empty, ErrorBanner, Field, FormError, PageHeader, Pager, Spinner, Table, Td, formatTime, stateBadge } from "../components/ui";
import { usePaged } from "../hooks";
import { useSession } from "../session";

function CreateUser({ tenantId, onCreated }: { tenantId: string; onCreated: (u: User) => void }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [invite, setInvite] = useState(false);
  const [password, setPassword] = useState("");
  const [verified, setVerified] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <Card title="New user">
      <FormError error={error} fields={["user.email", "user.name", "password", "email", "name"]} />
      <form onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        call(tenantApi(tenantId).POST("/api/v1/users", { body: {
          user: { email, name }, ...(invite ? { send_invite: true } : { password, email_verified: verified }),
        } })).then((u) => { setEmail(""); setName(""); setPassword(""); onCreated(u); },
          (thrown: unknown) => setError(failureOf(thrown))).finally(() => setBusy(false));
      }}>
        <div className="grid gap-x-4 md:grid-cols-3">
          <Field label="Email" name="user.email" error={error}>
            {(p) => <input {...p} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
          </Field>
          <Field label="Name" name="user.name" error={error}>
            {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          {!invite && (
            <Field label="Password" name="password" error={error}>
              {(p) => <input {...p} type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
            </Field>
          )}
        </div>
        <div className="mb-3">
          <Checkbox label="Send an invitation instead of setting a password" checked={invite} onChange={setInvite} />
          {!invite && <Checkbox label="Email already verified" checked={verified} onChange={setVerified} />}
        </div>
        <Button type="submit" tone="primary" busy={busy}>Create user</Button>
      </form>
    </Card>
  );
}

export default function Users() {
  const { tenantId = "" } = useParams();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const query = params.get("q") ?? "";
  const [typed, setTyped] = useState(query);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<User | null>(null);
  const users = usePaged(async (token) => {
    const r = await call(tenantApi(tenantId).GET("/api/v1/users", { params: { query: { query, page_size: 20, page_token: token } } }));
    return { items: r.users ?? [], next: r.next_page_token ?? "" };
  }, `${tenantId}|${query}`);
  return (
    <>
      <PageHeader title="Users">
        {can("users:write") && <Button tone="primary" onClick={() => setCreating(!creating)}>{creating ? "Close" : "New user"}</Button>}
      </PageHeader>
      {creating && <CreateUser tenantId={tenantId} onCreated={(u) => { setCreated(u); setCreating(false); users.reload(); }} />}
      {created && <p role="status" className="mb-3 text-sm text-green-800">User {created.email} created.</p>}
      <form role="search" className="mb-3 flex gap-2" onSubmit={(e) => { e.preventDefault(); setParams(typed ? { q: typed } : {}); }}>
        <label htmlFor="user-search" className="sr-only">Search users</label>
        <input id="user-search" type="search" placeholder="Email or name" value={typed} onChange={(e) => setTyped(e.target.value)}
          className="w-72 rounded-md border border-slate-400 px-2 py-1 text-sm" />
        <Button type="submit">Search</Button>
      </form>
      <ErrorBanner error={users.error} onRetry={users.reload} />
      {users.loading && !users.data ? <Spinner label="Loading users…" /> : (users.data?.items.length ?? 0) === 0 ? (
        <Empty>{query ? `No user matches “${query}”.` : "No users yet."}</Empty>
      ) : (
        <Table caption="Users" head={["Email", "Name", "State", "MFA", "Last sign-in"]}>
          {users.data?.items.map((u) => (
            <tr key={u.user_id}>
              <Td><Link className="font-medium text-indigo-800 underline" to={`/t/${tenantId}/users/${u.user_id ?? ""}`}>{u.email}</Link></Td>
              <Td>{u.name}</Td>
              <Td>{stateBadge(u.state)}</Td>
              <Td>{u.mfa_enabled ? "on" : "off"}</Td>
              <Td>{formatTime(u.last_login_time)}</Td>
            </tr>
          ))}
        </Table>
      )}
      <Pager page={users.page} hasNext={!!users.data?.next} onPrev={users.prev} onNext={users.next} />
    </>
  );
}

import { useState } from "react";
import { Navigate, NavLink, Outlet, useLocation, useNavigate, useParams } from "react-router";

import { api, call } from "./api";
import { Button, Spinner } from "./components/ui";
import { useLoad } from "./hooks";
import { useSession } from "./session";

const TENANT_SECTIONS: { path: string; label: string; scope?: string }[] = [
  { path: "applications", label: "Applications", scope: "applications:read" },
  { path: "users", label: "Users", scope: "users:read" },
  { path: "identity-providers", label: "Identity providers", scope: "identity_providers:read" },
  { path: "api-keys", label: "API keys", scope: "api_keys:read" },
  { path: "admins", label: "Administrators", scope: "admins:read" },
  { path: "signing-keys", label: "Signing keys", scope: "tenants:read" },
  { path: "events", label: "Security events", scope: "events:read" },
  { path: "analytics", label: "Analytics", scope: "analytics:read" },
  { path: "settings", label: "Settings", scope: "tenants:read" },
];

function navClass({ isActive }: { isActive: boolean }) {
  return `block rounded-md px-3 py-1.5 text-sm ${isActive ? "bg-indigo-100 font-semibold text-indigo-900" : "text-slate-800 hover:bg-slate-100"}`;
}

/** Platform administrators pick any tenant; a tenant administrator only ever has their own. */
function TenantSwitcher({ current }: { current: string }) {
  const navigate = useNavigate();
  const location = useLocation();
  const tenants = useLoad(() => call(api.GET("/api/v1/tenants", { params: { query: { page_size: 100 } } })), "switcher");
  const [typed, setTyped] = useState("");
  const section = /^\/t\/[^/]+\/([^/]+)/.exec(location.pathname)?.[1] ?? "applications";
  const go = (id: string) => id && navigate(`/t/${id}/${section}`);
  const ids = (tenants.data?.tenants ?? []).map((t) => t.tenant_id ?? "");
  if (current && !ids.includes(current)) ids.unshift(current);
  return (
    <div className="mb-3 px-3">
      <label htmlFor="tenant-switcher" className="mb-1 block text-xs font-semibold uppercase text-slate-600">Tenant</label>
      <select id="tenant-switcher" value={current} onChange={(e) => go(e.target.value)}
        className="w-full rounded-md border border-slate-400 bg-white px-2 py-1 text-sm">
        <option value="">Choose a tenant…</option>
        {ids.map((id) => <option key={id} value={id}>{id}</option>)}
      </select>
      <form className="mt-1 flex gap-1" onSubmit={(e) => { e.preventDefault(); void go(typed.trim()); }}>
        <label htmlFor="tenant-go" className="sr-only">Go to a tenant by id</label>
        <input id="tenant-go" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="tenant id"
          className="w-full rounded-md border border-slate-400 px-2 py-1 text-xs" />
        <Button type="submit" className="px-2 py-0.5 text-xs">Go</Button>
      </form>
    </div>
  );
}

export function Layout() {
  const { admin, isPlatform, can, signOut } = useSession();
  const { tenantId } = useParams();
  const location = useLocation();
  const [signingOut, setSigningOut] = useState(false);
  if (admin === undefined) return <div className="p-8"><Spinner label="Restoring your session…" /></div>;
  if (admin === null) {
    return <Navigate replace to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} />;
  }
  const tenant = tenantId ?? admin.tenant_id ?? "";
  if (!isPlatform && tenantId && tenantId !== admin.tenant_id) {
    return <Navigate replace to={`/t/${admin.tenant_id ?? ""}/applications`} />;
  }
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a href="#main" className="sr-only focus:not-sr-only">Skip to content</a>
      <aside className="w-full shrink-0 border-b border-slate-200 bg-white md:w-60 md:border-r md:border-b-0">
        <div className="px-4 py-4 text-lg font-bold text-indigo-800">BinoAuth</div>
        <nav aria-label="Console">
          {isPlatform && (
            <ul className="mb-3 space-y-0.5 px-2">
              {can("tenants:read") && <li><NavLink to="/tenants" end className={navClass}>Tenants</NavLink></li>}
              <li><NavLink to="/analytics" end className={navClass}>Platform analytics</NavLink></li>
              {can("admins:read") && <li><NavLink to="/admins" end className={navClass}>Platform administrators</NavLink></li>}
            </ul>
          )}
          {isPlatform ? <TenantSwitcher current={tenantId ?? ""} /> : (
            <p className="mb-2 px-5 text-xs text-slate-600">
              <span className="block font-semibold uppercase">Tenant</span>
              <span className="font-mono text-sm text-slate-900">{tenant}</span>
            </p>
          )}
          {tenant && (
            <ul className="space-y-0.5 px-2">
              {TENANT_SECTIONS.filter((s) => !s.scope || can(s.scope)).map((s) => (
                <li key={s.path}><NavLink to={`/t/${tenant}/${s.path}`} className={navClass}>{s.label}</NavLink></li>
              ))}
            </ul>
          )}
        </nav>
        <div className="mt-4 border-t border-slate-200 px-4 py-3 text-sm">
          <p className="truncate text-slate-700" title={admin.email}>{admin.email}</p>
          <p className="text-xs text-slate-600">{isPlatform ? "Platform administrator" : "Tenant administrator"}</p>
          <Button className="mt-2" busy={signingOut} onClick={() => { setSigningOut(true); void signOut(); }}>Sign out</Button>
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1 p-4 md:p-8">
        <Outlet />
      </main>
    </div>
  );
}

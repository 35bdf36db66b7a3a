import { useState } from "react";
import { useNavigate, useParams } from "react-router";

import { api, call, failureOf, type ApiError, type Tenant } from "../api";
import { Button, Card, Checkbox, Confirm, ErrorBanner, Field, FormError, PageHeader, Spinner, splitList, stateBadge } from "../components/ui";
import { useLoad } from "../hooks";
import { useSession } from "../session";
import { TenantActions } from "./TenantActions";

type Kind = "number" | "bool";
/** The settings the console edits, by their update_mask path. */
const GROUPS: { title: string; fields: { path: string; label: string; kind: Kind }[] }[] = [
  { title: "Token lifetimes (seconds)", fields: [
    { path: "settings.tokens.access_token_ttl_seconds", label: "Access token", kind: "number" },
    { path: "settings.tokens.id_token_ttl_seconds", label: "ID token", kind: "number" },
    { path: "settings.tokens.refresh_token_idle_ttl_seconds", label: "Refresh token (idle)", kind: "number" },
    { path: "settings.tokens.refresh_token_absolute_ttl_seconds", label: "Refresh token (absolute)", kind: "number" },
    { path: "settings.tokens.authorization_code_ttl_seconds", label: "Authorization code", kind: "number" },
  ] },
  { title: "Password policy", fields: [
    { path: "settings.password_policy.min_length", label: "Minimum length", kind: "number" },
    { path: "settings.password_policy.max_length", label: "Maximum length", kind: "number" },
    { path: "settings.password_policy.reject_common_passwords", label: "Reject common passwords", kind: "bool" },
  ] },
  { title: "Lockout policy", fields: [
    { path: "settings.lockout_policy.max_failures", label: "Failures before lockout", kind: "number" },
    { path: "settings.lockout_policy.lockout_seconds", label: "Lockout (seconds)", kind: "number" },
    { path: "settings.lockout_policy.failure_reset_seconds", label: "Failure count reset (seconds)", kind: "number" },
    { path: "settings.lockout_policy.progressive_delay_seconds", label: "Progressive delay (seconds)", kind: "number" },
  ] },
  { title: "Login methods", fields: [
    { path: "settings.login_methods.password", label: "Password", kind: "bool" },
    { path: "settings.login_methods.magic_link", label: "Magic link", kind: "bool" },
    { path: "settings.login_methods.totp", label: "Authenticator app (TOTP)", kind: "bool" },
    { path: "settings.login_methods.signup", label: "Self-service sign-up", kind: "bool" },
  ] },
  { title: "Sessions (seconds)", fields: [
    { path: "settings.sessions.idle_timeout_seconds", label: "Idle timeout", kind: "number" },
    { path: "settings.sessions.absolute_lifetime_seconds", label: "Absolute lifetime", kind: "number" },
  ] },
  { title: "Rate limits (requests per minute)", fields: ["login", "signup", "token", "verification", "management"].flatMap((g) => [
    { path: `settings.rate_limits.${g}.per_ip_per_minute`, label: `${g}: per IP`, kind: "number" },
    { path: `settings.rate_limits.${g}.per_tenant_per_minute`, label: `${g}: per tenant`, kind: "number" },
  ]) },
];

type Values = Record<string, string | boolean>;

function read(tenant: Tenant, path: string): unknown {
  let value: unknown = tenant;
  for (const part of path.split(".")) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

function write(target: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1] ?? ""] = value;
}

function valuesOf(tenant: Tenant): Values {
  const out: Values = { display_name: tenant.display_name ?? "", custom_domains: (tenant.custom_domains ?? []).join("\n") };
  for (const group of GROUPS) {
    for (const f of group.fields) {
      const v = read(tenant, f.path);
      out[f.path] = f.kind === "bool" ? v === true : typeof v === "number" ? String(v) : "";
    }
  }
  return out;
}

export default function TenantSettings() {
  const { tenantId = "" } = useParams();
  const { can, isPlatform } = useSession();
  const navigate = useNavigate();
  const tenant = useLoad(() => call(api.GET("/api/v1/tenants/{tenant_id}", { params: { path: { tenant_id: tenantId } } })), tenantId);
  const [edited, setValues] = useState<Values | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [deleting, setDeleting] = useState(false);
  if (tenant.loading && !tenant.data) return <Spinner label="Loading tenant…" />;
  if (!tenant.data) return <ErrorBanner error={tenant.error} onRetry={tenant.reload} />;
  const t = tenant.data;
  const writable = can("tenants:write");
  const original = valuesOf(t);
  const values = edited ?? original;
  const set = (path: string, v: string | boolean) => { setSaved(false); setValues({ ...values, [path]: v }); };

  const save = () => {
    const changed = Object.keys(values).filter((k) => values[k] !== original[k]);
    if (changed.length === 0) return;
    const body: Record<string, unknown> = {};
    for (const path of changed) {
      const raw = values[path];
      const field = GROUPS.flatMap((g) => g.fields).find((f) => f.path === path);
      if (path === "custom_domains") write(body, path, splitList(String(raw)));
      else if (field?.kind === "number") write(body, path, raw === "" ? 0 : Number(raw));
      else write(body, path, raw);
    }
    setBusy(true);
    setError(null);
    call(api.PATCH("/api/v1/tenants/{tenant_id}", {
      params: { path: { tenant_id: tenantId }, query: { update_mask: changed.join(",") } },
      body,
    })).then(() => { setSaved(true); setValues(null); tenant.reload(); }, (thrown: unknown) => setError(failureOf(thrown)))
      .finally(() => setBusy(false));
  };
  const allFields = ["display_name", "custom_domains", ...GROUPS.flatMap((g) => g.fields.map((f) => f.path))];
  return (
    <>
      <PageHeader title={`Tenant ${t.tenant_id ?? ""}`}>
        {stateBadge(t.state)}
        {isPlatform && writable && <TenantActions tenant={t} onChanged={tenant.reload} onDelete={() => setDeleting(true)} />}
      </PageHeader>
      <p className="mb-4 text-sm text-slate-700">Issuer: <code>{t.issuer}</code></p>
      <form onSubmit={(e) => { e.preventDefault(); save(); }}>
        <fieldset disabled={!writable}>
          <FormError error={error} fields={allFields} />
          <Card title="General">
            <Field label="Display name" name="display_name" error={error}>
              {(p) => <input {...p} value={String(values.display_name ?? "")} onChange={(e) => set("display_name", e.target.value)} />}
            </Field>
            <Field label="Custom domains" name="custom_domains" error={error} hint="One per line.">
              {(p) => <textarea {...p} rows={2} value={String(values.custom_domains ?? "")} onChange={(e) => set("custom_domains", e.target.value)} />}
            </Field>
          </Card>
          {GROUPS.map((group) => (
            <Card key={group.title} title={group.title}>
              <div className="grid gap-x-4 md:grid-cols-3">
                {group.fields.map((f) => f.kind === "bool" ? (
                  <div key={f.path} className="mb-3">
                    <Checkbox label={f.label} name={f.path} checked={values[f.path] === true} onChange={(v) => set(f.path, v)} />
                  </div>
                ) : (
                  <Field key={f.path} label={f.label} name={f.path} error={error}>
                    {(p) => <input {...p} type="number" min={0} value={String(values[f.path] ?? "")} onChange={(e) => set(f.path, e.target.value)} />}
                  </Field>
                ))}
              </div>
            </Card>
          ))}
          {writable && (
            <div className="flex items-center gap-3">
              <Button type="submit" tone="primary" busy={busy}>Save settings</Button>
              {saved && <span role="status" className="text-sm text-green-800">Saved.</span>}
            </div>
          )}
        </fieldset>
      </form>
      {deleting && (
        <Confirm title={`Delete tenant ${tenantId}?`} confirmLabel="Delete tenant" typed={tenantId}
          body="Every user, application, key and event of this tenant is deleted. This cannot be undone."
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await call(api.DELETE("/api/v1/tenants/{tenant_id}", { params: { path: { tenant_id: tenantId } } }));
            void navigate("/tenants");
          }} />
      )}
    </>
  );
}

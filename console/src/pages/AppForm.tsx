import { useState } from "react";

import type { ApiError, Application } from "../api";
import { Button, Checkbox, Field, FormError, splitList } from "../components/ui";

export const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials",
  "urn:ietf:params:oauth:grant-type:device_code"];
export const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"];

export interface AppDraft {
  display_name: string;
  client_type: "CLIENT_TYPE_CONFIDENTIAL" | "CLIENT_TYPE_PUBLIC";
  redirect_uris: string;
  post_logout_redirect_uris: string;
  grant_types: string[];
  allowed_scopes: string;
  token_endpoint_auth_method: string;
  allowed_origins: string;
  jwks_uri: string;
  jwks: string;
}

export function draftOf(app?: Application): AppDraft {
  return {
    display_name: app?.display_name ?? "",
    client_type: app?.client_type === "CLIENT_TYPE_PUBLIC" ? "CLIENT_TYPE_PUBLIC" : "CLIENT_TYPE_CONFIDENTIAL",
    redirect_uris: (app?.redirect_uris ?? []).join("\n"),
    post_logout_redirect_uris: (app?.post_logout_redirect_uris ?? []).join("\n"),
    grant_types: app?.grant_types ?? ["authorization_code", "refresh_token"],
    allowed_scopes: (app?.allowed_scopes ?? ["openid", "email", "profile", "offline_access"]).join(" "),
    token_endpoint_auth_method: app?.token_endpoint_auth_method ?? "",
    allowed_origins: (app?.allowed_origins ?? []).join("\n"),
    jwks_uri: app?.jwks_uri ?? "",
    jwks: app?.jwks ? JSON.stringify(app.jwks, null, 2) : "",
  };
}

/** The API's shape of a draft; ``fields`` limits it to what changed (for an update mask). */
export function bodyOf(draft: AppDraft, fields?: string[]): { body: Partial<Application>; invalid?: string } {
  const all: Partial<Application> = {
    display_name: draft.display_name,
    client_type: draft.client_type,
    redirect_uris: splitList(draft.redirect_uris),
    post_logout_redirect_uris: splitList(draft.post_logout_redirect_uris),
    grant_types: draft.grant_types,
    allowed_scopes: splitList(draft.allowed_scopes),
    allowed_origins: splitList(draft.allowed_origins),
    jwks_uri: draft.jwks_uri.trim(),
  };
  if (draft.token_endpoint_auth_method) all.token_endpoint_auth_method = draft.token_endpoint_auth_method;
  if (draft.jwks.trim()) {
    try {
      all.jwks = JSON.parse(draft.jwks) as Application["jwks"];
    } catch {
      return { body: all, invalid: "jwks" };
    }
  }
  if (!fields) return { body: all };
  const picked: Record<string, unknown> = {};
  for (const f of fields) picked[f] = (all as Record<string, unknown>)[f] ?? (f === "jwks" ? {} : "");
  return { body: picked };
}

export const APP_FIELDS = ["display_name", "client_type", "redirect_uris", "post_logout_redirect_uris", "grant_types",
  "allowed_scopes", "token_endpoint_auth_method", "allowed_origins", "jwks_uri", "jwks"];

export function AppForm({ initial, creating, error, busy, submitLabel, disabled, onSubmit }: {
  initial: AppDraft; creating: boolean; error: ApiError | null; busy: boolean; submitLabel: string; disabled?: boolean;
  onSubmit: (draft: AppDraft) => void;
}) {
  const [d, setD] = useState(initial);
  const set = <K extends keyof AppDraft>(k: K, v: AppDraft[K]) => setD((old) => ({ ...old, [k]: v }));
  return (
    <form onSubmit={(e) => { e.preventDefault(); onSubmit(d); }}>
      <fieldset disabled={disabled}>
        <FormError error={error} fields={APP_FIELDS} />
        <div className="grid gap-x-4 md:grid-cols-2">
          <Field label="Name" name="display_name" error={error}>
            {(p) => <input {...p} required value={d.display_name} onChange={(e) => set("display_name", e.target.value)} />}
          </Field>
          <Field label="Client type" name="client_type" error={error}
            hint={creating ? "Confidential: a server that keeps a secret. Public: a browser or mobile app (PKCE, no secret)." : "Fixed once created."}>
            {(p) => (
              <select {...p} disabled={!creating} value={d.client_type}
                onChange={(e) => set("client_type", e.target.value as AppDraft["client_type"])}>
                <option value="CLIENT_TYPE_CONFIDENTIAL">Confidential</option>
                <option value="CLIENT_TYPE_PUBLIC">Public</option>
              </select>
            )}
          </Field>
          <Field label="Redirect URIs" name="redirect_uris" error={error} hint="One per line.">
            {(p) => <textarea {...p} rows={3} value={d.redirect_uris} onChange={(e) => set("redirect_uris", e.target.value)} />}
          </Field>
          <Field label="Post-logout redirect URIs" name="post_logout_redirect_uris" error={error} hint="One per line.">
            {(p) => <textarea {...p} rows={3} value={d.post_logout_redirect_uris} onChange={(e) => set("post_logout_redirect_uris", e.target.value)} />}
          </Field>
          <fieldset className="mb-3" aria-describedby="grant-types-hint">
            <legend className="mb-1 text-sm font-medium">Grant types</legend>
            {GRANT_TYPES.map((g) => (
              <Checkbox key={g} label={g.replace("urn:ietf:params:oauth:grant-type:", "")} name="grant_types"
                checked={d.grant_types.includes(g)}
                onChange={(on) => set("grant_types", on ? [...d.grant_types, g] : d.grant_types.filter((x) => x !== g))} />
            ))}
            <p id="grant-types-hint" className="text-xs text-slate-600">Which flows this application may use.</p>
            {error?.details.field === "grant_types" && <p className="text-sm text-red-700" data-field-error="grant_types">{error.message}</p>}
          </fieldset>
          <Field label="Allowed scopes" name="allowed_scopes" error={error} hint="Separated by spaces.">
            {(p) => <input {...p} value={d.allowed_scopes} onChange={(e) => set("allowed_scopes", e.target.value)} />}
          </Field>
          <Field label="Token endpoint auth method" name="token_endpoint_auth_method" error={error}>
            {(p) => (
              <select {...p} value={d.token_endpoint_auth_method} onChange={(e) => set("token_endpoint_auth_method", e.target.value)}>
                <option value="">Default for the client type</option>
                {AUTH_METHODS.map((m) => <option key={m} value={m}>{m}</option>)}
              </select>
            )}
          </Field>
          <Field label="Allowed origins (CORS)" name="allowed_origins" error={error} hint="For browser apps; one per line.">
            {(p) => <textarea {...p} rows={2} value={d.allowed_origins} onChange={(e) => set("allowed_origins", e.target.value)} />}
          </Field>
          <Field label="JWKS URI" name="jwks_uri" error={error} hint="For private_key_jwt: where the app publishes its keys.">
            {(p) => <input {...p} type="url" value={d.jwks_uri} onChange={(e) => set("jwks_uri", e.target.value)} />}
          </Field>
          <Field label="JWKS (JSON)" name="jwks" error={error} hint="Or paste the public keys here.">
            {(p) => <textarea {...p} rows={3} className={`${p.className} font-mono`} value={d.jwks} onChange={(e) => set("jwks", e.target.value)} />}
          </Field>
        </div>
        {!disabled && <Button type="submit" tone="primary" busy={busy}>{submitLabel}</Button>}
      </fieldset>
    </form>
  );
}

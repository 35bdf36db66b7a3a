import { useState } from "react";

import type { ApiError, IdentityProvider } from "../api";
import { Button, Checkbox, Field, FormError, fieldError, splitList } from "../components/ui";

export type Kind = "PROVIDER_TYPE_GOOGLE" | "PROVIDER_TYPE_MICROSOFT" | "PROVIDER_TYPE_APPLE" | "PROVIDER_TYPE_GITHUB"
  | "PROVIDER_TYPE_OIDC";

/** The kinds an administrator picks from, with what the API's preset fills in. */
export const KINDS: { kind: Kind; label: string; name: string; scopes: string }[] = [
  { kind: "PROVIDER_TYPE_GOOGLE", label: "Google", name: "Google", scopes: "openid email profile" },
  { kind: "PROVIDER_TYPE_MICROSOFT", label: "Microsoft Entra ID", name: "Microsoft", scopes: "openid email profile" },
  { kind: "PROVIDER_TYPE_APPLE", label: "Apple", name: "Apple", scopes: "openid email name" },
  { kind: "PROVIDER_TYPE_GITHUB", label: "GitHub", name: "GitHub", scopes: "read:user user:email" },
  { kind: "PROVIDER_TYPE_OIDC", label: "Other OpenID Connect provider", name: "", scopes: "openid email profile" },
];

export function kindLabel(kind: string | undefined): string {
  return KINDS.find((k) => k.kind === kind)?.label ?? "Unknown";
}

/** Which Entra ID accounts may sign in: the multi-tenant endpoints, or one organisation. */
export const AUDIENCES = [
  ["common", "Any Microsoft account (work, school or personal)"],
  ["organizations", "Work or school accounts of any organisation"],
  ["consumers", "Personal Microsoft accounts only"],
  ["tenant", "Only my organisation (its Entra tenant id)"],
] as const;
type Audience = (typeof AUDIENCES)[number][0];
const ENTRA = /^https:\/\/login\.microsoftonline\.com\/([^/]+)\/v2\.0$/;

/** The user claims a provider's claims can fill in (services/identity/federation/model.py MAPPABLE). */
export const MAPPABLE = ["email", "email_verified", "name", "given_name", "family_name", "picture", "locale"];
export const ICON_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"];
const MAX_ICON_BYTES = 256 * 1024;

export interface IdpDraft {
  provider_type: Kind;
  provider_id: string;
  display_name: string;
  issuer: string;
  audience: Audience;
  entra_tenant: string;
  client_id: string;
  client_auth_method: string;
  client_secret: string;
  private_key: string;
  key_id: string;
  team_id: string;
  scopes: string;
  claim_mapping: Record<string, string>;
  allowed_email_domains: string;
  icon_image: string;
  link_by_verified_email: boolean;
  trust_upstream_mfa: boolean;
  enabled: boolean;
}

export function draftOf(p?: IdentityProvider, kind: Kind = "PROVIDER_TYPE_GOOGLE"): IdpDraft {
  const type = (p?.provider_type as Kind | undefined) ?? kind;
  const entra = ENTRA.exec(p?.issuer ?? "")?.[1] ?? "common";
  const multi = ["common", "organizations", "consumers"].includes(entra);
  return {
    provider_type: type,
    provider_id: p?.provider_id ?? "",
    display_name: p?.display_name ?? "",
    issuer: type === "PROVIDER_TYPE_OIDC" ? p?.issuer ?? "" : "",
    audience: multi ? entra as Audience : "tenant",
    entra_tenant: multi ? "" : entra,
    client_id: p?.client_id ?? "",
    client_auth_method: p?.client_auth_method ?? "",
    client_secret: "",
    private_key: "",
    key_id: p?.key_id ?? "",
    team_id: p?.team_id ?? "",
    scopes: (p?.scopes ?? []).join(" "),
    claim_mapping: { ...(p?.claim_mapping ?? {}) },
    allowed_email_domains: (p?.allowed_email_domains ?? []).join("\n"),
    icon_image: p?.icon_image ?? "",
    link_by_verified_email: p?.link_by_verified_email ?? false,
    trust_upstream_mfa: p?.trust_upstream_mfa ?? false,
    enabled: p?.enabled ?? true,
  };
}

export function usesPrivateKey(d: IdpDraft): boolean {
  return d.provider_type === "PROVIDER_TYPE_APPLE" || d.client_auth_method === "private_key_jwt";
}

/** The API's shape of a draft; the secrets only when typed (they are write-only). */
export function bodyOf(d: IdpDraft): Partial<IdentityProvider> {
  const body: Partial<IdentityProvider> = {
    provider_type: d.provider_type,
    display_name: d.display_name.trim(),
    client_id: d.client_id.trim(),
    scopes: splitList(d.scopes),
    claim_mapping: Object.fromEntries(Object.entries(d.claim_mapping).map(([k, v]): [string, string] => [k, v.trim()])
      .filter(([, v]) => v !== "")),
    allowed_email_domains: splitList(d.allowed_email_domains),
    link_by_verified_email: d.link_by_verified_email,
    trust_upstream_mfa: d.trust_upstream_mfa,
    enabled: d.enabled,
    key_id: usesPrivateKey(d) ? d.key_id.trim() : "",
    team_id: d.provider_type === "PROVIDER_TYPE_APPLE" ? d.team_id.trim() : "",
  };
  if (d.provider_type === "PROVIDER_TYPE_OIDC") {
    body.issuer = d.issuer.trim();
    body.icon_image = d.icon_image;
  } else if (d.provider_type === "PROVIDER_TYPE_MICROSOFT") {
    const segment = d.audience === "tenant" ? d.entra_tenant.trim() : d.audience;
    body.issuer = `https://login.microsoftonline.com/${segment}/v2.0`;
  } else {
    body.issuer = "";  // the preset's
  }
  if (d.provider_type !== "PROVIDER_TYPE_APPLE" && d.provider_type !== "PROVIDER_TYPE_GITHUB") {
    body.client_auth_method = d.client_auth_method;
  }
  if (d.client_secret) body.client_secret = d.client_secret;
  if (d.private_key) body.private_key = d.private_key;
  return body;
}

/** The fields of ``after`` that differ from ``before`` (the update mask). */
export function changedFields(before: Partial<IdentityProvider>, after: Partial<IdentityProvider>): string[] {
  return Object.keys(after).filter((k) => k !== "provider_type" &&
    JSON.stringify(after[k as keyof IdentityProvider] ?? "") !== JSON.stringify(before[k as keyof IdentityProvider] ?? ""));
}

export const IDP_FIELDS = ["provider_type", "provider_id", "display_name", "issuer", "client_id", "client_auth_method",
  "client_secret", "private_key", "key_id", "team_id", "scopes", "claim_mapping", "allowed_email_domains", "icon_image",
  "display_order"];

/** An icon chosen in the browser, as the data URL the API takes; checked here first so that
 * the admin hears about a wrong file at once (the API checks again, bytes included). */
export function readIcon(file: File): Promise<string> {
  if (!ICON_TYPES.includes(file.type)) {
    return Promise.reject(new Error("Choose a PNG, JPEG, WebP or GIF image (SVG is not accepted)."));
  }
  if (file.size > MAX_ICON_BYTES) return Promise.reject(new Error("The icon is larger than 256 KiB."));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.onerror = () => reject(new Error("The file could not be read."));
    reader.readAsDataURL(file);
  });
}

export function IdpForm({ initial, creating, error, busy, submitLabel, tenantId, secretSet, keySet, onSubmit }: {
  initial: IdpDraft; creating: boolean; error: ApiError | null; busy: boolean; submitLabel: string; tenantId: string;
  secretSet?: boolean; keySet?: boolean; onSubmit: (draft: IdpDraft) => void;
}) {
  const [d, setD] = useState(initial);
  const [iconProblem, setIconProblem] = useState("");
  const set = <K extends keyof IdpDraft>(k: K, v: IdpDraft[K]) => setD((old) => ({ ...old, [k]: v }));
  const kind = KINDS.find((k) => k.kind === d.provider_type) ?? { kind: d.provider_type, label: "", name: "", scopes: "" };
  const oidc = d.provider_type === "PROVIDER_TYPE_OIDC";
  const apple = d.provider_type === "PROVIDER_TYPE_APPLE";
  const github = d.provider_type === "PROVIDER_TYPE_GITHUB";
  const keyed = usesPrivateKey(d);
  const iconSrc = d.icon_image.startsWith("data:") ? d.icon_image : d.icon_image ? `/tenant/${tenantId}${d.icon_image}` : "";
  const mappingError = fieldError(error, "claim_mapping");
  return (
    <form onSubmit={(e) => { e.preventDefault(); onSubmit(d); }} aria-label={submitLabel}>
      <FormError error={error} fields={IDP_FIELDS} />
      <div className="grid gap-x-4 md:grid-cols-2">
        <Field label="Provider" name="provider_type" error={error}
          hint={creating ? "A preset fills in the issuer, endpoints, scopes and claim names." : "Fixed once created."}>
          {(p) => (
            <select {...p} disabled={!creating} value={d.provider_type}
              onChange={(e) => setD(draftOf(undefined, e.target.value as Kind))}>
              {KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
            </select>
          )}
        </Field>
        <Field label="Provider id" name="provider_id" error={error}
          hint={creating ? "2-40 of a-z, 0-9 and '-'; part of the callback URL, fixed once created." : "Fixed once created."}>
          {(p) => <input {...p} required disabled={!creating} value={d.provider_id} pattern="[a-z0-9][a-z0-9\-]{0,38}[a-z0-9]"
            placeholder={kind.name.toLowerCase() || "corp-sso"} onChange={(e) => set("provider_id", e.target.value)} />}
        </Field>
        <Field label="Button label" name="display_name" error={error}
          hint={`The button says "Continue with ${d.display_name || kind.name || "…"}".`}>
          {(p) => <input {...p} required={oidc} value={d.display_name} placeholder={kind.name || "Corp SSO"}
            onChange={(e) => set("display_name", e.target.value)} />}
        </Field>
        {oidc && (
          <Field label="Issuer" name="issuer" error={error} hint="https; discovery at <issuer>/.well-known/openid-configuration.">
            {(p) => <input {...p} type="url" required value={d.issuer} placeholder="https://sso.example.com"
              onChange={(e) => set("issuer", e.target.value)} />}
          </Field>
        )}
        {d.provider_type === "PROVIDER_TYPE_MICROSOFT" && (
          <fieldset className="mb-3">
            <legend className="mb-1 text-sm font-medium">Who may sign in</legend>
            {AUDIENCES.map(([value, label]) => (
              <label key={value} className="flex items-center gap-2 text-sm">
                <input type="radio" name="audience" value={value} checked={d.audience === value}
                  onChange={() => set("audience", value)} />{label}
              </label>
            ))}
            {d.audience === "tenant" && (
              <Field label="Entra tenant id" name="issuer" error={error} hint="The directory (tenant) id, a GUID.">
                {(p) => <input {...p} required value={d.entra_tenant} onChange={(e) => set("entra_tenant", e.target.value)} />}
              </Field>
            )}
            {d.audience !== "tenant" && fieldError(error, "issuer") &&
              <p className="text-sm text-red-700" data-field-error="issuer">{error?.message}</p>}
          </fieldset>
        )}
        <Field label={apple ? "Services id (client id)" : "Client id"} name="client_id" error={error}>
          {(p) => <input {...p} required value={d.client_id} autoComplete="off" onChange={(e) => set("client_id", e.target.value)} />}
        </Field>
        {!apple && !github && (
          <Field label="Client authentication" name="client_auth_method" error={error}>
            {(p) => (
              <select {...p} value={d.client_auth_method} onChange={(e) => set("client_auth_method", e.target.value)}>
                <option value="">Default (client_secret_basic)</option>
                <option value="client_secret_basic">client_secret_basic</option>
                <option value="client_secret_post">client_secret_post</option>
                <option value="private_key_jwt">private_key_jwt (signed with a private key)</option>
              </select>
            )}
          </Field>
        )}
        {!keyed && (
          <Field label="Client secret" name="client_secret" error={error}
            hint={secretSet ? "A secret is stored and never shown. Type a new one to replace it." : "Stored sealed; never shown again."}>
            {(p) => <input {...p} type="password" required={!secretSet} autoComplete="new-password" value={d.client_secret}
              placeholder={secretSet ? "•••••••• (unchanged)" : ""} onChange={(e) => set("client_secret", e.target.value)} />}
          </Field>
        )}
        {keyed && (
          <>
            <Field label={apple ? "Private key (.p8, PEM)" : "Private key (PEM)"} name="private_key" error={error}
              hint={keySet ? "A key is stored and never shown. Paste a new one to replace it." : "Stored sealed; never shown again."}>
              {(p) => <textarea {...p} rows={4} required={!keySet} className={`${p.className} font-mono`} value={d.private_key}
                placeholder={keySet ? "(unchanged)" : "-----BEGIN PRIVATE KEY-----"} autoComplete="off" spellCheck={false}
                onChange={(e) => set("private_key", e.target.value)} />}
            </Field>
            <Field label="Key id" name="key_id" error={error} hint="The key's id (kid) at the provider.">
              {(p) => <input {...p} required value={d.key_id} onChange={(e) => set("key_id", e.target.value)} />}
            </Field>
          </>
        )}
        {apple && (
          <Field label="Team id" name="team_id" error={error} hint="Your Apple developer team id.">
            {(p) => <input {...p} required value={d.team_id} onChange={(e) => set("team_id", e.target.value)} />}
          </Field>
        )}
        <Field label="Scopes" name="scopes" error={error} hint={`Separated by spaces. Empty: ${kind.scopes}.`}>
          {(p) => <input {...p} value={d.scopes} placeholder={kind.scopes} onChange={(e) => set("scopes", e.target.value)} />}
        </Field>
        <Field label="Allowed email domains" name="allowed_email_domains" error={error}
          hint="One per line. Empty: any verified email may sign in.">
          {(p) => <textarea {...p} rows={2} value={d.allowed_email_domains} placeholder="example.com"
            onChange={(e) => set("allowed_email_domains", e.target.value)} />}
        </Field>
      </div>
      <details className="mb-3 rounded-md ring-1 ring-slate-200" open={!!mappingError}>
        <summary className="cursor-pointer px-3 py-2 text-sm font-medium">Claim mapping</summary>
        <fieldset className="grid gap-x-4 px-3 pb-2 md:grid-cols-2" aria-describedby="claim-mapping-hint">
          <legend className="sr-only">Claim mapping</legend>
          <p id="claim-mapping-hint" className="mb-2 text-xs text-slate-600 md:col-span-2">
            The provider's claim that fills each user attribute. Empty: the preset's, or the claim of the same name.</p>
          {MAPPABLE.map((claim) => (
            <label key={claim} className="mb-2 block text-sm">
              <span className="mb-1 block font-mono text-xs">{claim}</span>
              <input name={`claim_mapping.${claim}`} value={d.claim_mapping[claim] ?? ""} placeholder={claim}
                className="w-full rounded-md border border-slate-400 px-2 py-1.5 text-sm"
                onChange={(e) => set("claim_mapping", { ...d.claim_mapping, [claim]: e.target.value })} />
            </label>
          ))}
          {mappingError && <p className="text-sm text-red-700 md:col-span-2" data-field-error="claim_mapping">{mappingError}</p>}
        </fieldset>
      </details>
      {oidc ? (
        <fieldset className="mb-3">
          <legend className="mb-1 text-sm font-medium">Button icon</legend>
          <div className="flex flex-wrap items-center gap-3">
            {iconSrc ? <img src={iconSrc} alt="Current icon" className="h-8 w-8 rounded bg-white object-contain ring-1 ring-slate-200" />
              : <span className="text-sm text-slate-600">No icon.</span>}
            <label className="text-sm">
              <span className="sr-only">Upload an icon</span>
              <input type="file" name="icon_image" accept={ICON_TYPES.join(",")} aria-describedby="icon-hint"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  setIconProblem("");
                  if (file) readIcon(file).then((url) => set("icon_image", url), (why: unknown) => setIconProblem(why instanceof Error ? why.message : "The file could not be read."));
                }} />
            </label>
            {d.icon_image && <Button onClick={() => set("icon_image", "")}>Remove icon</Button>}
          </div>
          <p id="icon-hint" className="mt-1 text-xs text-slate-600">PNG, JPEG, WebP or GIF, at most 256 KiB; shown at 20 × 20 px.</p>
          {(iconProblem || fieldError(error, "icon_image")) &&
            <p className="text-sm text-red-700" data-field-error="icon_image">{iconProblem || fieldError(error, "icon_image")}</p>}
        </fieldset>
      ) : <p className="mb-3 text-sm text-slate-700">The button shows {kind.name}'s own mark, as its brand guidelines ask.</p>}
      <fieldset className="mb-3">
        <legend className="mb-1 text-sm font-medium">Sign-in rules</legend>
        <div className="flex flex-col gap-1">
          <Checkbox label="Link to an existing account with the same email when the provider says it is verified"
            name="link_by_verified_email" checked={d.link_by_verified_email} onChange={(v) => set("link_by_verified_email", v)} />
          <Checkbox label="Trust the provider's multi-factor authentication (amr) instead of asking for ours"
            name="trust_upstream_mfa" checked={d.trust_upstream_mfa} onChange={(v) => set("trust_upstream_mfa", v)} />
          {creating && <Checkbox label="Show the button now (enabled)" name="enabled" checked={d.enabled}
            onChange={(v) => set("enabled", v)} />}
        </div>
      </fieldset>
      <Button type="submit" tone="primary" busy={busy} disabled={!!iconProblem}>{submitLabel}</Button>
    </form>
  );
}

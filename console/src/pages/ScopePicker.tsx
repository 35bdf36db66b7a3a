import { Checkbox } from "../components/ui";

export const SCOPES = ["tenants:read", "tenants:write", "api_keys:read", "api_keys:write", "admins:read", "admins:write",
  "users:read", "users:write", "events:read", "applications:read", "applications:write", "sessions:read", "sessions:write",
  "signing_keys:write", "analytics:read", "identity_providers:read", "identity_providers:write"];

export function ScopePicker({ value, onChange, error }: { value: string[]; onChange: (v: string[]) => void; error?: string }) {
  return (
    <fieldset className="mb-3">
      <legend className="mb-1 text-sm font-medium">Scopes</legend>
      <div className="grid grid-cols-2 gap-1 md:grid-cols-4">
        {SCOPES.map((s) => (
          <Checkbox key={s} label={s} name="scopes" checked={value.includes(s)}
            onChange={(on) => onChange(on ? [...value, s] : value.filter((x) => x !== s))} />
        ))}
      </div>
      {error && <p className="mt-1 text-sm text-red-700" data-field-error="scopes">{error}</p>}
    </fieldset>
  );
}

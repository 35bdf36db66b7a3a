/** Small, accessible building blocks shared by every page. */
import { useEffect, useId, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from "react";

import { describe, type ApiError } from "../api";

type Tone = "primary" | "secondary" | "danger";
const TONES: Record<Tone, string> = {
  primary: "bg-indigo-700 text-white hover:bg-indigo-800 disabled:bg-indigo-300",
  secondary: "bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 disabled:text-slate-400",
  danger: "bg-red-700 text-white hover:bg-red-800 disabled:bg-red-300",
};

export function Button({ tone = "secondary", busy = false, children, className = "", ...rest }:
  ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone; busy?: boolean }) {
  return (
    <button type="button" {...rest} disabled={rest.disabled === true || busy} aria-busy={busy || undefined}
      className={`inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium ${TONES[tone]} ${className}`}>
      {busy && <Spinner />}
      {children}
    </button>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span role={label ? "status" : undefined} className="inline-flex items-center gap-2">
      <span aria-hidden="true" className="h-4 w-4 animate-spin rounded-full border-2 border-current border-t-transparent" />
      {label && <span>{label}</span>}
    </span>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div className="flex flex-wrap items-center gap-2">{children}</div>
    </div>
  );
}

export function Card({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <section className="mb-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      {title && <h2 className="mb-3 text-lg font-semibold">{title}</h2>}
      {children}
    </section>
  );
}

/** An API error in words; the field-specific part is shown by <Field> next to the field. */
export function ErrorBanner({ error, onRetry }: { error: ApiError | null | undefined; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div role="alert" className="mb-4 rounded-md bg-red-50 p-3 text-sm text-red-800 ring-1 ring-red-200">
      <p>{describe(error)}</p>
      {error.request_id && <p className="mt-1 text-xs text-red-700">Request id: {error.request_id}</p>}
      {onRetry && <Button className="mt-2" onClick={onRetry}>Try again</Button>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-slate-600">{children}</p>;
}

/** The error message for ``name`` when the API named it in ``details.field`` (a.b matches a). */
export function fieldError(error: ApiError | null | undefined, name: string): string | undefined {
  const field = error?.details.field;
  if (!field) return undefined;
  return field === name || field.startsWith(`${name}.`) || field.startsWith(`${name}[`) ? error.message : undefined;
}

interface FieldProps {
  label: string;
  name: string;
  error?: ApiError | null;
  hint?: string;
  children: (props: { id: string; name: string; "aria-invalid"?: boolean; "aria-describedby"?: string;
    className: string }) => ReactNode;
}

export function Field({ label, name, error, hint, children }: FieldProps) {
  const id = useId();
  const message = fieldError(error, name);
  const described = [hint && `${id}-hint`, message && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className="mb-3">
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">{label}</label>
      {children({
        id, name, "aria-invalid": message ? true : undefined, "aria-describedby": described,
        className: `w-full rounded-md border px-2 py-1.5 text-sm ${message ? "border-red-600" : "border-slate-400"}`,
      })}
      {hint && <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">{hint}</p>}
      {message && <p id={`${id}-error`} className="mt-1 text-sm text-red-700" data-field-error={name}>{message}</p>}
    </div>
  );
}

/** A form's API error: next to its field when the form shows that field, else as a banner. */
export function FormError({ error, fields }: { error: ApiError | null; fields: string[] }) {
  if (!error) return null;
  if (fields.some((f) => fieldError(error, f))) return null;
  return <ErrorBanner error={error} />;
}

export function Checkbox({ label, checked, onChange, name }:
  { label: string; checked: boolean; onChange: (v: boolean) => void; name?: string }) {
  return (
    <label className="mr-4 inline-flex items-center gap-2 text-sm">
      <input type="checkbox" name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** Asks before anything destructive; ``typed`` makes the admin type a value (a tenant's id). */
export function Confirm({ title, body, confirmLabel, typed, onConfirm, onClose }: {
  title: string; body: ReactNode; confirmLabel: string; typed?: string;
  onConfirm: () => Promise<void>; onClose: () => void;
}) {
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const titleId = useId();
  const first = useRef<HTMLInputElement & HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const ok = typed === undefined || value === typed;
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/50 p-4"
      onKeyDown={(e) => e.key === "Escape" && !busy && onClose()}>
      <div role="dialog" aria-modal="true" aria-labelledby={titleId} className="w-full max-w-md rounded-lg bg-white p-5 shadow-xl">
        <h2 id={titleId} className="mb-2 text-lg font-semibold">{title}</h2>
        <div className="mb-3 text-sm text-slate-700">{body}</div>
        <ErrorBanner error={error} />
        <form onSubmit={(e) => {
          e.preventDefault();
          if (!ok) return;
          setBusy(true);
          setError(null);
          onConfirm().then(onClose, (thrown: unknown) => {
            setBusy(false);
            setError((thrown as { error?: ApiError }).error ?? null);
          });
        }}>
          {typed !== undefined && (
            <label className="mb-3 block text-sm">
              Type <code className="rounded bg-slate-100 px-1">{typed}</code> to confirm
              <input ref={first} value={value} onChange={(e) => setValue(e.target.value)} name="confirm"
                className="mt-1 w-full rounded-md border border-slate-400 px-2 py-1.5" autoComplete="off" />
            </label>
          )}
          <div className="flex justify-end gap-2">
            <Button onClick={onClose} disabled={busy}>Cancel</Button>
            <Button type="submit" tone="danger" busy={busy} disabled={!ok}>{confirmLabel}</Button>
          </div>
        </form>
      </div>
    </div>
  );
}

/** A secret the API shows once: visible, copyable, and said so. */
export function SecretOnce({ label, secret }: { label: string; secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="mb-4 rounded-md bg-amber-50 p-3 ring-1 ring-amber-300">
      <p className="mb-2 text-sm font-medium text-amber-900">{label}: copy it now, it will not be shown again.</p>
      <div className="flex items-center gap-2">
        <code data-secret className="flex-1 break-all rounded bg-white px-2 py-1 text-sm ring-1 ring-amber-200">{secret}</code>
        <Button onClick={() => {
          void navigator.clipboard.writeText(secret).then(() => setCopied(true), () => setCopied(false));
        }}>{copied ? "Copied" : "Copy"}</Button>
      </div>
    </div>
  );
}

export function Badge({ children, tone = "slate" }: { children: ReactNode; tone?: "slate" | "green" | "red" | "amber" }) {
  const tones = { slate: "bg-slate-100 text-slate-800", green: "bg-green-100 text-green-900",
                  red: "bg-red-100 text-red-900", amber: "bg-amber-100 text-amber-900" };
  return <span className={`rounded px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}

/** A resource's state enum (TENANT_STATE_ACTIVE, ADMIN_USER_STATE_DISABLED, SIGNING_KEY_STATE_RETIRED…) as a badge. */
export function stateBadge(state: string | undefined) {
  const short = (state ?? "").replace(/^.*_STATE_/, "");
  const tone = short === "ACTIVE" ? "green" : short === "SUSPENDED" || short === "DISABLED" || short === "REVOKED" ? "red" : "amber";
  return <Badge tone={tone}>{short.toLowerCase() || "unknown"}</Badge>;
}

export function Table({ caption, head, children }: { caption: string; head: string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-100 text-slate-700">
          <tr>{head.map((h) => <th key={h} scope="col" className="px-3 py-2 font-medium">{h}</th>)}</tr>
        </thead>
        <tbody className="divide-y divide-slate-200">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className = "" }: { children?: ReactNode; className?: string }) {
  return <td className={`px-3 py-2 align-top ${className}`}>{children}</td>;
}

export function Pager({ page, hasNext, onPrev, onNext }:
  { page: number; hasNext: boolean; onPrev: () => void; onNext: () => void }) {
  return (
    <nav aria-label="Pagination" className="mt-3 flex items-center justify-end gap-2 text-sm">
      <Button onClick={onPrev} disabled={page === 0}>Previous</Button>
      <span>Page {page + 1}</span>
      <Button onClick={onNext} disabled={!hasNext}>Next</Button>
    </nav>
  );
}

export function formatTime(value: string | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}

export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

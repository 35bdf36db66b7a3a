import { useState } from "react";
import { Navigate, useSearchParams } from "react-router";

import { failureOf, type ApiError } from "../api";
import { Button, Field, FormError } from "../components/ui";
import { useSession } from "../session";

export function SignIn() {
  const { admin, signIn } = useSession();
  const [params] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const next = params.get("next") ?? "/";
  if (admin) return <Navigate replace to={next.startsWith("/") && !next.startsWith("//") ? next : "/"} />;
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg bg-white p-6 shadow ring-1 ring-slate-200">
        <h1 className="mb-1 text-2xl font-semibold">Sign in</h1>
        <p className="mb-4 text-sm text-slate-600">BinoAuth administrator console</p>
        <FormError error={error} fields={["email", "password"]} />
        <form onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          signIn(email, password).catch((thrown: unknown) => {
            setError(failureOf(thrown));
            setBusy(false);
          });
        }}>
          <Field label="Email" name="email" error={error}>
            {(p) => <input {...p} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}
          </Field>
          <Field label="Password" name="password" error={error}>
            {(p) => <input {...p} type="password" autoComplete="current-password" required value={password}
              onChange={(e) => setPassword(e.target.value)} />}
          </Field>
          <Button type="submit" tone="primary" busy={busy} className="w-full justify-center">Sign in</Button>
        </form>
      </div>
    </main>
  );
}

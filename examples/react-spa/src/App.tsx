import { RequireAuth, useAuth, useUser } from "@binoauth/react";
import { useState } from "react";

const API = (import.meta.env.VITE_API_URL as string | undefined) ?? "http://localhost:3001";

/** The last characters of a token: enough to see it change, nothing worth stealing. */
function tail(token: string | undefined): string {
  return token ? `…${token.slice(-8)}` : "none";
}

function Account() {
  const { getAccessToken, refresh, signOut } = useAuth();
  const user = useUser();
  const [api, setApi] = useState<string>("");
  const [token, setToken] = useState<string>("");

  async function callApi() {
    const accessToken = await getAccessToken();
    setToken(tail(accessToken));
    const response = await fetch(`${API}/api/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
    setApi(`${response.status} ${await response.text()}`);
  }

  async function refreshNow() {
    await refresh();
    setToken(tail(await getAccessToken()));
  }

  return (
    <section>
      <p id="user">Signed in as {user?.email ?? user?.sub}</p>
      <p>Access token: <code id="token">{token}</code></p>
      <button id="call-api" onClick={() => void callApi()}>Call the API</button>{" "}
      <button id="refresh" onClick={() => void refreshNow()}>Refresh tokens</button>{" "}
      <button id="sign-out" onClick={() => void signOut()}>Sign out</button>
      <pre id="api-result">{api}</pre>
    </section>
  );
}

export function App() {
  const { isLoading, isAuthenticated, error, signIn } = useAuth();
  const [protectedPage, setProtectedPage] = useState(false);
  if (isLoading) return <p id="status">Loading…</p>;
  return (
    <main>
      <h1>BinoAuth React example</h1>
      {error && <p id="error" role="alert">{error.message}</p>}
      {isAuthenticated ? (
        <Account />
      ) : (
        <p>
          <span id="status">Signed out.</span>{" "}
          <button id="sign-in" onClick={() => void signIn()}>Sign in</button>{" "}
          <button id="protected" onClick={() => setProtectedPage(true)}>Open a protected page</button>
        </p>
      )}
      {protectedPage && <RequireAuth fallback={<p>Taking you to sign in…</p>}><p>Protected content</p></RequireAuth>}
    </main>
  );
}

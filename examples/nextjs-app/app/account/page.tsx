// A server component: the session (user and access token) is read from the encrypted HttpOnly
// cookie on the server, and the API is called from here; the browser never sees a token.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { apiUrl, auth } from "../../lib/auth";

async function callApi(accessToken: string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(`${apiUrl}/api/me`, {
      headers: { Authorization: `Bearer ${accessToken}` },
      cache: "no-store",
    });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.stringify(JSON.parse(text), null, 2) };
    } catch {
      return { status: response.status, body: text }; // not JSON: shown as it came
    }
  } catch (error) {
    return { status: 0, body: `${apiUrl} is not reachable (${String(error)}): npm start -w examples/express-api` };
  }
}

export default async function Account() {
  const session = await auth.getSession(await cookies());
  // The middleware already sends signed-out visitors to sign-in; this covers a session that ended meanwhile.
  if (!session) redirect("/auth/sign-in?returnTo=/account");
  const api = await callApi(session.accessToken);
  return (
    <main>
      <h1>Account</h1>
      <dl>
        <dt>Email</dt>
        <dd id="user">{session.user?.email}</dd>
        <dt>Subject</dt>
        <dd>{session.user?.sub}</dd>
        <dt>Scope</dt>
        <dd>{session.scope}</dd>
      </dl>
      <h2>
        GET {apiUrl}/api/me <span id="api-status">{api.status}</span>
      </h2>
      <pre id="api">{api.body}</pre>
      {/* A form POST: the SDK refuses cross-site sign-out requests. */}
      <form method="post" action="/auth/sign-out">
        <button id="sign-out" type="submit">Sign out</button>
      </form>
    </main>
  );
}

import { cookies } from "next/headers";

import { auth } from "../lib/auth";

export default async function Home() {
  const session = await auth.getSession(await cookies());
  if (session) {
    return (
      <main>
        <p id="status">Signed in as {session.user?.email ?? session.user?.sub}.</p>
        <a href="/account">Your account</a>
      </main>
    );
  }
  return (
    <main>
      <p id="status">Signed out.</p>
      <a id="sign-in" className="button" href="/auth/sign-in?returnTo=/account">Sign in</a>
    </main>
  );
}

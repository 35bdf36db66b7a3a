// Sends signed-out visitors of /account to sign-in and refreshes access tokens shortly before
// they expire (middleware can set the rotated cookie; server components cannot).
import { NextResponse } from "next/server";

import { auth } from "./lib/auth";

export const middleware = auth.middleware({
  protect: ["/account"],
  // The page rendered behind this request already sees a refreshed cookie.
  next: (headers) => NextResponse.next({ request: { headers } }),
});

export const config = { matcher: ["/((?!_next/|favicon.ico).*)"] };

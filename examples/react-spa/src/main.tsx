import { BinoAuthProvider } from "@binoauth/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";

const issuer = import.meta.env.VITE_BINOAUTH_ISSUER as string | undefined;
const clientId = import.meta.env.VITE_BINOAUTH_CLIENT_ID as string | undefined;
const root = createRoot(document.getElementById("root")!);

if (!issuer || !clientId) {
  root.render(<p>Set VITE_BINOAUTH_ISSUER and VITE_BINOAUTH_CLIENT_ID (see README.md).</p>);
} else {
  root.render(
    <StrictMode>
      <BinoAuthProvider issuer={issuer} clientId={clientId}>
        <App />
      </BinoAuthProvider>
    </StrictMode>,
  );
}

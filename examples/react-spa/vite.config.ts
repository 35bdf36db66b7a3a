import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// PORT picks the port (default 5173); the app's origin must be registered on the BinoAuth
// application (redirect URI <origin>/callback, post-logout redirect URI <origin>/, allowed origin),
// so the app is served as http://localhost:<port> (not 127.0.0.1: another origin).
export default defineConfig({
  plugins: [react()],
  server: { host: "localhost", port: Number(process.env.PORT ?? 5173), strictPort: true },
});

import { lazy, Suspense, type ReactNode } from "react";
import { createBrowserRouter, Navigate, RouterProvider, useParams } from "react-router";

import { Spinner } from "./components/ui";
import { Layout } from "./Layout";
import { SessionProvider, useSession } from "./session";
import { SignIn } from "./pages/SignIn";

// Route-level code splitting: the first load carries the shell and the sign-in page only.
const Tenants = lazy(() => import("./pages/Tenants"));
const TenantSettings = lazy(() => import("./pages/TenantSettings"));
const Applications = lazy(() => import("./pages/Applications"));
const ApplicationDetail = lazy(() => import("./pages/ApplicationDetail"));
const Users = lazy(() => import("./pages/Users"));
const UserDetail = lazy(() => import("./pages/UserDetail"));
const ApiKeys = lazy(() => import("./pages/ApiKeys"));
const Admins = lazy(() => import("./pages/Admins"));
const SigningKeys = lazy(() => import("./pages/SigningKeys"));
const Events = lazy(() => import("./pages/Events"));
const IdentityProviders = lazy(() => import("./pages/IdentityProviders"));
const AnalyticsPage = lazy(() => import("./pages/Analytics"));

function page(node: ReactNode) {
  return <Suspense fallback={<Spinner label="Loading…" />}>{node}</Suspense>;
}

/** Where an administrator lands: the tenant list (platform) or their own tenant. */
function Home() {
  const { admin } = useSession();
  if (!admin) return null;
  return <Navigate replace to={admin.tenant_id ? `/t/${admin.tenant_id}/applications` : "/tenants"} />;
}

function TenantAnalytics() {
  const { tenantId = "" } = useParams();
  return <AnalyticsPage tenantId={tenantId} />;
}

export const routes = [
  { path: "/sign-in", element: <SignIn /> },
  {
    path: "/",
    element: <Layout />,
    children: [
      { index: true, element: <Home /> },
      { path: "tenants", element: page(<Tenants />) },
      { path: "analytics", element: page(<AnalyticsPage tenantId="" />) },
      { path: "admins", element: page(<Admins />) },
      { path: "t/:tenantId/settings", element: page(<TenantSettings />) },
      { path: "t/:tenantId/applications", element: page(<Applications />) },
      { path: "t/:tenantId/applications/:clientId", element: page(<ApplicationDetail />) },
      { path: "t/:tenantId/users", element: page(<Users />) },
      { path: "t/:tenantId/users/:userId", element: page(<UserDetail />) },
      { path: "t/:tenantId/identity-providers", element: page(<IdentityProviders />) },
      { path: "t/:tenantId/api-keys", element: page(<ApiKeys />) },
      { path: "t/:tenantId/admins", element: page(<Admins />) },
      { path: "t/:tenantId/signing-keys", element: page(<SigningKeys />) },
      { path: "t/:tenantId/events", element: page(<Events />) },
      { path: "t/:tenantId/analytics", element: page(<TenantAnalytics />) },
      { path: "*", element: <p>This page does not exist.</p> },
    ],
  },
];

export function App() {
  const router = createBrowserRouter(routes, { basename: "/console" });
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}

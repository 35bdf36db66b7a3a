// The server-side search and filters (tenants, applications, events) and a user's consents.
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { describe, expect, it } from "vitest";

import { routes } from "./App";
import { instantOf, localOf } from "./pages/Events";
import { SessionProvider } from "./session";
import { answer, json, requests } from "./test-fetch";

const ADMIN = { admin_user_id: "adm_1", email: "root@example.com", tenant_id: "",
  scopes: ["tenants:read", "applications:read", "users:read", "users:write", "events:read"] };

function renderAt(path: string, admin = ADMIN) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  return render(<SessionProvider initial={admin}><RouterProvider router={router} /></SessionProvider>);
}

const gets = (path: string) => requests.filter((r) => r.method === "GET" && new URL(r.url).pathname.endsWith(path))
  .map((r) => new URL(r.url).searchParams);

describe("tenants search", () => {
  it("asks the server with query and state, from the first page, and shows its answer as is", async () => {
    answer((r) => {
      const q = new URL(r.url).searchParams;
      if (q.get("query") === "shop") return json({ tenants: [{ tenant_id: "corner", display_name: "Found by the server", state: "TENANT_STATE_SUSPENDED" }] });
      return json({ tenants: [{ tenant_id: "first", state: "TENANT_STATE_ACTIVE" }], next_page_token: "p2" });
    });
    renderAt("/tenants");
    expect(await screen.findByRole("link", { name: "first" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(gets("/api/v1/tenants").some((q) => q.get("page_token") === "p2")).toBe(true));
    fireEvent.change(screen.getByLabelText("Search tenants"), { target: { value: "shop" } });
    fireEvent.change(screen.getByLabelText("State"), { target: { value: "TENANT_STATE_SUSPENDED" } });
    // No browser-side filtering: "corner" does not contain "shop", the server chose it.
    expect(await screen.findByRole("link", { name: "corner" })).toBeTruthy();
    const last = gets("/api/v1/tenants").at(-1);
    expect(last?.get("query")).toBe("shop");
    expect(last?.get("state")).toBe("TENANT_STATE_SUSPENDED");
    expect(last?.get("page_token") ?? "").toBe("");
  });

  it("says when nothing matches", async () => {
    answer(() => json({ tenants: [] }));
    renderAt("/tenants?q=nothing");
    expect(await screen.findByText(/No tenants match this search/)).toBeTruthy();
    expect(gets("/api/v1/tenants").some((q) => q.get("query") === "nothing")).toBe(true);
  });
});

describe("applications search", () => {
  it("sends query, client_type and application_type to the server", async () => {
    answer(() => json({ applications: [{ client_id: "app_1", display_name: "Billing", client_type: "CLIENT_TYPE_PUBLIC" }] }));
    renderAt("/t/acme/applications");
    expect(await screen.findByRole("link", { name: "Billing" })).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Search applications"), { target: { value: "bill" } });
    fireEvent.click(screen.getByRole("button", { name: "Search" }));
    fireEvent.change(screen.getByLabelText("Client type"), { target: { value: "CLIENT_TYPE_PUBLIC" } });
    fireEvent.change(screen.getByLabelText("Application type"), { target: { value: "APPLICATION_TYPE_NATIVE" } });
    await waitFor(() => expect(gets("/api/v1/applications").at(-1)?.get("application_type")).toBe("APPLICATION_TYPE_NATIVE"));
    const last = gets("/api/v1/applications").at(-1);
    expect(last?.get("query")).toBe("bill");
    expect(last?.get("client_type")).toBe("CLIENT_TYPE_PUBLIC");
  });
});

describe("events time range", () => {
  it("converts between the inputs' local time and RFC 3339", () => {
    expect(instantOf("")).toBe("");
    expect(instantOf("not a time")).toBe("");
    const instant = instantOf("2026-12-01T08:30");
    expect(instant).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
    expect(localOf(instant)).toBe("2026-12-01T08:30");
  });

  it("sends start_time and end_time and shows a bad range next to its input", async () => {
    answer((r) => new URL(r.url).searchParams.get("start_time")
      ? json({ error: { code: "INVALID_ARGUMENT", message: "start_time must be before end_time", details: { field: "start_time" }, timestamp: "", request_id: "r" } }, 400)
      : json({ events: [] }));
    renderAt("/t/acme/events");
    expect(await screen.findByText(/No events yet/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-12-02T00:00" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-12-01T00:00" } });
    fireEvent.click(screen.getByRole("button", { name: "Apply filters" }));
    const message = await screen.findByText("start_time must be before end_time");
    expect(message.getAttribute("data-field-error")).toBe("start_time");
    expect(screen.getByLabelText("From").getAttribute("aria-invalid")).toBe("true");
    const last = gets("/api/v1/events").at(-1);
    expect(last?.get("start_time")).toBe(instantOf("2026-12-02T00:00"));
    expect(last?.get("end_time")).toBe(instantOf("2026-12-01T00:00"));
  });
});

describe("a user's consents", () => {
  const world = (r: Request) => {
    const path = new URL(r.url).pathname;
    if (r.method === "DELETE") return json({});
    if (path.endsWith("/consents")) {
      const revoked = requests.some((q) => q.method === "DELETE");
      return json({ consents: revoked ? [] : [{ client_id: "app_1", client_name: "Billing", scopes: ["openid", "email"] }] });
    }
    if (path.endsWith("/sessions")) return json({ sessions: [] });
    return json({ user_id: "usr_1", email: "ada@example.com", state: "USER_STATE_ACTIVE" });
  };

  it("lists them and revokes one after confirmation", async () => {
    answer(world);
    renderAt("/t/acme/users/usr_1");
    expect(await screen.findByText("Billing")).toBeTruthy();
    expect(screen.getByText("openid email")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Revoke" }));
    expect(await screen.findByText("Revoke the consent to Billing?")).toBeTruthy();
    expect(requests.some((r) => r.method === "DELETE")).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "Revoke consent" }));
    expect(await screen.findByText(/has not granted any application access/)).toBeTruthy();
    const revoke = requests.find((r) => r.method === "DELETE");
    expect(new URL(revoke?.url ?? "http://x").pathname).toMatch(/\/api\/v1\/users\/usr_1\/consents\/app_1$/);
  });

  it("offers no revoke without users:write", async () => {
    answer(world);
    renderAt("/t/acme/users/usr_1", { ...ADMIN, scopes: ["users:read"] });
    expect(await screen.findByText("Billing")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Revoke" })).toBeNull();
  });
});

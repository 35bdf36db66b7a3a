import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { describe, expect, it } from "vitest";

import { routes } from "./App";
import { Confirm, Field } from "./components/ui";
import { chartsOf, windowOf } from "./pages/Analytics";
import { SessionProvider } from "./session";
import { answer, json, requests } from "./test-fetch";

const PLATFORM = { admin_user_id: "adm_1", email: "root@example.com", tenant_id: "", scopes: ["tenants:read", "tenants:write"] };

/** ``admin`` "restore": the provider asks the API (GET current) like on a page load. */
function renderAt(path: string, admin: typeof PLATFORM | "restore" = PLATFORM) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const initial = admin === "restore" ? undefined : admin;
  return render(<SessionProvider initial={initial}><RouterProvider router={router} /></SessionProvider>);
}

describe("Field", () => {
  it("shows the API's message next to the field named by details.field", () => {
    const error = { code: "INVALID_ARGUMENT", message: "must be https", details: { field: "redirect_uris" }, timestamp: "", request_id: "r" };
    render(<>
      <Field label="Redirect URIs" name="redirect_uris" error={error}>{(p) => <input {...p} />}</Field>
      <Field label="Name" name="display_name" error={error}>{(p) => <input {...p} />}</Field>
    </>);
    const input = screen.getByLabelText("Redirect URIs");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("must be https").id).toBe(input.getAttribute("aria-describedby"));
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBeNull();
  });
});

describe("Confirm", () => {
  it("enables a typed confirmation only once the id is typed exactly", async () => {
    let confirmed = 0;
    render(<Confirm title="Delete tenant acme?" body="gone" confirmLabel="Delete tenant" typed="acme"
      onConfirm={() => { confirmed += 1; return Promise.resolve(); }} onClose={() => undefined} />);
    const button = screen.getByRole("button", { name: "Delete tenant" });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByRole("textbox"), { target: { value: "acm" } });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByRole("textbox"), { target: { value: "acme" } });
    fireEvent.click(button);
    await waitFor(() => expect(confirmed).toBe(1));
  });
});

describe("session", () => {
  it("restores the session with GET current and keeps no token in storage", async () => {
    answer((r) => r.url.endsWith("/api/v1/admin/sessions/current") ? json({ admin_user: PLATFORM })
      : json({ tenants: [], next_page_token: "" }));
    renderAt("/tenants", "restore");
    expect(await screen.findByRole("heading", { name: "Tenants" })).toBeTruthy();
    const current = requests.find((r) => r.url.endsWith("/api/v1/admin/sessions/current"));
    expect(current?.headers.get("x-binoauth-console")).toBe("1");
    expect(current?.headers.get("authorization")).toBeNull();
    expect(localStorage.length + sessionStorage.length).toBe(0);
  });

  it("sends an unauthenticated visitor to sign-in and signs in with the cookie session", async () => {
    answer((r) => {
      if (r.url.endsWith("/api/v1/admin/sessions/current")) return json({ error: { code: "UNAUTHENTICATED", message: "no", details: {}, timestamp: "", request_id: "" } }, 401);
      if (r.url.endsWith("/api/v1/admin/sessions")) return json({ admin_user: PLATFORM, expire_time: "x", idle_expire_time: "y" });
      return json({ tenants: [{ tenant_id: "acme", state: "TENANT_STATE_ACTIVE" }], next_page_token: "" });
    });
    renderAt("/tenants", "restore");
    fireEvent.change(await screen.findByLabelText("Email"), { target: { value: "root@example.com" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "pw" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("link", { name: "acme" })).toBeTruthy();
    const signIn = requests.find((r) => r.method === "POST" && r.url.endsWith("/api/v1/admin/sessions"));
    expect(await signIn?.clone().json()).toEqual({ email: "root@example.com", password: "pw" });
    expect(localStorage.length + sessionStorage.length).toBe(0);
  });
});

describe("tenants page", () => {
  it("pages with the server's page tokens and shows an empty state", async () => {
    answer((r) => {
      const token = new URL(r.url).searchParams.get("page_token");
      return token === "p2" ? json({ tenants: [{ tenant_id: "second", state: "TENANT_STATE_SUSPENDED" }], next_page_token: "" })
        : json({ tenants: [{ tenant_id: "first", state: "TENANT_STATE_ACTIVE" }], next_page_token: "p2" });
    });
    renderAt("/tenants");
    expect(await screen.findByRole("link", { name: "first" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByRole("link", { name: "second" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Resume" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Previous" }));
    expect(await screen.findByRole("link", { name: "first" })).toBeTruthy();
  });

  it("shows an API error next to the field it names", async () => {
    answer((r) => r.method === "POST"
      ? json({ error: { code: "INVALID_ARGUMENT", message: "tenant_id must be lower-case", details: { field: "tenant_id" }, timestamp: "", request_id: "q" } }, 400)
      : json({ tenants: [], next_page_token: "" }));
    renderAt("/tenants");
    expect(await screen.findByText(/No tenants yet/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Tenant id"), { target: { value: "BAD" } });
    fireEvent.click(screen.getByRole("button", { name: "Create tenant" }));
    const message = await screen.findByText("tenant_id must be lower-case");
    expect(message.getAttribute("data-field-error")).toBe("tenant_id");
  });

  it("hides what the admin's scopes cannot do", async () => {
    answer(() => json({ tenants: [{ tenant_id: "acme", state: "TENANT_STATE_ACTIVE" }], next_page_token: "" }));
    renderAt("/tenants", { ...PLATFORM, scopes: ["tenants:read"] });
    expect(await screen.findByRole("link", { name: "acme" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Create tenant" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Suspend" })).toBeNull();
  });
});

describe("analytics", () => {
  it("asks hourly for 24 h and daily for 7 d", () => {
    const now = new Date("2026-12-04T12:00:00Z");
    expect(windowOf("24h", now)).toEqual({ start: "2026-12-03T12:00:00.000Z", end: "2026-12-04T12:00:00.000Z", granularity: "HOUR" });
    expect(windowOf("7d", now).granularity).toBe("DAY");
    expect(windowOf("custom", now, "2026-11-01", "2026-11-02")).toEqual(
      { start: "2026-11-01T00:00:00.000Z", end: "2026-11-03T00:00:00.000Z", granularity: "DAY" });
  });

  it("turns int64 strings into chart series", () => {
    const view = chartsOf({ granularity: "DAY", buckets: [
      { start_time: "2026-12-01T00:00:00Z", sign_ins_succeeded: "3", sign_ins_failed: "1", tokens_issued: { authorization_code: "2" } },
      { start_time: "2026-12-02T00:00:00Z", sign_ins_succeeded: "5", sign_ins_failed: "0", tokens_issued: { authorization_code: "4" } },
    ] });
    expect(view.labels).toEqual(["12/1", "12/2"]);
    expect(view.charts[0]?.series[0]?.values).toEqual([3, 5]);
    expect(view.charts[2]?.series).toEqual([expect.objectContaining({ label: "authorization_code", values: [2, 4] })]);
  });
});

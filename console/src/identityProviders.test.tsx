import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { describe, expect, it } from "vitest";

import { routes } from "./App";
import { reordered } from "./pages/IdentityProviders";
import { SessionProvider } from "./session";
import { answer, json, requests } from "./test-fetch";

const ADMIN = { admin_user_id: "adm_1", email: "owner@acme.example", tenant_id: "acme",
  scopes: ["identity_providers:read", "identity_providers:write", "applications:read"] };
const GOOGLE = { provider_id: "google", provider_type: "PROVIDER_TYPE_GOOGLE", display_name: "Google", enabled: true,
  display_order: 10, client_id: "g-client", client_auth_method: "client_secret_basic", issuer: "https://accounts.google.com",
  scopes: ["openid", "email", "profile"], client_secret_set: true, callback_url: "https://id.example/tenant/acme/federation/google/callback",
  update_time: "2026-12-01T00:00:00Z" };
const CORP = { provider_id: "corp", provider_type: "PROVIDER_TYPE_OIDC", display_name: "Corp SSO", enabled: false,
  display_order: 20, client_id: "c-client", client_auth_method: "client_secret_basic", issuer: "https://sso.corp.example",
  scopes: ["openid", "email"], client_secret_set: true, icon_image: `/federation/corp/icon/${"a".repeat(32)}`,
  update_time: "2026-12-01T00:00:00Z" };
const PAGE = "/t/acme/identity-providers";

function renderAt(path: string, admin = ADMIN) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  return render(<SessionProvider initial={admin}><RouterProvider router={router} /></SessionProvider>);
}

function envelope(message: string, field: string) {
  return json({ error: { code: "INVALID_ARGUMENT", message, details: { field }, timestamp: "", request_id: "r-1" } }, 400);
}

async function bodyOf(request: Request | undefined): Promise<Record<string, unknown>> {
  return (await request?.clone().json()) as Record<string, unknown>;
}

const sent = (method: string, path: string) => requests.filter((r) => r.method === method && new URL(r.url).pathname === path);

describe("identity providers page", () => {
  it("lists the providers in button order with their state, and moves one down", async () => {
    answer((r) => r.method === "GET" ? json({ identity_providers: [GOOGLE, CORP] }) : json(GOOGLE));
    renderAt(PAGE);
    const table = await screen.findByRole("table", { name: /Identity providers/ });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell")[1]?.textContent)).toEqual(["Googlegoogle", "Corp SSOcorp"]);
    expect(within(rows[0] as HTMLElement).getByText("enabled")).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText("disabled")).toBeTruthy();
    // The uploaded icon comes from the tenant's own origin path, decorative next to the name.
    const icon = (rows[1] as HTMLElement).querySelector("img");
    expect(icon?.getAttribute("src")).toBe(`/tenant/acme/federation/corp/icon/${"a".repeat(32)}`);
    expect(icon?.getAttribute("alt")).toBe("");
    expect(screen.getByRole("button", { name: "Move Google up" }).hasAttribute("disabled")).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Move Google down" }));
    expect(await screen.findByText("Order saved.")).toBeTruthy();
    const patches = requests.filter((r) => r.method === "PATCH");
    expect(patches.map((r) => [new URL(r.url).pathname, new URL(r.url).searchParams.get("update_mask")])).toEqual([
      ["/api/v1/identityProviders/corp", "display_order"], ["/api/v1/identityProviders/google", "display_order"]]);
    expect(await bodyOf(patches[0])).toEqual({ display_order: 10 });
    expect(await bodyOf(patches[1])).toEqual({ display_order: 20 });
    expect(patches[0]?.headers.get("x-tenant-id")).toBe("acme");
  });

  it("creates Microsoft Entra ID for one organisation with a write-only secret", async () => {
    answer((r) => r.method === "POST" ? json({ ...GOOGLE, provider_id: "entra", provider_type: "PROVIDER_TYPE_MICROSOFT",
      display_name: "Microsoft", callback_url: "https://id.example/tenant/acme/federation/entra/callback" })
      : json({ identity_providers: [GOOGLE] }));
    renderAt(PAGE);
    fireEvent.click(await screen.findByRole("button", { name: "Add a provider" }));
    fireEvent.change(screen.getByLabelText("Provider"), { target: { value: "PROVIDER_TYPE_MICROSOFT" } });
    fireEvent.change(screen.getByLabelText("Provider id"), { target: { value: "entra" } });
    fireEvent.click(screen.getByLabelText("Only my organisation (its Entra tenant id)"));
    fireEvent.change(screen.getByLabelText("Entra tenant id"), { target: { value: "9188040d-6c67-4c5b-b112-36a304b66dad" } });
    fireEvent.change(screen.getByLabelText("Client id"), { target: { value: "ms-client" } });
    const secret = screen.getByLabelText("Client secret");
    expect(secret.getAttribute("type")).toBe("password");
    fireEvent.change(secret, { target: { value: "s3cret" } });
    fireEvent.change(screen.getByLabelText("Allowed email domains"), { target: { value: "acme.example\nacme.test" } });
    fireEvent.click(screen.getByRole("button", { name: "Add provider" }));
    expect(await screen.findByText(/Microsoft added\. Register its callback URL/)).toBeTruthy();
    const body = await bodyOf(sent("POST", "/api/v1/identityProviders")[0]);
    expect(body).toMatchObject({ provider_id: "entra", provider_type: "PROVIDER_TYPE_MICROSOFT", client_id: "ms-client",
      client_secret: "s3cret", issuer: "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
      allowed_email_domains: ["acme.example", "acme.test"], display_order: 20, enabled: true });
    expect(body).not.toHaveProperty("icon_image");
  });

  it("creates Apple with its private key, key id and team id instead of a secret", async () => {
    answer((r) => r.method === "POST" ? json({ ...GOOGLE, provider_id: "apple", display_name: "Apple" })
      : json({ identity_providers: [] }));
    renderAt(PAGE);
    expect(await screen.findByText(/No identity providers yet/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Add a provider" }));
    fireEvent.change(screen.getByLabelText("Provider"), { target: { value: "PROVIDER_TYPE_APPLE" } });
    expect(screen.queryByLabelText("Client secret")).toBeNull();
    fireEvent.change(screen.getByLabelText("Provider id"), { target: { value: "apple" } });
    fireEvent.change(screen.getByLabelText("Services id (client id)"), { target: { value: "com.acme.web" } });
    fireEvent.change(screen.getByLabelText("Private key (.p8, PEM)"), { target: { value: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----" } });
    fireEvent.change(screen.getByLabelText("Key id"), { target: { value: "KEY123" } });
    fireEvent.change(screen.getByLabelText("Team id"), { target: { value: "TEAM42" } });
    fireEvent.click(screen.getByRole("button", { name: "Add provider" }));
    await waitFor(() => expect(sent("POST", "/api/v1/identityProviders")).toHaveLength(1));
    const body = await bodyOf(sent("POST", "/api/v1/identityProviders")[0]);
    expect(body).toMatchObject({ provider_type: "PROVIDER_TYPE_APPLE", key_id: "KEY123", team_id: "TEAM42", issuer: "" });
    expect(body.private_key).toContain("BEGIN PRIVATE KEY");
    expect(body).not.toHaveProperty("client_secret");
  });

  it("shows the API's error next to the field it names", async () => {
    answer((r) => r.method === "POST" ? envelope("issuer must be an https URL", "issuer") : json({ identity_providers: [] }));
    renderAt(PAGE);
    fireEvent.click(await screen.findByRole("button", { name: "Add a provider" }));
    fireEvent.change(screen.getByLabelText("Provider"), { target: { value: "PROVIDER_TYPE_OIDC" } });
    fireEvent.change(screen.getByLabelText("Provider id"), { target: { value: "corp" } });
    fireEvent.change(screen.getByLabelText("Button label"), { target: { value: "Corp SSO" } });
    fireEvent.change(screen.getByLabelText("Issuer"), { target: { value: "https://sso.corp.example" } });
    fireEvent.change(screen.getByLabelText("Client id"), { target: { value: "c" } });
    fireEvent.change(screen.getByLabelText("Client secret"), { target: { value: "s" } });
    fireEvent.click(screen.getByRole("button", { name: "Add provider" }));
    const message = await screen.findByText("issuer must be an https URL");
    expect(message.getAttribute("data-field-error")).toBe("issuer");
    expect(screen.getByLabelText("Issuer").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("refuses an SVG icon before upload and sends a PNG as a data URL", async () => {
    answer((r) => r.method === "POST" ? json({ ...CORP }) : json({ identity_providers: [] }));
    renderAt(PAGE);
    fireEvent.click(await screen.findByRole("button", { name: "Add a provider" }));
    fireEvent.change(screen.getByLabelText("Provider"), { target: { value: "PROVIDER_TYPE_OIDC" } });
    const file = screen.getByLabelText("Upload an icon");
    fireEvent.change(file, { target: { files: [new File(["<svg onload='x'/>"], "i.svg", { type: "image/svg+xml" })] } });
    expect((await screen.findByText(/SVG is not accepted/)).getAttribute("data-field-error")).toBe("icon_image");
    expect(screen.getByRole("button", { name: "Add provider" }).hasAttribute("disabled")).toBe(true);
    fireEvent.change(file, { target: { files: [new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], "i.png", { type: "image/png" })] } });
    const preview = await screen.findByAltText("Current icon");
    expect(preview.getAttribute("src")).toBe("data:image/png;base64,iVBORw==");
    fireEvent.change(screen.getByLabelText("Provider id"), { target: { value: "corp" } });
    fireEvent.change(screen.getByLabelText("Button label"), { target: { value: "Corp SSO" } });
    fireEvent.change(screen.getByLabelText("Issuer"), { target: { value: "https://sso.corp.example" } });
    fireEvent.change(screen.getByLabelText("Client id"), { target: { value: "c" } });
    fireEvent.change(screen.getByLabelText("Client secret"), { target: { value: "s" } });
    fireEvent.click(screen.getByRole("button", { name: "Add provider" }));
    await waitFor(() => expect(sent("POST", "/api/v1/identityProviders")).toHaveLength(1));
    expect((await bodyOf(sent("POST", "/api/v1/identityProviders")[0])).icon_image).toBe("data:image/png;base64,iVBORw==");
  });

  it("edits with an update mask of what changed; the stored secret is never shown", async () => {
    answer((r) => r.method === "GET" ? json({ identity_providers: [GOOGLE, CORP] }) : json(CORP));
    renderAt(PAGE);
    fireEvent.click(await screen.findByRole("button", { name: "Edit Corp SSO" }));
    expect(screen.getByText(/Callback URL to register/)).toBeTruthy();
    const secret = screen.getByLabelText<HTMLInputElement>("Client secret");
    expect(secret.value).toBe("");
    expect(secret.required).toBe(false);
    expect(document.body.textContent).not.toContain("c-secret");
    fireEvent.change(screen.getByLabelText("Button label"), { target: { value: "Corp" } });
    fireEvent.click(screen.getByLabelText(/Trust the provider's multi-factor/));
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Corp SSO saved.")).toBeTruthy();
    const patch = sent("PATCH", "/api/v1/identityProviders/corp")[0];
    expect(new URL(patch?.url ?? "").searchParams.get("update_mask")).toBe("display_name,trust_upstream_mfa");
    expect(await bodyOf(patch)).toEqual({ display_name: "Corp", trust_upstream_mfa: true });
  });

  it("enables, and deletes only after the provider id is typed", async () => {
    answer((r) => r.method === "GET" ? json({ identity_providers: [GOOGLE, CORP] }) : r.method === "DELETE" ? json({}) : json(CORP));
    renderAt(PAGE);
    fireEvent.click(await screen.findByRole("button", { name: "Enable Corp SSO" }));
    await waitFor(() => expect(sent("POST", "/api/v1/identityProviders/corp:enable")).toHaveLength(1));
    fireEvent.click(screen.getByRole("button", { name: "Delete Corp SSO" }));
    const dialog = screen.getByRole("dialog");
    const confirm = within(dialog).getByRole("button", { name: "Delete provider" });
    expect(confirm.hasAttribute("disabled")).toBe(true);
    expect(sent("DELETE", "/api/v1/identityProviders/corp")).toHaveLength(0);
    fireEvent.change(within(dialog).getByRole("textbox"), { target: { value: "corp" } });
    fireEvent.click(confirm);
    await waitFor(() => expect(sent("DELETE", "/api/v1/identityProviders/corp")).toHaveLength(1));
  });

  it("is hidden without identity_providers:read and read-only without :write", async () => {
    answer((r) => new URL(r.url).pathname === "/api/v1/identityProviders" ? json({ identity_providers: [GOOGLE] })
      : json({ applications: [], next_page_token: "" }));
    const view = renderAt("/t/acme/applications", { ...ADMIN, scopes: ["applications:read"] });
    expect(await screen.findByRole("heading", { name: "Applications" })).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Identity providers" })).toBeNull();
    view.unmount();
    renderAt(PAGE, { ...ADMIN, scopes: ["identity_providers:read"] });
    expect(await screen.findByRole("link", { name: "Identity providers" })).toBeTruthy();
    expect(await screen.findByText("Read only")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Add a provider" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Move|Edit|Delete|Disable/ })).toBeNull();
  });
});

describe("reordered", () => {
  it("renumbers in the new order and sends only what changed", () => {
    const list = [{ provider_id: "a", display_order: 10 }, { provider_id: "b", display_order: 20 }, { provider_id: "c", display_order: 30 }];
    expect(reordered(list, 2, -1)).toEqual([{ provider_id: "c", display_order: 20 }, { provider_id: "b", display_order: 30 }]);
    expect(reordered(list, 0, -1)).toEqual([]);
    expect(reordered([{ provider_id: "x", display_order: 0 }, { provider_id: "y", display_order: 0 }], 0, 1))
      .toEqual([{ provider_id: "y", display_order: 10 }, { provider_id: "x", display_order: 20 }]);
  });
});

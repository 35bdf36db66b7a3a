import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { apiError, createAdminClient, errorField } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));

function recorder(status = 200, body: unknown = {}) {
  const seen: Request[] = [];
  const fetch = async (request: Request) => {
    seen.push(request);
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { seen, fetch };
}

describe("createAdminClient", () => {
  it("sends the console header, no Authorization, and same-origin credentials", async () => {
    const { seen, fetch } = recorder(200, { tenants: [], next_page_token: "" });
    const client = createAdminClient({ baseUrl: "http://api.test", console: true, fetch });
    const { data } = await client.GET("/api/v1/tenants", { params: { query: { page_size: 5 } } });
    expect(data?.tenants).toEqual([]);
    const request = seen[0]!;
    expect(request.url).toBe("http://api.test/api/v1/tenants?page_size=5");
    expect(request.headers.get("x-binoauth-console")).toBe("1");
    expect(request.headers.get("authorization")).toBeNull();
    expect(request.credentials).toBe("same-origin");
  });

  it("selects a tenant with X-Tenant-ID and fills path parameters", async () => {
    const { seen, fetch } = recorder(200, {});
    const client = createAdminClient({ baseUrl: "http://api.test", console: true, tenantId: "acme", fetch });
    await client.POST("/api/v1/users/{user_id}:disable", { params: { path: { user_id: "usr_1" } }, body: {} });
    expect(seen[0]!.url).toBe("http://api.test/api/v1/users/usr_1:disable");
    expect(seen[0]!.headers.get("x-tenant-id")).toBe("acme");
  });

  it("refuses a console client with an API key", () => {
    expect(() => createAdminClient({ console: true, apiKey: "bino_x" })).toThrow();
  });

  it("returns the error envelope and the field it names", async () => {
    const envelope = { error: { code: "INVALID_ARGUMENT", message: "bad uri", details: { field: "redirect_uris" },
                                timestamp: "2026-01-01T00:00:00Z", request_id: "r1" } };
    const { fetch } = recorder(400, envelope);
    const client = createAdminClient({ baseUrl: "http://api.test", console: true, fetch });
    const { error, response } = await client.POST("/api/v1/applications", {
      body: { display_name: "x", client_type: "CLIENT_TYPE_PUBLIC" },
    });
    expect(response.status).toBe(400);
    const parsed = apiError(error, response.status);
    expect(parsed.code).toBe("INVALID_ARGUMENT");
    expect(errorField(parsed)).toBe("redirect_uris");
  });

  it("synthesises an error for a non-envelope body", () => {
    expect(apiError("<html>", 502).code).toBe("HTTP_502");
    expect(apiError(undefined).code).toBe("NETWORK_ERROR");
  });
});

describe("generated schema", () => {
  it("is up to date with openapi/openapi.json (run `npm run generate -w sdks/admin`)", () => {
    const out = join(mkdtempSync(join(tmpdir(), "binoauth-schema-")), "schema.d.ts");
    const cli = join(here, "..", "..", "..", "node_modules", "openapi-typescript", "bin", "cli.js");
    execFileSync(process.execPath, [cli, join(here, "..", "..", "..", "openapi", "openapi.json"), "--output", out],
                 { stdio: "pipe" });
    expect(readFileSync(join(here, "..", "src", "schema.d.ts"), "utf8")).toBe(readFileSync(out, "utf8"));
  }, 60_000); // a whole openapi-typescript run: ~1 s alone, far more on a loaded CI machine
});

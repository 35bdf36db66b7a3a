/**
 * The console's only way to the API: @binoauth/admin's generated client with the console
 * header (the HttpOnly session cookie authenticates; no token ever reaches this code).
 */
import { apiError, createAdminClient, type AdminClient, type ApiError, type Schemas } from "@binoauth/admin";

export type { ApiError, Schemas };
export type Tenant = Schemas["binoauth.tenant.v1.Tenant"];
export type AdminUser = Schemas["binoauth.tenant.v1.AdminUser"];
export type Application = Schemas["binoauth.token.v1.Application"];
export type User = Schemas["binoauth.identity.v1.User"];
export type ApiKey = Schemas["binoauth.tenant.v1.ApiKey"];
export type SigningKey = Schemas["binoauth.token.v1.SigningKey"];
export type SecurityEvent = Schemas["binoauth.identity.v1.Event"];
export type Session = Schemas["binoauth.session.v1.Session"];
export type Consent = Schemas["binoauth.token.v1.Consent"];
export type Analytics = Schemas["binoauth.identity.v1.Analytics"];
export type IdentityProvider = Schemas["binoauth.identity.v1.IdentityProvider"];
export type AnalyticsBucket = Schemas["binoauth.identity.v1.AnalyticsBucket"];

/** An API error carried as an exception, so pages can `try { await call(...) }`. */
export class ApiFailure extends Error {
  constructor(readonly error: ApiError, readonly status?: number) {
    super(error.message);
  }
}

let onUnauthorized: () => void = () => undefined;
/** Called when any answer is 401 (the session ended: idle or absolute timeout, or sign-out elsewhere). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

function withSessionWatch(client: AdminClient): AdminClient {
  client.use({
    onResponse({ response, request }) {
      if (response.status === 401 && !request.url.includes("/api/v1/admin/sessions")) onUnauthorized();
      return undefined;
    },
  });
  return client;
}

/** Platform-level and own-tenant calls. */
// The page's own origin (explicit, so that the same code runs under jsdom in the unit tests).
const baseUrl = globalThis.location.origin;

export const api: AdminClient = withSessionWatch(createAdminClient({ console: true, baseUrl }));

const tenantClients = new Map<string, AdminClient>();
/** Calls on one tenant's resources (X-Tenant-ID; a tenant administrator's own tenant is the same). */
export function tenantApi(tenantId: string): AdminClient {
  let client = tenantClients.get(tenantId);
  if (!client) {
    client = withSessionWatch(createAdminClient({ console: true, baseUrl, tenantId }));
    tenantClients.set(tenantId, client);
  }
  return client;
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an ApiFailure with the error envelope (or a synthetic one). */
export async function call<T>(request: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await request;
  } catch {
    throw new ApiFailure(apiError(undefined));
  }
  if (!result.response.ok || result.error !== undefined) {
    throw new ApiFailure(apiError(result.error, result.response.status), result.response.status);
  }
  return result.data as T;
}

export function failureOf(thrown: unknown): ApiError {
  return thrown instanceof ApiFailure ? thrown.error : apiError(undefined);
}

/** Words a person understands for the codes that do not explain themselves. */
export function describe(error: ApiError): string {
  switch (error.code) {
    case "PERMISSION_DENIED":
    case "MISSING_SCOPE":
      return `You are not allowed to do this. ${error.message}`;
    case "UNAUTHENTICATED":
      return "Your session has ended. Please sign in again.";
    case "NETWORK_ERROR":
      return "The server could not be reached. Check your connection and try again.";
    case "RESOURCE_EXHAUSTED":
    case "RATE_LIMITED":
      return "Too many requests. Wait a moment and try again.";
    default:
      return error.message;
  }
}

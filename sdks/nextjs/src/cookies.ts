/**
 * Encrypted cookies (JWE, `dir` + A256GCM, jose): the browser holds the session but can
 * neither read nor change it, and the server keeps no session store. The key is derived from
 * the application's secret; a cookie that does not decrypt, or has expired, is no session.
 */
import { EncryptJWT, jwtDecrypt, type JWTPayload } from "jose";

export interface CookieOptions {
  name: string;
  maxAgeSeconds: number;
  path: string;
  secure: boolean;
}

export async function deriveKey(secret: string): Promise<Uint8Array> {
  if (secret.length < 32) throw new TypeError("the session secret must be at least 32 characters");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`binoauth-nextjs-session:${secret}`));
  return new Uint8Array(digest);
}

export async function seal(payload: JWTPayload, key: Uint8Array, maxAgeSeconds: number): Promise<string> {
  return new EncryptJWT(payload).setProtectedHeader({ alg: "dir", enc: "A256GCM" }).setIssuedAt()
    .setExpirationTime(`${maxAgeSeconds}s`).encrypt(key);
}

export async function unseal<T>(value: string | undefined, key: Uint8Array): Promise<T | undefined> {
  if (!value) return undefined;
  try {
    const { payload } = await jwtDecrypt(value, key, { keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256GCM"] });
    return payload as T;
  } catch {
    return undefined; // tampered, from another secret, or expired
  }
}

/** A `Set-Cookie` value: HttpOnly (no script reads it), SameSite=Lax (sent on the way back from sign-in). */
export function serialize(options: CookieOptions, value: string): string {
  const parts = [`${options.name}=${value}`, `Path=${options.path}`, "HttpOnly", "SameSite=Lax",
    `Max-Age=${value ? options.maxAgeSeconds : 0}`];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/** One cookie from a `Cookie` header. */
export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

import { decodeJwt, jwtVerify, SignJWT, errors as joseErrors } from "jose";

const ISSUER = "weft";
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const MFA_TOKEN_TTL_SECONDS = 5 * 60;

type TokenType = "access" | "mfa" | "simulator-portal";
export interface AccessClaims {
  sub: string;
  sid: string;
  typ: "access";
}
export interface MfaClaims {
  sub: string;
  typ: "mfa";
  ip_hash?: string;
}

/**
 * The HMAC key of a secret, imported once per isolate: jose imports a raw (Uint8Array) key with
 * crypto.subtle.importKey on every sign and verify; a CryptoKey is used as it is. A failed import is
 * not kept. Few secrets ever pass here (JWT_SECRET); the map is bounded anyway.
 */
const keyCache = new Map<string, Promise<CryptoKey>>();
function key(secret: string): Promise<CryptoKey> {
  let k = keyCache.get(secret);
  if (!k) {
    if (keyCache.size >= 16) keyCache.clear();
    k = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keyCache.set(secret, k);
    k.catch(() => keyCache.delete(secret));
  }
  return k;
}

async function sign(claims: Record<string, unknown>, typ: TokenType, ttl: number, secret: string): Promise<string> {
  return new SignJWT({ ...claims, typ })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(`weft:${typ}`)
    .setIssuedAt()
    .setExpirationTime(`${ttl}s`)
    .sign(await key(secret));
}

export const signAccessToken = (userId: string, sessionId: string, secret: string) =>
  sign({ sub: userId, sid: sessionId }, "access", ACCESS_TOKEN_TTL_SECONDS, secret);

export const signMfaToken = (userId: string, secret: string) => sign({ sub: userId }, "mfa", MFA_TOKEN_TTL_SECONDS, secret);

/** Verifies signature (HS256 only: `none` and other algs are refused), issuer, audience and expiry. */
async function verify<T>(token: string, typ: TokenType, secret: string): Promise<T | null> {
  try {
    const { payload } = await jwtVerify(token, await key(secret), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: `weft:${typ}`,
    });
    if (payload.typ !== typ || typeof payload.sub !== "string") return null;
    return payload as T;
  } catch (e) {
    if (e instanceof joseErrors.JOSEError) return null;
    throw e;
  }
}

/** The payment simulator's customer-portal session: one workspace (`sub`), short-lived. */
export const signPortalSession = (tenantId: string, ttlSeconds: number, secret: string) =>
  sign({ sub: tenantId }, "simulator-portal", ttlSeconds, secret);
export const verifyPortalSession = (token: string, secret: string) => verify<{ sub: string }>(token, "simulator-portal", secret);

/**
 * Verified access tokens, per isolate: a token is verified once (signature, issuer, audience) and
 * its claims reused until it expires, instead of re-parsing and re-hashing it on every request (it
 * was ~5 % of a scoped request's CPU). Only tokens that passed verification are kept, keyed by the
 * whole token string (any change to it misses), together with the secret they were checked against;
 * expiry is re-checked on every hit. Session revocation is unaffected: the session row is still read
 * on each request. Bounded; the oldest entries go first.
 */
const VERIFIED_MAX = 5000;
const verified = new Map<string, { claims: AccessClaims; exp: number; secret: string }>();

export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | null> {
  const hit = verified.get(token);
  if (hit && hit.secret === secret) {
    if (hit.exp * 1000 > Date.now()) return hit.claims;
    verified.delete(token);
    return null;
  }
  const claims = await verify<AccessClaims & { exp?: number }>(token, "access", secret);
  if (claims && typeof claims.exp === "number") {
    const oldest = verified.keys().next();
    if (verified.size >= VERIFIED_MAX && !oldest.done) verified.delete(oldest.value);
    verified.set(token, { claims, exp: claims.exp, secret });
  }
  return claims;
}
export const verifyMfaToken = (token: string, secret: string) => verify<MfaClaims>(token, "mfa", secret);

/**
 * End-user (portal) access tokens: a workspace's own customers (modules/endusers). Their audience
 * names the workspace — `weft-enduser:<tenantId>` — so a token verifies only on that workspace's
 * portal routes, and never as a staff `weft:access` token (platform/auth.ts refuses it on /api/v1).
 */
export const END_USER_AUDIENCE_PREFIX = "weft-enduser:";
export interface EndUserClaims {
  sub: string; // end user id
  sid: string; // end-user session id
  tid: string; // workspace id
  typ: "enduser";
}

export const signEndUserToken = async (endUserId: string, sessionId: string, tenantId: string, secret: string) =>
  new SignJWT({ sub: endUserId, sid: sessionId, tid: tenantId, typ: "enduser" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(`${END_USER_AUDIENCE_PREFIX}${tenantId}`)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(await key(secret));

/** Verified end-user tokens, per isolate, as `verified` keeps staff ones (same rules: whole token, secret and workspace must match; expiry re-checked on every hit; the session row is still read on each request). */
const verifiedEndUser = new Map<string, { claims: EndUserClaims; exp: number; secret: string; tenantId: string }>();

/** Null unless the token is an unexpired end-user token of exactly this workspace (HS256 only). */
export async function verifyEndUserToken(token: string, tenantId: string, secret: string): Promise<EndUserClaims | null> {
  const hit = verifiedEndUser.get(token);
  if (hit && hit.secret === secret && hit.tenantId === tenantId) {
    if (hit.exp * 1000 > Date.now()) return hit.claims;
    verifiedEndUser.delete(token);
    return null;
  }
  const claims = await verifyEndUserTokenOnce(token, tenantId, secret);
  const exp = (claims as { exp?: unknown } | null)?.exp;
  if (claims && typeof exp === "number") {
    const oldest = verifiedEndUser.keys().next();
    if (verifiedEndUser.size >= VERIFIED_MAX && !oldest.done) verifiedEndUser.delete(oldest.value);
    verifiedEndUser.set(token, { claims, exp, secret, tenantId });
  }
  return claims;
}

async function verifyEndUserTokenOnce(token: string, tenantId: string, secret: string): Promise<EndUserClaims | null> {
  try {
    const { payload } = await jwtVerify(token, await key(secret), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: `${END_USER_AUDIENCE_PREFIX}${tenantId}`,
    });
    if (payload.typ !== "enduser" || typeof payload.sub !== "string" || typeof payload.sid !== "string" || payload.tid !== tenantId)
      return null;
    return payload as unknown as EndUserClaims;
  } catch (e) {
    if (e instanceof joseErrors.JOSEError) return null;
    throw e;
  }
}

/** Whether a token claims to be an end-user token (unverified peek, only to word a refusal). */
export function looksLikeEndUserToken(token: string): boolean {
  try {
    const aud = decodeJwt(token).aud;
    const auds = Array.isArray(aud) ? aud : [aud];
    return auds.some((a) => typeof a === "string" && a.startsWith(END_USER_AUDIENCE_PREFIX));
  } catch {
    return false;
  }
}

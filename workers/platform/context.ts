import type { Role } from "../../schema/tenancy";
import type { PendingAccess } from "./auth";
import type { Env } from "./env";

/** Who is calling: a signed-in user (JWT) or a tenant-bound API key. */
export type Principal =
  | { kind: "user"; userId: string; sessionId: string }
  | { kind: "api_key"; keyId: string; tenantId: string; scopes: string[] };

/** A workspace's end user (portal customer) signed in on an end-user route (platform/end-users.ts). */
export interface EndUserPrincipal {
  id: string;
  tenantId: string;
  sessionId: string;
  email: string;
  name: string;
  emailVerified: boolean;
}

/** The workspace a request acts in, established by requireTenant. */
export interface TenantContext {
  id: string;
  role: Role | null; // null for API keys, which carry scopes instead
}

export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    principal: Principal;
    tenant: TenantContext;
    endUser: EndUserPrincipal;
    /** Set by the access middleware for a batchAccess route whose access tenantRead checks (platform/auth.ts). */
    pendingAccess: PendingAccess;
  };
};

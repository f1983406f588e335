import { createRoute, OpenAPIHono, z, type RouteConfig } from "@hono/zod-openapi";
import type { AppEnv } from "./context";
import { accessMiddleware, type Access } from "./auth";
import { validationFailed, zodIssues } from "./errors";

/** Every module builds its routes on this: zod failures become 400 problem+json. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationFailed(zodIssues(result.error));
    },
  });
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export const problemDoc = (description: string) => ({ description, content: { "application/problem+json": { schema: problemSchema } } });

function standardErrors(access: Access) {
  const errors: Record<number, ReturnType<typeof problemDoc>> = {
    400: problemDoc("The request is malformed or fails validation"),
    429: problemDoc("Rate limited; see Retry-After"),
  };
  if (access.auth !== "public") errors[401] = problemDoc("Not authenticated");
  if (access.auth === "enduser") {
    errors[403] = problemDoc("The end user is blocked, or the site turned customer accounts off");
    errors[404] = problemDoc("No such portal");
  }
  if (access.auth === "tenant") {
    errors[403] = problemDoc("The role or API key scope does not allow this");
    errors[404] = problemDoc("Not found in this workspace");
  }
  return errors;
}

/**
 * Defines a route with its access rule. The rule becomes middleware (so it cannot be forgotten)
 * and `x-weft-access` / `x-weft-permission` in the OpenAPI document, which the tenant-isolation
 * and role-matrix suites enumerate.
 */
export function defineRoute<const R extends Omit<RouteConfig, "middleware">>(access: Access, config: R) {
  const tenantParam =
    access.auth === "tenant"
      ? [
          {
            name: "X-Tenant-ID",
            in: "header" as const,
            required: false,
            schema: { type: "string" as const },
            description: "Workspace id (required for user tokens; API keys imply it)",
          },
        ]
      : [];
  return createRoute({
    ...config,
    middleware: accessMiddleware(access),
    security: access.auth === "public" ? [] : [{ bearer: [] }],
    parameters: [...((config as { parameters?: unknown[] }).parameters ?? []), ...tenantParam],
    responses: { ...standardErrors(access), ...config.responses },
    "x-weft-access": access.auth,
    ...(access.auth === "tenant" && access.permission ? { "x-weft-permission": access.permission } : {}),
  } as R & { middleware: ReturnType<typeof accessMiddleware> });
}

export const jsonBody = <T extends z.ZodType>(schema: T, description = "Request body") => ({
  body: { required: true, description, content: { "application/json": { schema } } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const noContent = { description: "Done; no content" } as const;

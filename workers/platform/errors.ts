import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import { logger } from "./logger";

/** RFC 9457 problem details. `type` is a stable identifier clients may switch on. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  request_id?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

const TYPE_BASE = "https://weft.dev/problems/";

export class Problem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
  toBody(instance?: string, requestId?: string): ProblemBody {
    return {
      type: TYPE_BASE + this.slug,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...(requestId ? { request_id: requestId } : {}),
      ...this.extensions,
    };
  }
}

export const badRequest = (detail: string, ext?: Record<string, unknown>) => new Problem(400, "bad-request", "Bad request", detail, ext);
export const validationFailed = (errors: { path: string; message: string }[]) =>
  new Problem(400, "validation-failed", "Your request is not valid", errors.map((e) => `${e.path || "body"}: ${e.message}`).join("; "), {
    errors,
  });
export const unauthorized = (detail = "Sign in to continue.") =>
  new Problem(401, "unauthorized", "Not authenticated", detail, {}, { "WWW-Authenticate": 'Bearer realm="weft"' });
export const forbidden = (detail = "Your role does not allow this.") => new Problem(403, "forbidden", "Forbidden", detail);
export const notFound = (what = "Resource") => new Problem(404, "not-found", "Not found", `${what} was not found.`);
export const conflict = (detail: string, slug = "conflict") => new Problem(409, slug, "Conflict", detail);
export const gone = (detail: string) => new Problem(410, "gone", "Gone", detail);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new Problem(
    429,
    "rate-limited",
    "Too many requests",
    `Slow down and retry in ${retryAfterSeconds} seconds.`,
    { retry_after: retryAfterSeconds },
    { "Retry-After": String(retryAfterSeconds) },
  );

export function zodIssues(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

export function problemResponse(c: Context, problem: Problem): Response {
  const body = problem.toBody(new URL(c.req.url).pathname, c.get("requestId") as string | undefined);
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "Content-Type": "application/problem+json", ...problem.headers },
  });
}

/** Hono onError: every failure leaves as problem+json; unknown errors are logged 500s. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof Problem) return problemResponse(c, err);
  if (err instanceof ZodError) return problemResponse(c, validationFailed(zodIssues(err)));
  if (err instanceof HTTPException) {
    // Hono raises these for malformed bodies (e.g. invalid JSON).
    const status = err.status as ContentfulStatusCode;
    const slug = status === 400 ? "bad-request" : `http-${status}`;
    return problemResponse(c, new Problem(status, slug, err.message || "Request failed", err.message));
  }
  logger(c).error("unhandled_error", { error: err.message, stack: err.stack });
  return problemResponse(c, new Problem(500, "internal", "Internal error", "Something went wrong on our side; it has been logged."));
}

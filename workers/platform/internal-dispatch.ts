import type { Env } from "./env";

/**
 * The app's own fetch, for code that must call a route exactly as a client would (the assistant runs
 * its tools through the real routes, so role, API-key scope, plan and validation checks are the
 * route's own). The composition root (workers/index.ts) sets it once with `app.fetch`; modules never
 * import the app (that would be a cycle). Unset → throws, never skips.
 */
export type InternalDispatcher = (req: Request, env: Env, ctx?: ExecutionContext) => Promise<Response>;

let dispatcher: InternalDispatcher | null = null;

export function setInternalDispatcher(fn: InternalDispatcher): void {
  dispatcher = fn;
}

export function internalDispatch(req: Request, env: Env, ctx?: ExecutionContext): Promise<Response> {
  if (!dispatcher) throw new Error("internal dispatcher not set: workers/index.ts calls setInternalDispatcher(app.fetch)");
  return dispatcher(req, env, ctx);
}

import { callJson } from "./helpers";

export interface RouteInfo {
  method: string;
  path: string; // OpenAPI form: /api/v1/members/{userId}
  key: string; // "PATCH /api/v1/members/{userId}"
  access: "public" | "user" | "tenant" | "enduser";
  permission?: string;
}

/** The registered routes, read from the generated OpenAPI document (the route table). */
export async function routeTable(): Promise<RouteInfo[]> {
  const { body: doc } = await callJson("/api/v1/openapi.json");
  const routes: RouteInfo[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(item)) {
      routes.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        access: op["x-weft-access"],
        permission: op["x-weft-permission"],
      });
    }
  }
  return routes;
}

/** Fills `{param}` placeholders. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? `zzz_${name}_00000000000000000000`));
}

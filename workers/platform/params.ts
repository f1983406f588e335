import { z } from "@hono/zod-openapi";

/** Path parameters `{name}`: an id (1–64 characters) with an example for the OpenAPI document. */
export const idParam = (name: string, example: string) =>
  z.object({
    [name]: z
      .string()
      .min(1)
      .max(64)
      .openapi({ param: { name, in: "path" }, example }),
  });

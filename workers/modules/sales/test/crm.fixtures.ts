import { env } from "cloudflare:workers";
import { getDb } from "../../../platform/db";

// Shared by the crm-*.test.ts files (the request helpers are in crm-helpers.ts).
export const db = () => getDb(env.DB);

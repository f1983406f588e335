import { integer, text } from "drizzle-orm/sqlite-core";

/** Shared column builders: ids are prefixed text, times are epoch milliseconds. */
export const id = () => text("id").primaryKey();
export const tenantId = () => text("tenant_id").notNull();
export const createdAt = () => integer("created_at").notNull();
export const updatedAt = () => integer("updated_at").notNull();
export const timestamp = (name: string) => integer(name);

import { numeric, timestamp, uuid } from "drizzle-orm/pg-core";

/** Money and quantities: exact decimals, read as strings. Never floats. */
export const decimal = (name: string) => numeric(name, { precision: 38, scale: 12 });
export const money = (name: string) => numeric(name, { precision: 20, scale: 4 });
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
export const createdAt = () => ts("created_at").notNull().defaultNow();
export const id = () => uuid("id").notNull().defaultRandom();
export const tenantId = () => uuid("tenant_id").notNull();

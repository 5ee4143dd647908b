import { sql } from "drizzle-orm";
import { integer, text } from "drizzle-orm/sqlite-core";

/** Milliseconds since the epoch, read and written as a Date. The name stays a literal type, as drizzle's own builders keep it. */
export const instant = <Name extends string>(name: Name) => integer(name, { mode: "timestamp_ms" });
/** created_at, set by D1 when a row is inserted. */
export const createdAt = () => instant("created_at").notNull().default(sql`(unixepoch('subsec') * 1000)`);

/** Translations of a user-written text (a title, a name) into the languages other than English, each optional. */
export type Translations = { ar?: string; ckb?: string };
/** A JSON column of Translations; null when none were given. */
export const translations = <Name extends string>(name: Name) => text(name, { mode: "json" }).$type<Translations>();

// The D1 tables, one file per concern; drizzle-kit reads them all through this file.
export * from "./alerts";
export * from "./channels";
export type { Translations } from "./columns";
export * from "./cron";
export * from "./incidents";
export * from "./milestones";
export * from "./optins";
export * from "./pages";
export * from "./zones";

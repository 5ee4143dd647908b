// What other features may use of status: the status of a scope (a situation page's tags and
// zones) as JSON and as the status page, remembered per scope, and its schema and example.
export { statusExample, statusPageExample } from "./examples";
export type { PageHeading } from "./page";
export { Status } from "./schema";
export { cachedStatus, type KeyedScope, statusPageHtml } from "./view";

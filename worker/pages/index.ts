// What other features may use of pages: the input shape (the seed creates one through the API).
export type { CreatePageInput } from "./schema";

// What other features may use of milestones: the input shape (seed) and the example (status).
export { milestoneExample } from "./examples";
export type { CreateMilestoneInput } from "./schema";

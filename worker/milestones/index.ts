// What other features may use of milestones: the input shape (seed), the example (status), and
// where a milestone stands (status page, feeds).
export { milestoneExample } from "./examples";
export type { CreateMilestoneInput } from "./schema";
export { MILESTONE_STATES, type MilestoneState, milestoneState, OUTCOME_LABELS } from "./state";

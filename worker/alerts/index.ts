// What other features may use of alerts: when a milestone must next be looked at, and the queue's state.

export { alertQueueStats } from "./ledger";
export { EMPTY_LEDGER, nextCheckAt } from "./planner";

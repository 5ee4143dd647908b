// What other features may use of alerts: when a milestone must next be looked at, the queue's
// state, and the channels' health.

export { channelHealth } from "./channels/queries";
export { alertQueueStats } from "./ledger";
export { EMPTY_LEDGER, nextCheckAt } from "./planner";

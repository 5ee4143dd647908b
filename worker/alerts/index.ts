// What other features may use of alerts: when a milestone must next be looked at, the queue's
// state, the channels' health, and the acknowledge link an overdue alert or reminder carries
// (emails, channel payloads).

export { ackLink, ackUrl } from "./ack-link";
export { channelHealth } from "./channels/queries";
export { alertQueueStats } from "./ledger";
export { EMPTY_LEDGER, nextCheckAt } from "./planner";

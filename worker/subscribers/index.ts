// What other features may use of subscribers: who is active, what each wants (and the check that
// filters name what exists, which channels share), their unsubscribe
// link, suppressing one whose address Email Service refuses, and the counts /status shows.
export { consumeEmailEvents } from "./email-event-queue";
export { activeSubscribers, checkFilters, wantsMilestone, wantsZone } from "./queries";
export { unsubscribeUrl } from "./schema";
export { deliveryHealth, pruneEmailEvents, suppressSubscriber } from "./suppression";

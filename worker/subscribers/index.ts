// What other features may use of subscribers: who is active, what each wants (and the check that
// filters name what exists, which channels share), their unsubscribe
// link, suppressing one whose address Email Service refuses, the counts /status shows, and the
// double opt-in's public parts: the subscribe form a page renders, and the sweep's expiry chore.
export { consumeEmailEvents } from "./email-event-queue";
export { pruneOptIns } from "./optin";
export { SubscribeForm } from "./optin-pages";
export { activeSubscribers, checkFilters, wantsMilestone, wantsZone } from "./queries";
export { unsubscribeUrl } from "./schema";
export { deliveryHealth, pruneEmailEvents, suppressSubscriber } from "./suppression";

// What other features may use of subscribers: who is active, what each wants, their unsubscribe link.
export { activeSubscribers, wantsMilestone, wantsZone } from "./queries";
export { unsubscribeUrl } from "./schema";

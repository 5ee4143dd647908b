// What other features may use of subscribers: who is active, what each wants, their unsubscribe link.
export { activeSubscribers, unsubscribeUrl, wantsMilestone, wantsZone } from "./queries";

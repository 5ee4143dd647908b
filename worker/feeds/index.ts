// What other features may use of feeds: the iCalendar rendering of milestones (alert attachments),
// and a situation page's calendar and Atom feed with their response headers and examples.
export { ATOM_EXAMPLE, milestonesIcsExample } from "./examples";
export { milestonesCalendar } from "./ics";
export { ATOM_HEADERS, CALENDAR_HEADERS, type FeedScope, scopedAtom, scopedCalendar } from "./scoped";

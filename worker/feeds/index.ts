// What other features may use of feeds: the iCalendar rendering of milestones (alert attachments).
export { milestonesCalendar } from "./ics";

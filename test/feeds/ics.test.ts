// What a calendar app sees of a milestone over its life, read with a real iCalendar parser
// (ical.js): the feed and the alert email's attachment keep one UID per milestone, and SEQUENCE,
// LAST-MODIFIED and STATUS move with each slip, title change and outcome, so clients update it.
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import type { MilestoneRow } from "../../worker/db/schema";
import { cancelMilestone, createMilestone, updateMilestone } from "../../worker/milestones/queries";
import { DAY, scenario, sweepAt } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { call, uniqueSlug } from "../support/http";

const DUE = Date.UTC(2033, 2, 1, 12);
const T0 = DUE - 100 * DAY;
const MIN = 60_000;

interface CalendarEvent {
	uid: string;
	sequence: number;
	summary: string;
	status: string;
	start: number;
	lastModified: number | undefined;
	stamp: number | undefined;
	organizer: string | undefined;
}

const instant = (v: unknown) => (v instanceof ICAL.Time ? v.toJSDate().getTime() : undefined);

/** Parses an iCalendar text the way a client would: its METHOD and its events by UID. */
function parseCalendar(text: string) {
	const calendar = new ICAL.Component(ICAL.parse(text));
	const events = new Map<string, CalendarEvent>();
	for (const vevent of calendar.getAllSubcomponents("vevent")) {
		const event = new ICAL.Event(vevent);
		events.set(event.uid, {
			uid: event.uid,
			sequence: event.sequence,
			summary: event.summary,
			status: String(vevent.getFirstPropertyValue("status")),
			start: event.startDate.toJSDate().getTime(),
			lastModified: instant(vevent.getFirstPropertyValue("last-modified")),
			stamp: instant(vevent.getFirstPropertyValue("dtstamp")),
			organizer: vevent.getFirstPropertyValue("organizer")?.toString(),
		});
	}
	const method = calendar.getFirstPropertyValue("method");
	return { method: method === null ? null : String(method), events };
}

/** The milestone's event in /feeds/milestones.ics, as a subscribed calendar reads it. */
async function feedEvent(m: MilestoneRow) {
	const res = await call("/feeds/milestones.ics");
	expect(res.status).toBe(200);
	const { method, events } = parseCalendar(await res.text());
	expect(method).toBeNull();
	const event = events.get(`milestone-${m.id}@vigil.test`);
	if (!event) throw new Error(`milestone ${m.id} is not in the feed`);
	return event;
}

const create = (title: string) => createMilestone(db, { title, slug: uniqueSlug("cal"), due: "2033-02", timezone: "Asia/Baghdad" }, "UTC", new Date(T0));

describe("calendar changes", () => {
	it("a slip, a title change and an outcome each raise SEQUENCE and move LAST-MODIFIED; the UID stays", async () => {
		const m = await create("Drawdown ends");
		const before = await feedEvent(m);
		expect(before).toMatchObject({ sequence: 0, lastModified: T0, stamp: T0, status: "CONFIRMED", summary: "Drawdown ends" });
		expect(before.start).toBe(Date.UTC(2033, 1, 28, 21));

		await updateMilestone(db, m.slug, { due: "2033-05", reason: "postponed" }, new Date(T0 + DAY));
		const slipped = await feedEvent(m);
		expect(slipped).toMatchObject({ uid: before.uid, sequence: 1, lastModified: T0 + DAY, stamp: T0 + DAY, status: "CONFIRMED" });
		expect(slipped.start).toBe(Date.UTC(2033, 4, 31, 21));

		await updateMilestone(db, m.slug, { title: "Second phase of the drawdown ends" }, new Date(T0 + 2 * DAY));
		const renamed = await feedEvent(m);
		expect(renamed).toMatchObject({ uid: before.uid, sequence: 2, lastModified: T0 + 2 * DAY, summary: "Second phase of the drawdown ends" });

		await updateMilestone(db, m.slug, { status: "met" }, new Date(T0 + 3 * DAY));
		const met = await feedEvent(m);
		expect(met).toMatchObject({
			uid: before.uid,
			sequence: 3,
			lastModified: T0 + 3 * DAY,
			status: "CONFIRMED",
			summary: "Met: Second phase of the drawdown ends",
		});
	});

	it("a missed or cancelled milestone is CANCELLED with its outcome in the summary; reopening it confirms it again", async () => {
		const missed = await create("Elections held");
		await updateMilestone(db, missed.slug, { status: "missed" }, new Date(T0 + DAY));
		expect(await feedEvent(missed)).toMatchObject({ sequence: 1, status: "CANCELLED", summary: "Missed: Elections held" });

		const cancelled = await create("Census");
		await cancelMilestone(db, cancelled.slug, new Date(T0 + DAY));
		expect(await feedEvent(cancelled)).toMatchObject({ sequence: 1, status: "CANCELLED", summary: "Cancelled: Census", lastModified: T0 + DAY });
		await updateMilestone(db, cancelled.slug, { status: "scheduled" }, new Date(T0 + 2 * DAY));
		expect(await feedEvent(cancelled)).toMatchObject({ sequence: 2, status: "CONFIRMED", summary: "Census" });
	});

	it("SEQUENCE never goes down: undoing a change raises it again, and an edit that changes nothing leaves it", async () => {
		const m = await create("Handover");
		await updateMilestone(db, m.slug, { title: "Handover of bases" }, new Date(T0 + DAY));
		await updateMilestone(db, m.slug, { title: "Handover" }, new Date(T0 + 2 * DAY));
		await updateMilestone(db, m.slug, { due: "2033-03", reason: "moved" }, new Date(T0 + 3 * DAY));
		await updateMilestone(db, m.slug, { due: "2033-02", reason: "moved back" }, new Date(T0 + 4 * DAY));
		expect(await feedEvent(m)).toMatchObject({ sequence: 4, summary: "Handover" });
		await updateMilestone(db, m.slug, { title: "Handover", due: "2033-02" }, new Date(T0 + 5 * DAY));
		expect(await feedEvent(m)).toMatchObject({ sequence: 4 });
	});

	it("the alert email's .ics is a PUBLISH whose event follows the milestone: same UID, SEQUENCE up after a slip", async () => {
		const { email, milestone } = await scenario(DUE, T0);
		const mail = new FakeEmail();
		await sweepAt(mail, DUE - 7 * DAY + MIN);
		await updateMilestone(db, String(milestone.id), { due: new Date(DUE + 30 * DAY).toISOString(), reason: "talks postponed" }, new Date(DUE - 6 * DAY));
		await sweepAt(mail, DUE - 6 * DAY + MIN);
		const [deadline, slip] = mail.to(email).map((message) => {
			const [attachment] = message.attachments ?? [];
			expect(attachment?.type).toBe("text/calendar; charset=utf-8; method=PUBLISH");
			const content = attachment?.content;
			if (!(content instanceof Uint8Array)) throw new Error("the calendar goes as bytes");
			const { method, events } = parseCalendar(new TextDecoder().decode(content));
			expect(method).toBe("PUBLISH");
			return events.get(`milestone-${milestone.id}@vigil.test`);
		});
		// With a METHOD, DTSTAMP is when this calendar object was made: the sweep's instant.
		expect(deadline).toMatchObject({ sequence: 0, lastModified: T0, stamp: DUE - 7 * DAY + MIN, start: DUE, organizer: "mailto:vigil@example.org" });
		expect(slip).toMatchObject({ uid: deadline?.uid, sequence: 1, lastModified: DUE - 6 * DAY, stamp: DUE - 6 * DAY + MIN, start: DUE + 30 * DAY });
	});
});

import { desc, lte } from "drizzle-orm";
import type { Db } from "../db/client";
import { type MilestoneRow, milestones } from "../db/schema";
import { dueLabel, type Language, LOCALES, t } from "../i18n";
import { milestoneState } from "../milestones";
import { escapeHtml, httpUrl } from "./atom";
import { outcomeLabel, stateLabel as stateWord } from "./labels";
import { el, xmlDocument } from "./xml";

const ATOM_NS = "http://www.w3.org/2005/Atom";

/** Entries in the milestones feed: the latest dates that have come, whatever became of them. */
export const MILESTONE_ENTRIES = 50;

/** Milestones whose due date has come, the latest first (on the due_at index). */
export function pastMilestones(db: Db, now: Date, limit = MILESTONE_ENTRIES): Promise<MilestoneRow[]> {
	return db.select().from(milestones).where(lte(milestones.dueAt, now)).orderBy(desc(milestones.dueAt), desc(milestones.id)).limit(limit);
}

/** "Held", "Awaiting outcome", "Overdue"…: the outcome when one is recorded, else where the milestone stands. */
const stateLabel = (lang: Language, m: MilestoneRow, now: Date) => (m.outcome ? outcomeLabel(lang, m.outcome) : stateWord(lang, milestoneState(m, now)));

/** The summary as type="html": each line HTML-escaped, then joined with <br>; el() escapes it again for XML. */
function summary(lang: Language, m: MilestoneRow, now: Date): string {
	const source = httpUrl(m.outcomeSourceUrl);
	const due = dueLabel(lang, m.due, m.kind, m.timezone, m.dueAt.getTime());
	const outcome = m.outcome ? outcomeLabel(lang, m.outcome) : null;
	const lines = [
		m.kind === "deadline" ? t(lang, "feed.deadline", { due }) : t(lang, "feed.event", { due }),
		outcome
			? m.outcomeAt
				? t(lang, "feed.outcome_recorded", { outcome, date: m.outcomeAt.toISOString().slice(0, 10) })
				: t(lang, "feed.outcome", { outcome })
			: null,
		m.outcomeNote,
		source ? t(lang, "feed.source", { url: source }) : null,
		milestoneState(m, now) === "awaiting_outcome" ? t(lang, "feed.no_outcome") : null,
		m.slipCount > 0 ? t(lang, "feed.moved", { count: m.slipCount }) : null,
	];
	return lines
		.filter((l): l is string => Boolean(l))
		.map(escapeHtml)
		.join("<br>\n");
}

/**
 * The Atom 1.0 feed of milestones whose date has come: what became of each (its outcome, note
 * and source), or that it is overdue or awaits its outcome. An entry's `updated` is the
 * milestone's last change, so recording or correcting an outcome shows as an update.
 */
export function milestonesAtom(rows: readonly MilestoneRow[], opts: { appUrl: string; now: Date; lang?: Language }): string {
	const lang = opts.lang ?? "en";
	const selfUrl = `${opts.appUrl}/feeds/milestones.atom`;
	const newest = rows.reduce<Date | null>((max, m) => (max === null || m.updatedAt > max ? m.updatedAt : max), null);
	return xmlDocument(
		el(
			"feed",
			{ xmlns: ATOM_NS, "xml:lang": LOCALES[lang].tag },
			el("id", null, selfUrl),
			el("title", { type: "text" }, t(lang, "status.feed_outcomes")),
			el("subtitle", null, t(lang, "feed.outcomes_subtitle")),
			el("updated", null, (newest ?? opts.now).toISOString()),
			el("author", null, el("name", null, "Vigil"), el("uri", null, `${opts.appUrl}/`)),
			el("link", { rel: "self", type: "application/atom+xml", href: selfUrl }),
			el("link", { rel: "alternate", type: "text/html", href: `${opts.appUrl}/` }),
			el("generator", null, "Vigil"),
			rows.map((m) => {
				const url = `${opts.appUrl}/api/milestones/${m.id}`;
				const source = httpUrl(m.outcomeSourceUrl);
				return el(
					"entry",
					null,
					el("id", null, url),
					el("title", { type: "text" }, `${stateLabel(lang, m, opts.now)}: ${m.title}`),
					el("updated", null, m.updatedAt.toISOString()),
					el("published", null, m.dueAt.toISOString()),
					el("link", { rel: "alternate", type: "application/json", href: url }),
					source ? el("link", { rel: "related", href: source }) : null,
					el("category", { term: m.kind }),
					m.tags.map((t) => el("category", { term: t })),
					el("summary", { type: "html" }, summary(lang, m, opts.now)),
				);
			}),
		),
	);
}

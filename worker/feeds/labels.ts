// The feeds' words for a milestone's outcome and state, in a language.
import type { MilestoneRow } from "../db/schema";
import { type Language, t } from "../i18n";
import type { MilestoneState } from "../milestones";

/** "Met", "Missed", "Held" in `lang`. */
export function outcomeLabel(lang: Language, outcome: NonNullable<MilestoneRow["outcome"]>): string {
	switch (outcome) {
		case "met":
			return t(lang, "status.outcome_met");
		case "missed":
			return t(lang, "status.outcome_missed");
		case "held":
			return t(lang, "status.outcome_held");
	}
}

/** Where a milestone stands, in `lang`: "Due", "Overdue", "Awaiting outcome", "Met"… */
export function stateLabel(lang: Language, state: MilestoneState): string {
	switch (state) {
		case "scheduled":
			return t(lang, "feed.state_due");
		case "overdue":
			return t(lang, "status.overdue_badge");
		case "awaiting_outcome":
			return t(lang, "feed.state_awaiting");
		case "met":
			return t(lang, "status.outcome_met");
		case "missed":
			return t(lang, "status.outcome_missed");
		case "cancelled":
			return t(lang, "feed.state_cancelled");
	}
}

import type { MilestoneRow } from "../../db/schema";
import { milestonesCalendar } from "../../feeds";
import { t } from "../../i18n";
import { headerSafe, headline, urgency } from "./format";
import { renderHtml } from "./html";
import { renderText } from "./text";
import type { EmailInput } from "./types";

/**
 * Builds the message for the EMAIL binding's builder form: text + HTML parts, an .ics with the
 * milestones involved, and the list headers. Items are ordered most urgent first and the subject
 * leads with that one. User text never reaches a header except through headerSafe (the subject).
 */
export function composeEmail(input: EmailInput): EmailMessageBuilder {
	const items = [...input.items].sort((a, b) => {
		const [ra, ka] = urgency(a);
		const [rb, kb] = urgency(b);
		return ra - rb || ka - kb;
	});
	const sorted = { ...input, items };
	const first = items[0];
	if (!first) throw new Error("an email needs at least one item");
	const lang = input.language;
	const more = items.length > 1 ? ` ${t(lang, "email.more", { count: items.length - 1 })}` : "";
	const subject = t(lang, "email.subject", { headline: `${headerSafe(headline(lang, first, input.now))}${more}` });
	const milestones = new Map<number, MilestoneRow>();
	for (const item of items) if ("milestone" in item) milestones.set(item.milestone.id, item.milestone);
	// A string attachment would be read as base64, so the calendar goes as bytes.
	const attachments: EmailAttachment[] =
		milestones.size > 0
			? [
					{
						disposition: "attachment",
						filename: "vigil.ics",
						// RFC 5545 3.7.2: in MIME, the METHOD is repeated as the content type's method parameter.
						type: "text/calendar; charset=utf-8; method=PUBLISH",
						content: new TextEncoder().encode(milestonesCalendar([...milestones.values()], input.appUrl, input.now, { publishedBy: input.from })),
					},
				]
			: [];
	// The platform accepts List-Unsubscribe only with an https URI, and one-click needs it too.
	const listHeaders: Record<string, string> = input.unsubscribeUrl.startsWith("https://")
		? { "List-Unsubscribe": `<${input.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
		: {};
	return {
		from: input.from,
		to: input.to,
		subject,
		text: renderText(sorted),
		html: renderHtml(sorted),
		...(attachments.length > 0 && { attachments }),
		headers: { ...listHeaders, "Auto-Submitted": "auto-generated" },
	};
}

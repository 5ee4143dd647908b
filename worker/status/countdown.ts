import { formatNumber, type Language, LOCALES, PLURAL_CATEGORIES, t } from "../i18n";

/**
 * The words the countdown script needs, in the page's language, for `<body data-countdown>`:
 * the Intl tags, "in {time}" / "overdue by {time}", and the plural forms of "# days" keyed by
 * CLDR category. Each form is found by formatting a number of that category and putting `#`
 * back where the number was, so the catalogue stays the one place the words live.
 */
export function countdownWords(lang: Language): string {
	const rules = new Intl.PluralRules(LOCALES[lang].plural);
	const day: Record<string, string> = {};
	for (const category of PLURAL_CATEGORIES[lang]) {
		const n = Array.from({ length: 200 }, (_, i) => i).find((i) => rules.select(i) === category) ?? 5;
		day[category] = t(lang, "duration.days", { count: n }).replace(formatNumber(lang, n), "#");
	}
	const time = "{time}";
	return JSON.stringify({
		intl: LOCALES[lang].intl,
		plural: LOCALES[lang].plural,
		future: t(lang, "countdown.future", { time }),
		past: t(lang, "countdown.past", { time }),
		join: t(lang, "duration.join", { first: "{a}", second: "{b}" }),
		day,
	});
}

/**
 * The status page's only script: it re-counts every `<time data-countdown>` each second from
 * its `datetime`, to the second, in the page's language and digits, and marks a deadline's row
 * overdue when its time passes (an event is never overdue: it awaits its outcome). A
 * `data-countdown="elapsed"` (the overdue table, whose header says "Overdue by") shows the time
 * alone. With JS off the server's "in 12 days 4 hours" stays.
 */
export const COUNTDOWN_JS = `(() => {
	const els = document.querySelectorAll("time[data-countdown]");
	if (!els.length) return;
	const w = JSON.parse(document.body.dataset.countdown || "{}");
	const num = new Intl.NumberFormat(w.intl, { useGrouping: false });
	const two = new Intl.NumberFormat(w.intl, { useGrouping: false, minimumIntegerDigits: 2 });
	const rules = new Intl.PluralRules(w.plural);
	const days = (d) => (w.day[rules.select(d)] || w.day.other).replace("#", num.format(d));
	const format = (ms, elapsed) => {
		const s = Math.floor(Math.abs(ms) / 1000);
		const d = Math.floor(s / 86400);
		const clock = [Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => two.format(n)).join(":");
		const text = d ? w.join.replace("{a}", days(d)).replace("{b}", clock) : clock;
		return elapsed ? text : (ms >= 0 ? w.future : w.past).replace("{time}", text);
	};
	const tick = () => {
		const now = Date.now();
		for (const el of els) {
			const left = Date.parse(el.getAttribute("datetime")) - now;
			el.textContent = format(left, el.dataset.countdown === "elapsed");
			const row = el.closest("tr");
			if (left < 0 && row && row.dataset.kind !== "event") row.classList.add("overdue");
		}
	};
	tick();
	setInterval(tick, 1000);
})();`;

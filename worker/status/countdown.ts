/**
 * The status page's only script: it re-counts every `<time data-countdown>` each second from
 * its `datetime`, to the second, and marks a deadline's row overdue when its time passes (an event
 * is never overdue: it awaits its outcome). With JS off the
 * server's "in 12 days 4 hours" stays.
 */
export const COUNTDOWN_JS = `(() => {
	const els = document.querySelectorAll("time[data-countdown]");
	if (!els.length) return;
	const unit = (n, w) => n + " " + w + (n === 1 ? "" : "s");
	const two = (n) => String(n).padStart(2, "0");
	const format = (ms) => {
		const s = Math.floor(Math.abs(ms) / 1000);
		const d = Math.floor(s / 86400);
		const clock = two(Math.floor((s % 86400) / 3600)) + ":" + two(Math.floor((s % 3600) / 60)) + ":" + two(s % 60);
		const text = (d ? unit(d, "day") + " " : "") + clock;
		return ms >= 0 ? "in " + text : text + " ago";
	};
	const tick = () => {
		const now = Date.now();
		for (const el of els) {
			const left = Date.parse(el.getAttribute("datetime")) - now;
			el.textContent = format(left);
			const row = el.closest("tr");
			if (left < 0 && row && row.dataset.kind !== "event") row.classList.add("overdue");
		}
	};
	tick();
	setInterval(tick, 1000);
})();`;

// workerd's memory from /proc: the export scenario samples RSS while the export streams.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

/** Every workerd process that is a descendant of this Node process. */
export function workerdPids() {
	const children = new Map();
	for (const entry of readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
			const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
			const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
			children.set(Number(entry), { ppid, comm });
		} catch {
			// the process ended while we looked
		}
	}
	const mine = new Set([process.pid]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const [pid, { ppid }] of children) {
			if (!mine.has(pid) && mine.has(ppid)) {
				mine.add(pid);
				grew = true;
			}
		}
	}
	return [...mine].filter((pid) => children.get(pid)?.comm.startsWith("workerd"));
}

function statusKiB(pid, field) {
	const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
	return m ? Number(m[1]) : NaN;
}

/** Current resident set size in MiB. */
export const rssMiB = (pid) => statusKiB(pid, "VmRSS") / 1024;

/**
 * Runs `work` while sampling the process's RSS every few ms; resets the kernel's high-water
 * mark first (clear_refs 5) where allowed, so VmHWM catches peaks between samples too.
 */
export async function peakDuring(pid, work, everyMs = 5) {
	let hwmReset = false;
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, "5");
		hwmReset = true;
	} catch {
		// not permitted here: the sampled peak alone is reported
	}
	const before = rssMiB(pid);
	let peak = before;
	const timer = setInterval(() => {
		peak = Math.max(peak, rssMiB(pid));
	}, everyMs);
	try {
		const result = await work();
		peak = Math.max(peak, rssMiB(pid));
		if (hwmReset) peak = Math.max(peak, statusKiB(pid, "VmHWM") / 1024);
		return { result, beforeMiB: before, peakMiB: peak, growthMiB: peak - before, hwmReset };
	} finally {
		clearInterval(timer);
	}
}

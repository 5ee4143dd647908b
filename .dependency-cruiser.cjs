/**
 * Vigil's layers, enforced in `npm test` (npm run lint:deps). Read top to bottom:
 *
 *   worker/index.ts, app.ts, scheduled.ts,  wiring: handlers, the route table, the job table,
 *   queues.ts                               the queue consumers table
 *   worker/seed/                            the first data set, loaded through the features
 *   worker/<feature>/                       milestones, incidents, zones, sources, alerts,
 *                                           subscribers, pages, status, feeds
 *   worker/http/ cron/ config/ i18n/        shared: app factory, errors, auth; job runner; config;
 *   env.ts log.ts                           message catalogues and locale formatting; logs
 *   worker/time/                            pure date arithmetic
 *   worker/db/                              drizzle schema and client
 *
 * Imports run down, or sideways into another feature through its public module (index.ts).
 */
const FEATURES = "(alerts|feeds|incidents|milestones|pages|sources|status|subscribers|zones)";
const SHARED = "^worker/(http|cron|config|time|db|i18n)/|^worker/(env|log)\\.ts$";
const WIRING = "^worker/(index|app|scheduled|queues)\\.ts$";

module.exports = {
	forbidden: [
		{
			name: "no-circular",
			severity: "error",
			comment: "Files that import each other in a loop cannot be read, tested or moved one at a time.",
			from: {},
			to: { circular: true },
		},
		{
			name: "shared-imports-no-feature",
			severity: "error",
			comment: "db/, http/, cron/, config/, time/, env.ts and log.ts sit below every feature: they must not import one (or the wiring above it).",
			from: { path: SHARED },
			to: { path: [`^worker/${FEATURES}/`, "^worker/seed/", WIRING] },
		},
		{
			name: "db-imports-only-db",
			severity: "error",
			comment: "db/ is the floor: its schema and client import nothing else of the Worker.",
			from: { path: "^worker/db/" },
			to: { path: "^worker/", pathNot: "^worker/db/" },
		},
		{
			name: "time-is-pure",
			severity: "error",
			comment: "time/ is date arithmetic with no bindings: it imports nothing of the Worker but itself, and no database.",
			from: { path: "^worker/time/" },
			to: { path: ["^worker/(?!time/)", "node_modules/drizzle-orm"] },
		},
		{
			name: "feature-through-public-module",
			severity: "error",
			comment: "Another feature is reached only through its index.ts, which names what it offers; its other files are its own.",
			from: { path: `^worker/${FEATURES}/` },
			to: { path: `^worker/${FEATURES}/`, pathNot: ["^worker/$1/", `^worker/${FEATURES}/index\\.ts$`] },
		},
		{
			name: "features-import-no-wiring",
			severity: "error",
			comment: "The wiring (index.ts, app.ts, scheduled.ts, queues.ts) and the seed sit above the features: a feature never imports them.",
			from: { path: `^worker/${FEATURES}/` },
			to: { path: [WIRING, "^worker/seed/"] },
		},
		{
			name: "seed-through-public-modules",
			severity: "error",
			comment: "The seed is data loaded through the API: it may use a feature's public shapes, not its internals.",
			from: { path: "^worker/seed/" },
			to: { path: `^worker/${FEATURES}/`, pathNot: `^worker/${FEATURES}/index\\.ts$` },
		},
		{
			name: "worker-imports-no-tooling",
			severity: "error",
			comment: "The Worker never imports tests, scripts or benchmarks.",
			from: { path: "^worker/" },
			to: { path: "^(test|scripts)/" },
		},
		{
			name: "not-to-unresolvable",
			severity: "error",
			comment: "An import that resolves to nothing is a typo or a missing dependency.",
			from: {},
			to: { couldNotResolve: true },
		},
	],
	options: {
		doNotFollow: { path: "node_modules" },
		exclude: { path: "worker/worker-configuration\\.d\\.ts$" },
		tsConfig: { fileName: "tsconfig.json" },
		// TypeScript 7 has no compiler API yet; swc parses the sources instead, and sees every import
		// as written (type-only ones too, which is what a layer rule is about).
		parser: "swc",
		enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "types", "default"], extensions: [".ts", ".tsx", ".js", ".mjs"] },
	},
};

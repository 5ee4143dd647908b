// Compile-time only (tsc, never run): the hand-written Env in worker/env.ts must have exactly the
// bindings and vars that wrangler.toml declares, as `wrangler types` generated them into
// worker/worker-configuration.d.ts (kept current by `npm run types:check`). Secrets are not in
// wrangler.toml, so they are left out of the comparison; so are the optional tuning vars (alerts, status cache, the Telegram API's base, retention),
// whose defaults live in worker/config/alert-rules.ts and which wrangler.toml only sets to override, and
// INGEST_QUEUE, a producer binding wrangler.toml declares only when queued mode is switched on (commented out by default).
import type { Env } from "../../worker/env";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Secrets =
	| "ADMIN_TOKEN"
	| "READ_TOKEN"
	| "SECRETS_KEY"
	| "ALERT_BACKOFF"
	| "ALERT_MAX_ATTEMPTS"
	| "ALERT_REMINDER_INTERVAL"
	| "EVENT_OUTCOME_REMINDER"
	| "SURGE_MULTIPLE"
	| "SURGE_MIN_INCIDENTS"
	| "STATUS_CACHE_SECONDS"
	| "RETAIN_INCIDENTS_DAYS"
	| "TELEGRAM_API_URL"
	| "INGEST_QUEUE";

export const envKeysMatchWranglerToml: Same<Exclude<keyof Env, Secrets>, keyof WranglerEnv> = true;
export const envTypesMatchWranglerToml: Same<Omit<Env, Secrets>, WranglerEnv> = true;

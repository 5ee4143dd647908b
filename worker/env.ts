import { type AlertRules, resolveAlertRules } from "./config/alert-rules";
import { type ConfigProblem, checkConfig, readRetainDays } from "./config/check";
import type { Db } from "./db/client";

/** The Worker's bindings, as declared in wrangler.toml and set as secrets. */
export interface Env {
	DB: D1Database;
	EMAIL: SendEmail;
	APP_URL: string;
	ALERT_FROM: string;
	DEFAULT_TIMEZONE: string;
	/** Secret: bearer token for every write. */
	ADMIN_TOKEN?: string;
	/** Secret, optional: when set, public reads need it (or the admin token). */
	READ_TOKEN?: string;
	/** Secret: 32 random bytes in base64, encrypts webhook source secrets at rest. */
	SECRETS_KEY?: string;
	/** Static assets (assets/): the pinned script of /docs. */
	ASSETS: Fetcher;
	/** Rate Limiting binding for webhooks, per source (declared in wrangler.toml). */
	WEBHOOK_LIMITER: RateLimit;
	/** Rate Limiting binding for pages' subscribe forms, per client address (declared in wrangler.toml). */
	SUBSCRIBE_LIMITER: RateLimit;
	/** Queue producer, optional: when bound, webhooks are queued and written by the consumer (docs/intake.md, "Queued mode"). */
	INGEST_QUEUE?: Queue;
	/** Alert tuning (vars, all optional): see worker/config/alert-rules.ts for the defaults. */
	ALERT_BACKOFF?: string;
	ALERT_MAX_ATTEMPTS?: string;
	ALERT_REMINDER_INTERVAL?: string;
	EVENT_OUTCOME_REMINDER?: string;
	SURGE_MULTIPLE?: string;
	SURGE_MIN_INCIDENTS?: string;
	/** Optional var: the Telegram Bot API's base URL (default https://api.telegram.org); a local fake in tests and local runs. */
	TELEGRAM_API_URL?: string;
	/** Optional var: seconds /status may be reused per isolate (default 5). */
	STATUS_CACHE_SECONDS?: string;
	/** Optional var: days an incident is kept after it occurred (unset: forever); see docs/deploy.md. */
	RETAIN_INCIDENTS_DAYS?: string;
}

/** Settings resolved once from the bindings; nothing deeper reads `env`. */
export interface Config {
	/** APP_URL without its trailing slash; http://localhost:8787 when unset (a problem, so links still parse). */
	appUrl: string;
	/** ALERT_FROM; "" when unset (a problem: there is no sender to make up). */
	alertFrom: string;
	defaultTimezone: string;
	adminToken: string | null;
	readToken: string | null;
	secretsKey: string | null;
	alerts: AlertRules;
	/** TELEGRAM_API_URL without its trailing slash. */
	telegramApiUrl: string;
	/** How long /status and / may reuse a computed status in one isolate (0: never). */
	statusCacheMs: number;
	/** How long incidents are kept after they occurred; null: forever (also while RETAIN_INCIDENTS_DAYS is invalid). */
	retainIncidentsMs: number | null;
	/** Required settings that are missing or invalid (config/check.ts); empty when Vigil is fully configured. */
	problems: readonly ConfigProblem[];
}

/** RETAIN_INCIDENTS_DAYS in milliseconds; an invalid value deletes nothing (config/check.ts reports it). */
function retainIncidentsMs(text: string | undefined): number | null {
	const read = readRetainDays(text);
	return "days" in read && read.days !== null ? read.days * 86_400_000 : null;
}

/** STATUS_CACHE_SECONDS: whole seconds 0-300, default 5; anything else falls back to 5. */
function statusCacheMs(text: string | undefined): number {
	const seconds = text === undefined || text === "" ? 5 : Number(text);
	return Number.isInteger(seconds) && seconds >= 0 && seconds <= 300 ? seconds * 1000 : 5000;
}

const cache = new WeakMap<Env, Config>();

/** The config of these bindings, resolved on first use and kept for the isolate's life. */
export function loadConfig(env: Env): Config {
	let config = cache.get(env);
	if (!config) {
		config = {
			appUrl: (env.APP_URL?.trim() || "http://localhost:8787").replace(/\/+$/, ""),
			alertFrom: env.ALERT_FROM?.trim() ?? "",
			defaultTimezone: env.DEFAULT_TIMEZONE || "UTC",
			adminToken: env.ADMIN_TOKEN || null,
			readToken: env.READ_TOKEN || null,
			secretsKey: env.SECRETS_KEY || null,
			alerts: resolveAlertRules(env),
			telegramApiUrl: (env.TELEGRAM_API_URL?.trim() || "https://api.telegram.org").replace(/\/+$/, ""),
			statusCacheMs: statusCacheMs(env.STATUS_CACHE_SECONDS),
			retainIncidentsMs: retainIncidentsMs(env.RETAIN_INCIDENTS_DAYS),
			problems: checkConfig(env),
		};
		cache.set(env, config);
	}
	return config;
}

/** Hono context: bindings plus what each request resolves once (config, db, the clock). */
export interface AppEnv {
	Bindings: Env;
	Variables: {
		config: Config;
		db: Db;
		now: Date;
	};
}

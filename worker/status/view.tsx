// The status as /status, / and each situation page answer it: computed once per scope and reused.
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "../env";
import { nonceOf } from "../http/headers";
import { Memo, wantsFresh } from "../http/memo";
import { type Language, LOCALES } from "../i18n";
import { countIncidentsByWeek, weeklySeries } from "../incidents";
import type { MapData } from "./map-layout";
import { type PageHeading, StatusPage } from "./page";
import { getMapData, getStatus, type InstanceStatus, instanceStatus, type StatusScope } from "./queries";
import * as rendered from "./rendered";
import type { DataStatusJson, StatusJson } from "./schema";
import { withConfiguration } from "./schema";
import { listSituations, type Situation } from "./situations";

/** A situation page's scope and the key its figures are remembered under (its id and last edit). */
export interface KeyedScope extends StatusScope {
	key: string;
}

const statusMemo = new Memo<DataStatusJson>();
const instanceMemo = new Memo<InstanceStatus>();
const weeklyMemo = new Memo<Awaited<ReturnType<typeof countIncidentsByWeek>>>();
const situationsMemo = new Memo<Situation[]>();
const mapMemo = new Memo<MapData>();

/**
 * The status of the whole instance or of one page's scope, its data reused for up to
 * STATUS_CACHE_SECONDS in this isolate unless the client sends `Cache-Control: no-cache`; the
 * `Age` header says how old it is (its `now` field too). The configuration is judged on every
 * answer: it belongs to these bindings, not to the database.
 */
export function cachedStatus(c: Context<AppEnv>, scope?: KeyedScope) {
	const bypass = wantsFresh(c);
	const [db, now, config] = [c.get("db"), c.get("now"), c.get("config")];
	const key = scope?.key ?? "";
	const remember = <T,>(memo: Memo<T>, compute: () => Promise<T>) => memo.get(c.env.DB, key, now.getTime(), config.statusCacheMs, bypass, compute);
	// The instance's crons, alerts, channels and ingest are the same in every scope: one read a window serves them all.
	const instance = () => instanceMemo.get(c.env.DB, "", now.getTime(), config.statusCacheMs, bypass, () => instanceStatus(db, now)).value;
	const data = remember(statusMemo, () => getStatus(db, now, scope, instance()));
	c.header("age", String(Math.floor(data.ageMs / 1000)));
	return {
		data: data.value,
		status: data.value.then((d) => withConfiguration(d, config.problems)),
		weekly: () => remember(weeklyMemo, () => countIncidentsByWeek(db, now, undefined, scope?.zones)).value,
		situations: (whole: DataStatusJson) => remember(situationsMemo, () => listSituations(db, now, whole)).value,
		map: () => remember(mapMemo, () => getMapData(db, now, scope)).value,
	};
}

/**
 * The status page's HTML: the whole instance with its public pages listed, or one page (`heading`)
 * with its form slot; in `lang` when the reader asked for one (?lang=), else in the page's language.
 * Rendered again only when its data is recomputed; `subscribe` must follow from the heading (the
 * HTML is remembered under the heading and whether there is a form, not under the form itself).
 */
export async function statusPageHtml(c: Context<AppEnv>, page?: { scope: KeyedScope; heading: PageHeading; subscribe?: Child }, asked?: Language) {
	const lang = asked ?? page?.heading.language ?? "en";
	c.header("content-language", LOCALES[lang].tag);
	const cached = cachedStatus(c, page?.scope);
	const [data, weekly, map, situations]: [DataStatusJson, Awaited<ReturnType<typeof countIncidentsByWeek>>, MapData, Situation[] | undefined] =
		await Promise.all([cached.data, cached.weekly(), cached.map(), page ? undefined : cached.data.then(cached.situations)]);
	const { problems, statusCacheMs } = c.get("config");
	const key = JSON.stringify([page?.scope.key ?? "", page?.heading ?? null, page?.subscribe !== undefined, lang, problems]);
	const inputs = situations ? [data, weekly, map, situations] : [data, weekly, map];
	return rendered.read(c.env.DB, key, inputs, c.get("now").getTime(), statusCacheMs, wantsFresh(c), nonceOf(c), (nonce) => {
		const status: StatusJson = withConfiguration(data, problems);
		return (
			<StatusPage
				status={status}
				weekly={weeklySeries(weekly, new Date(status.now))}
				map={map}
				nonce={nonce}
				lang={lang}
				page={page?.heading}
				subscribe={page?.subscribe}
				situations={situations}
			/>
		).toString();
	});
}

import { createRoute, z } from "@hono/zod-openapi";
import type { PageRow } from "../db/schema";
import { ATOM_EXAMPLE, ATOM_HEADERS, CALENDAR_HEADERS, type FeedScope, milestonesIcsExample, scopedAtom, scopedCalendar } from "../feeds";
import { requireRead } from "../http/auth";
import { formPageHeaders } from "../http/headers";
import { createRouter, jsonContent } from "../http/openapi";
import { htmlContent, LangQuery, pick } from "../http/schemas";
import { type Language, LOCALES } from "../i18n";
import { cachedStatus, type KeyedScope, Status, statusExample, statusPageExample, statusPageHtml } from "../status";
import { SubscribeForm } from "../subscribers";
import { openPage } from "./opened";
import { PageSlugParam } from "./schema";

const tags = ["Pages"];

/** What the page's figures are: its tags and zones; they are remembered under exactly these, so an edit is seen at once. */
const scopeOf = (page: PageRow): KeyedScope => ({ key: `page:${page.id}:${JSON.stringify([page.tags, page.zones])}`, tags: page.tags, zones: page.zones });

/**
 * A page's title read in `lang`: its `title_i18n` in that language when it has one, else `title`,
 * which is taken to be in the page's own language and marked so (`lang`, for the title's element)
 * when read in another.
 */
function pageTitle(page: PageRow, lang: Language): { text: string; lang: string | undefined } {
	const text = lang === "en" ? undefined : page.titleI18n?.[lang];
	if (text) return { text, lang: undefined };
	return { text: page.title, lang: lang === page.language ? undefined : LOCALES[page.language].tag };
}

/** A page's feeds, in `?lang=` when given, else the page's language (the title translated when it has one). */
const feedScopeOf = (page: PageRow, lang: Language | undefined): FeedScope => {
	const language = lang ?? page.language;
	return { title: pageTitle(page, language).text, path: `/p/${page.slug}`, tags: page.tags, zones: page.zones, lang: language };
};

const DEGRADED =
	"`status` is `degraded` when one of the page's deadlines is overdue, a cron is stale, or a required setting is missing; `reason` says which in one line.";

/** A situation page: the status page, its JSON and its feeds, narrowed to the page's tags and zones. */
export const pageViewsRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/{slug}",
			tags,
			summary: "A situation page (HTML): the status page of its milestones and its zones' incidents",
			description: `Server-rendered, readable with JS off, under the same Content-Security-Policy as /, in the page's language unless \`?lang=\` asks for another for this view. ${DEGRADED}`,
			// The page posts its subscribe form to itself: form-action 'self'.
			middleware: [formPageHeaders, requireRead] as const,
			request: { params: PageSlugParam, query: LangQuery },
			responses: { 200: htmlContent("Server-rendered HTML", statusPageExample), ...pick(400, 401, 404, 503) },
		}),
		async (c) => {
			const page = await openPage(c, c.req.valid("param").slug);
			const title = pageTitle(page, c.req.valid("query").lang ?? page.language);
			const heading = { slug: page.slug, title: title.text, titleLang: title.lang, description: page.description, language: page.language };
			// Only a public page takes subscriptions (POST /p/:slug/subscribe refuses a private one).
			const subscribe = page.visibility === "public" ? <SubscribeForm slug={page.slug} lang={c.req.valid("query").lang ?? page.language} /> : undefined;
			return c.html(await statusPageHtml(c, { scope: scopeOf(page), heading, subscribe }, c.req.valid("query").lang), 200);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{slug}/status",
			tags,
			summary: "A situation page's status as JSON (the /status shape, narrowed to the page)",
			description: `Milestones with one of the page's tags (all when it names none), incidents in its zones (all when it names none); alerts, channels and crons are the instance's. ${DEGRADED}`,
			middleware: [requireRead] as const,
			request: { params: PageSlugParam },
			responses: { 200: jsonContent(Status, "The page's status", statusExample), ...pick(400, 401, 404, 503) },
		}),
		async (c) => {
			const page = await openPage(c, c.req.valid("param").slug);
			return c.json(await cachedStatus(c, scopeOf(page)).status, 200);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{slug}/milestones.ics",
			tags,
			summary: "A situation page's milestones as iCalendar",
			description: "As /feeds/milestones.ics, with only the page's milestones; its own words in the page's language unless `?lang=` asks for another.",
			middleware: [requireRead] as const,
			request: { params: PageSlugParam, query: LangQuery },
			responses: {
				200: { description: "iCalendar (RFC 5545)", content: { "text/calendar": { schema: z.string(), example: milestonesIcsExample } } },
				...pick(400, 401, 404, 503),
			},
		}),
		async (c) => {
			const page = await openPage(c, c.req.valid("param").slug);
			return c.body(
				await scopedCalendar(c.get("db"), c.get("config").appUrl, c.get("now"), feedScopeOf(page, c.req.valid("query").lang)),
				200,
				CALENDAR_HEADERS,
			);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{slug}/incidents.atom",
			tags,
			summary: "A situation page's verified incidents as an Atom feed",
			description:
				"As /feeds/incidents.atom, with only the incidents in the page's zones; its own words in the page's language unless `?lang=` asks for another.",
			middleware: [requireRead] as const,
			request: { params: PageSlugParam, query: LangQuery },
			responses: {
				200: { description: "An Atom 1.0 feed", content: { "application/atom+xml": { schema: z.string(), example: ATOM_EXAMPLE } } },
				...pick(400, 401, 404, 503),
			},
		}),
		async (c) => {
			const page = await openPage(c, c.req.valid("param").slug);
			return c.body(await scopedAtom(c.get("db"), c.get("config").appUrl, c.get("now"), feedScopeOf(page, c.req.valid("query").lang)), 200, ATOM_HEADERS);
		},
	);

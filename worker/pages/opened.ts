import type { Context } from "hono";
import type { PageRow } from "../db/schema";
import type { AppEnv } from "../env";
import { requirePrivateRead } from "../http/auth";
import { Memo, wantsFresh } from "../http/memo";
import { getPageBySlug } from "./queries";

/**
 * The page rows `/p/:slug` and its feeds are answered from, remembered per isolate for as long as
 * their status is (STATUS_CACHE_SECONDS): the page's own figures come from the status memo, so
 * reading its row from D1 on every view was the one round trip left, and it capped a page at
 * the rate of any D1 read. An edit through this isolate forgets them at once (`forgetOpened`);
 * one through another isolate is seen within STATUS_CACHE_SECONDS, as the figures are. An unknown
 * slug is not remembered (a failed read is forgotten), so a new page answers at once.
 */
const opened = new Memo<PageRow>();

/** The page at `/p/:slug`, or 404; a private one needs the read or the admin token (401), as if READ_TOKEN were set. */
export async function openPage(c: Context<AppEnv>, slug: string): Promise<PageRow> {
	const page = await opened.get(c.env.DB, slug, c.get("now").getTime(), c.get("config").statusCacheMs, wantsFresh(c), () => getPageBySlug(c.get("db"), slug))
		.value;
	if (page.visibility === "private") await requirePrivateRead(c);
	return page;
}

/** After a page was created, changed or deleted: this isolate reads every page from D1 again. */
export const forgetOpened = (c: Context<AppEnv>) => opened.forget(c.env.DB);

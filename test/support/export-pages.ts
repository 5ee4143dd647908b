import { exportPageSize } from "../../worker/incidents/exports";

/** The D1 queries an export of `rows` rows makes: a page at a time until one comes back short. */
export function exportQueries(rows: number): number {
	let page = 0;
	for (let read = 0; read + exportPageSize(page) <= rows; page++) read += exportPageSize(page);
	return page + 1;
}

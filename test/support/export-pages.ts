import { EXPORT_FIRST_PAGE, nextPageSize } from "../../worker/incidents/exports";

/** The D1 queries an export of `rows` rows of `chars` characters each makes: a page at a time until one comes back short. */
export function exportQueries(rows: number, chars = 250): number {
	let queries = 1;
	let size = EXPORT_FIRST_PAGE;
	for (let read = 0; read + size <= rows; queries++) {
		read += size;
		size = nextPageSize(size, size * chars);
	}
	return queries;
}

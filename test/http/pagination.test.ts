import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../../worker/http/errors";
import { decodeCursor, encodeCursor, paginate } from "../../worker/http/pagination";

describe("cursors", () => {
	it("round-trip any position", () => {
		fc.assert(
			fc.property(fc.oneof(fc.integer(), fc.string({ maxLength: 30 })), fc.nat(), (k, id) => {
				expect(decodeCursor(encodeCursor({ k, id }))).toEqual({ k, id });
			}),
		);
	});

	it.each(["nope", "W10", "eyJhIjoxfQ", btoa("[1]"), btoa('[1,"x"]'), "%%%"])("refuse %j with a 400", (text) => {
		expect(() => decodeCursor(text)).toThrow(AppError);
	});

	it("split a limit+1 fetch into a page and a next cursor", () => {
		const rows = [1, 2, 3].map((id) => ({ id }));
		expect(paginate(rows, 3, (r) => ({ k: 0, id: r.id })).next).toBeNull();
		const page = paginate(rows, 2, (r) => ({ k: 0, id: r.id }));
		expect(page.items).toHaveLength(2);
		expect(decodeCursor(page.next ?? undefined)).toEqual({ k: 0, id: 2 });
	});
});

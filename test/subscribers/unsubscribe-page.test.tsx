// The unsubscribe page's stylesheet reaches the browser as written: JSX text children are escaped,
// which turned the font stack's quotes into &quot; and broke the CSS rule that holds them.
import { describe, expect, it } from "vitest";
import { FONT_STACK } from "../../worker/i18n";
import { UnsubscribePage } from "../../worker/subscribers/unsubscribe-page";

describe("the unsubscribe page", () => {
	it("carries its stylesheet unescaped, the font stack's quotes included", () => {
		const html = (<UnsubscribePage email="a@example.org" done={false} action="/unsubscribe/t" nonce="n" lang="ar" />).toString();
		const style = /<style nonce="n">([^<]*)<\/style>/.exec(html)?.[1] ?? "";
		expect(style).toContain(FONT_STACK);
		expect(style).not.toContain("&quot;");
	});
});

// The subscribe form a page renders (worker/subscribers SubscribeForm): plain HTML that posts
// without JavaScript, labelled, loading nothing.
import { describe, expect, it } from "vitest";
import { SubscribeForm } from "../../worker/subscribers";
import { CheckInboxPage } from "../../worker/subscribers/optin-pages";

describe("SubscribeForm", () => {
	it("is a labelled email form posting to the page's subscribe route, with no script, style or outside resource", () => {
		const html = (<SubscribeForm slug="iraq-after-withdrawal" lang="en" />).toString();
		expect(html).toContain('<form method="post" action="/p/iraq-after-withdrawal/subscribe"');
		expect(html).toMatch(/<label for="subscribe-iraq-after-withdrawal">Email address<\/label>/);
		expect(html).toMatch(/<input id="subscribe-iraq-after-withdrawal" type="email" name="email" required=""/);
		expect(html).toContain('<button type="submit">Subscribe</button>');
		expect(html).not.toMatch(/<script|<style|<link|<img|https?:|\son\w+=/i);
	});

	it("escapes what it is given", () => {
		const html = (<SubscribeForm slug={'x"><script>'} lang="en" email={'"><b>'} />).toString();
		expect(html).not.toContain("<script>");
		expect(html).not.toContain("<b>");
	});
});

describe("the opt-in flow's pages", () => {
	it("keep their heading and text in one main landmark (axe-core: landmark-one-main, region)", () => {
		const html = (<CheckInboxPage nonce="n" lang="en" />).toString();
		expect(html).toMatch(/<body><main><h1>Vigil alerts<\/h1><p role="status">Check your inbox/);
		expect(html).toContain("</main></body>");
	});
});

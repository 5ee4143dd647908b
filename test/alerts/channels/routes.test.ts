// /api/channels as an admin meets it: each kind created (a webhook's secret shown once, no
// credential ever answered again), the URL rules (422 naming the rule, nothing written), fields a
// kind has not, stop and resume, rotation with both signatures during the overlap, delete, and
// the test message answering what the receiver said without touching the ledger.
import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, problem } from "../../support/http";
import { botToken, createChannel, FakeReceivers, slackUrl, telegramPrefix, webhookUrl } from "../../support/receivers";

const channelCount = async () => (await env.DB.prepare("SELECT count(*) AS n FROM channels").first<{ n: number }>())?.n;
const alertCount = async () => (await env.DB.prepare("SELECT count(*) AS n FROM alerts").first<{ n: number }>())?.n;
const headersOf = (h: Headers) => Object.fromEntries(h.entries());

afterEach(() => {
	vi.restoreAllMocks();
});

describe("creating and reading channels", () => {
	it("a webhook channel's secret is answered once, then only its last 4 characters", async () => {
		const url = webhookUrl();
		const { id, secret, body } = await createChannel({ kind: "webhook", name: "CMS", url });
		expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
		expect(body).toMatchObject({ kind: "webhook", url, active: true, secret_hint: `…${secret?.slice(-4)}` });
		for (const path of [`/api/channels/${id}`, "/api/channels?limit=200"]) {
			const text = await (await call(path, { admin: true })).text();
			expect(text).toContain(`"id":${id}`);
			expect(text).not.toContain(secret?.slice(6, 30));
		}
		const stored = await env.DB.prepare("SELECT secret_enc FROM channels WHERE id = ?").bind(id).first<{ secret_enc: string }>();
		expect(stored?.secret_enc).not.toContain(secret?.slice(6, 30));
	});

	it("takes a language (en, ar or ckb; en by default), answers it, and changes it by PATCH", async () => {
		const plain = await createChannel({ kind: "slack", name: "#desk", url: slackUrl() });
		expect(plain.body).toMatchObject({ language: "en" });
		const ar = await createChannel({ kind: "telegram", name: "group", bot_token: botToken(), chat_id: "@vigil_ar", language: "ar" });
		expect(ar.body).toMatchObject({ language: "ar" });
		const patched = await call(`/api/channels/${ar.id}`, { method: "PATCH", admin: true, json: { language: "ckb" } });
		expect(await patched.json()).toMatchObject({ language: "ckb" });
		const before = await channelCount();
		const bad = await problem(
			await call("/api/channels", { method: "POST", admin: true, json: { kind: "slack", name: "x", url: slackUrl(), language: "fr" } }),
			422,
		);
		expect(JSON.stringify(bad)).toContain("/language");
		expect(await channelCount()).toBe(before);
		await problem(await call(`/api/channels/${ar.id}`, { method: "PATCH", admin: true, json: { language: "AR" } }), 422);
	});

	it("a Slack URL and a Telegram bot token are never answered, not even in the create answer", async () => {
		const slack = slackUrl();
		const token = botToken();
		const s = await createChannel({ kind: "slack", name: "#desk", url: slack });
		const t = await createChannel({ kind: "telegram", name: "group", bot_token: token, chat_id: "@vigil_desk" });
		expect(s.secret).toBeUndefined();
		expect(s.body).toMatchObject({ url: `https://hooks.slack.test/…${slack.slice(-4)}`, secret_hint: `…${slack.slice(-4)}` });
		expect(t.body).toMatchObject({ url: null, chat_id: "@vigil_desk", secret_hint: `…${token.slice(-4)}` });
		const secretPart = slack.split("/services/")[1] as string;
		for (const text of [
			JSON.stringify(s.body),
			JSON.stringify(t.body),
			await (await call(`/api/channels/${s.id}`, { admin: true })).text(),
			await (await call(`/api/channels/${t.id}`, { admin: true })).text(),
			await (await call("/api/channels?limit=200", { admin: true })).text(),
		]) {
			expect(text).not.toContain(secretPart.slice(0, 20));
			expect(text).not.toContain(token.split(":")[1]?.slice(0, 12));
		}
	});

	it.each([
		["http://hooks.example.org/x", "must be an https URL"],
		["https://127.0.0.1/hook", "must not point at localhost or a loopback address"],
		["http://localhost:9000/hook", "must not point at localhost or a loopback address"],
		["https://10.1.2.3/hook", "must not point at a loopback, private or link-local address"],
		["https://169.254.169.254/latest/meta-data", "must not point at a loopback, private or link-local address"],
		["https://[::1]/hook", "must not point at localhost or a loopback address"],
		["https://[fd00::1]/hook", "must not point at a loopback, private or link-local address"],
		["https://[::ffff:192.168.0.1]/hook", "must not point at a loopback, private or link-local address"],
		["https://user:pw@hooks.example.org/x", "must not carry a user name or password"],
		["ftp://hooks.example.org/x", "must be an https URL"],
	])("refuses %s with a 422 naming the rule, and writes nothing", async (url, rule) => {
		const before = await channelCount();
		for (const kind of ["webhook", "slack"]) {
			const body = await problem(await call("/api/channels", { method: "POST", admin: true, json: { kind, name: "x", url } }), 422);
			expect(body.errors).toEqual([{ path: "/url", message: expect.stringContaining(rule) }]);
		}
		expect(await channelCount()).toBe(before);
	});

	it("refuses fields the kind has not, unknown filters and a malformed bot token, naming the field", async () => {
		const before = await channelCount();
		const wrongField = await problem(
			await call("/api/channels", { method: "POST", admin: true, json: { kind: "slack", name: "x", url: slackUrl(), bot_token: botToken() } }),
			422,
		);
		expect(JSON.stringify(wrongField.errors)).toContain("bot_token");
		const badToken = await problem(
			await call("/api/channels", { method: "POST", admin: true, json: { kind: "telegram", name: "x", bot_token: "nope", chat_id: "1" } }),
			422,
		);
		expect(badToken.errors?.[0]?.path).toBe("/bot_token");
		const noZone = await problem(
			await call("/api/channels", { method: "POST", admin: true, json: { kind: "webhook", name: "x", url: webhookUrl(), zones: ["nowhere-zone"] } }),
			422,
		);
		expect(noZone.errors).toEqual([{ path: "/zones/0", message: 'no zone "nowhere-zone"' }]);
		expect(await channelCount()).toBe(before);
		const { id } = await createChannel({ kind: "webhook", name: "hook", url: webhookUrl() });
		const patch = await problem(await call(`/api/channels/${id}`, { method: "PATCH", admin: true, json: { chat_id: "-1001" } }), 422);
		expect(patch.errors).toEqual([{ path: "/chat_id", message: "a webhook channel has no chat_id" }]);
	});
});

describe("changing channels", () => {
	it("PATCH active=false stops a channel and active=true resumes it; DELETE hides it", async () => {
		const { id } = await createChannel({ kind: "telegram", name: "tg", bot_token: botToken(), chat_id: "-1001" });
		const stopped = await call(`/api/channels/${id}`, { method: "PATCH", admin: true, json: { active: false, name: "tg (paused)" } });
		expect(await stopped.json()).toMatchObject({ active: false, disabled_reason: "disabled by an admin", name: "tg (paused)" });
		const resumed = await call(`/api/channels/${id}`, { method: "PATCH", admin: true, json: { active: true } });
		expect(await resumed.json()).toMatchObject({ active: true, disabled_reason: null, disabled_at: null });
		expect((await call(`/api/channels/${id}`, { method: "DELETE", admin: true })).status).toBe(204);
		await problem(await call(`/api/channels/${id}`, { admin: true }), 404);
		await problem(await call(`/api/channels/${id}`, { method: "DELETE", admin: true }), 404);
	});

	it("rotating a webhook's secret signs with both secrets during the overlap; other kinds are a 409", async () => {
		const url = webhookUrl();
		const { id, secret: first } = await createChannel({ kind: "webhook", name: "hook", url });
		const rotated = await call(`/api/channels/${id}/rotate`, { method: "POST", admin: true });
		const { secret: second, previous_secret_expires_at } = (await rotated.json()) as { secret: string; previous_secret_expires_at: string };
		expect(second).not.toBe(first);
		expect(new Date(previous_secret_expires_at).getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
		const receivers = new FakeReceivers().install();
		const answer = (await (await call(`/api/channels/${id}/test`, { method: "POST", admin: true })).json()) as { ok: boolean };
		expect(answer.ok).toBe(true);
		const [delivery] = receivers.to(url);
		expect(delivery?.headers.get("webhook-signature")?.split(" ")).toHaveLength(2);
		// A receiver on either secret accepts it.
		for (const secret of [first as string, second]) {
			expect(new Webhook(secret).verify(delivery?.body ?? "", headersOf(delivery?.headers ?? new Headers()))).toMatchObject({ type: "vigil.test" });
		}
		const slack = await createChannel({ kind: "slack", name: "s", url: slackUrl() });
		await problem(await call(`/api/channels/${slack.id}/rotate`, { method: "POST", admin: true }), 409);
	});
});

describe("the test message", () => {
	it("answers what the receiver said (status and a short excerpt) and leaves the ledger and the channel alone", async () => {
		const url = slackUrl();
		const { id } = await createChannel({ kind: "slack", name: "s", url });
		const receivers = new FakeReceivers().install();
		receivers.answer(url, () => new Response("channel_is_archived", { status: 410 }));
		const alertsBefore = await alertCount();
		const refused = await call(`/api/channels/${id}/test`, { method: "POST", admin: true });
		expect(await refused.json()).toEqual({ ok: false, status: 410, excerpt: "channel_is_archived" });
		expect(await (await call(`/api/channels/${id}`, { admin: true })).json()).toMatchObject({ active: true });
		const ok = await call(`/api/channels/${id}/test`, { method: "POST", admin: true });
		expect(await ok.json()).toEqual({ ok: true, status: 200, excerpt: "ok" });
		expect(JSON.parse(receivers.to(url)[1]?.body ?? "{}")).toEqual({ text: expect.stringContaining('Vigil test message for the channel "s"') });
		expect(await alertCount()).toBe(alertsBefore);
	});

	it("never repeats a bot token, even when the receiver's answer echoes it", async () => {
		const token = botToken();
		const { id } = await createChannel({ kind: "telegram", name: "tg", bot_token: token, chat_id: "-1001" });
		const receivers = new FakeReceivers().install();
		receivers.answer(telegramPrefix(token), () =>
			Response.json({ ok: false, error_code: 401, description: `Unauthorized: bot${token} is not valid` }, { status: 401 }),
		);
		const text = await (await call(`/api/channels/${id}/test`, { method: "POST", admin: true })).text();
		expect(text).toContain('"status":401');
		expect(text).toContain("[redacted]");
		expect(text).not.toContain(token.split(":")[1]);
	});
});

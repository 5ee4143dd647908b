// The email-events queue: Email Service's delivery events delivered to the Worker's queue()
// handler as the Queues runtime would (the vitest plugin's message batches), and what each leaves
// behind: the subscriber row, the next sweep's mail, the ack or retry of every message, its log line.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { emailEvents } from "../../worker/db/schema";
import worker from "../../worker/index";
import { CONSUMERS } from "../../worker/queues";
import type { SubscriberJson } from "../../worker/subscribers/schema";
import { EMAIL_EVENT_RETENTION_MS } from "../../worker/subscribers/suppression";
import { DAY, ledgerOf, scenario, subscriberRow, sweepAt } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { faultyD1 } from "../support/faulty-d1";
import { call, problem, uniqueSlug } from "../support/http";

const QUEUE = "vigil-email-events";
const DUE = Date.UTC(2031, 8, 1, 12);
const CREATED = DUE - 40 * DAY;
const MIN = 60_000;
/** The P7D offset has just been crossed; the P1D one comes six days later. */
const T7 = DUE - 7 * DAY + MIN;
const T1 = DUE - DAY + MIN;

afterEach(() => vi.restoreAllMocks());

let seq = 0;
/** An event as the docs' examples show it (developers.cloudflare.com/email-service/platform/event-subscriptions/). */
function emailEvent(kind: string, recipient: string, payload: Record<string, unknown> = {}) {
	return {
		type: `cf.email.sending.message.${kind}`,
		source: { type: "email.sending", zoneId: "023e105f4ecef8ad9ca31a8372d0c353", domain: "example.org" },
		payload: {
			eventId: `evt-${uniqueSlug()}`,
			messageId: `msg-${++seq}`,
			sender: "vigil@example.org",
			recipient,
			subject: "[Vigil] x",
			terminal: true,
			...payload,
		},
		metadata: {
			accountId: "f9f79265f388666de8122cfb508d7776",
			eventSubscriptionId: "1830c4bb",
			eventSchemaVersion: 1,
			eventTimestamp: new Date().toISOString(),
		},
	};
}
const hardBounce = (to: string) =>
	emailEvent("bounced", to, { bounce: { type: "hard", classification: "permanent_failure", reason: "550 5.1.1 User unknown" } });
const softBounce = (to: string) =>
	emailEvent("bounced", to, { bounce: { type: "soft", classification: "temporary_failure", reason: "452 4.2.2 Mailbox full" } });

/** Delivers the bodies as one batch to queue() and returns what was acked and retried. */
async function deliver(bodies: unknown[], options: { queue?: string; env?: typeof env } = {}) {
	const messages = bodies.map((body) => ({ id: `m-${++seq}`, timestamp: new Date(), attempts: 1, body }));
	const batch = createMessageBatch(options.queue ?? QUEUE, messages);
	await worker.queue(batch, options.env ?? env);
	// The handler uses no ExecutionContext; getQueueResult reads the acks and retries off the batch.
	const result = await getQueueResult(batch, createExecutionContext());
	return { ids: messages.map((m) => m.id), ...result };
}

const subscriberJson = async (id: number): Promise<SubscriberJson> => {
	const res = await call(`/api/subscribers/${id}`, { admin: true });
	expect(res.status).toBe(200);
	return (await res.json()) as SubscriberJson;
};
const statusSubscribers = async () => ((await (await call("/status")).json()) as { subscribers: { suppressed: number; soft_bouncing: number } }).subscribers;
const eventRows = (eventId: string) => db.select().from(emailEvents).where(eq(emailEvents.eventId, eventId));
/** The JSON lines the consumer logged on one console method. */
const lines = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);

describe("the email-events queue", () => {
	it("suppresses on a hard bounce: acked, shown on the subscriber and /status, and the next sweep mails them nothing", async () => {
		const { subscriber, email } = await scenario(DUE, CREATED);
		const mail = new FakeEmail();
		await sweepAt(mail, T7);
		expect(mail.to(email)).toHaveLength(1);
		const before = await statusSubscribers();

		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(DUE - 3 * DAY);
		const bounce = hardBounce(email);
		const result = await deliver([bounce]);
		vi.useRealTimers();

		expect([result.explicitAcks, result.retryMessages]).toEqual([result.ids, []]);
		expect(await subscriberJson(subscriber.id)).toMatchObject({
			suppressed_at: new Date(DUE - 3 * DAY).toISOString(),
			suppressed_reason: "hard_bounce",
			soft_bounces: 0,
		});
		expect(await eventRows(bounce.payload.eventId)).toMatchObject([{ kind: "bounced", subscriberId: subscriber.id }]);
		expect(await statusSubscribers()).toEqual({ ...before, suppressed: before.suppressed + 1 });

		await sweepAt(mail, T1);
		await sweepAt(mail, DUE + MIN);
		expect(mail.to(email)).toHaveLength(1);
		expect((await ledgerOf(email)).map((r) => [r.offset, r.status])).toEqual([["P7D", "sent"]]);
	});

	it("suppresses on a complaint", async () => {
		const { subscriber, email } = await scenario(DUE, CREATED);
		const result = await deliver([emailEvent("complained", email, { complaint: { type: "abuse" } })]);
		expect(result.explicitAcks).toEqual(result.ids);
		expect(await subscriberJson(subscriber.id)).toMatchObject({ suppressed_reason: "complaint", suppressed_at: expect.any(String) });
		const mail = new FakeEmail();
		await sweepAt(mail, T7);
		expect(mail.to(email)).toEqual([]);
	});

	it("suppresses when Email Service rejected the message because the address is on its suppression list", async () => {
		const { subscriber, email } = await scenario(DUE, CREATED);
		await deliver([emailEvent("rejected", email, { rejection: { reason: "suppressed", party: "recipient", detail: "Recipient is suppressed" } })]);
		expect((await subscriberRow(subscriber.id))?.suppressedReason).toBe("provider_suppressed");
	});

	it("gives up an alert still pending when its recipient is suppressed, with the reason in the ledger", async () => {
		const { email } = await scenario(DUE, CREATED);
		const mail = new FakeEmail();
		mail.failFor(email, 1, "E_INTERNAL_SERVER_ERROR");
		await sweepAt(mail, T7);
		expect((await ledgerOf(email)).map((r) => r.status)).toEqual(["pending"]);
		await deliver([hardBounce(email)]);
		await sweepAt(mail, T7 + DAY);
		expect(mail.to(email)).toEqual([]);
		expect((await ledgerOf(email)).map((r) => [r.status, r.lastError])).toEqual([["failed", "suppressed (hard_bounce)"]]);
	});

	it("counts a soft bounce and keeps mailing", async () => {
		const { subscriber, email } = await scenario(DUE, CREATED);
		const before = await statusSubscribers();
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(DUE - 8 * DAY);
		await deliver([softBounce(email)]);
		vi.useRealTimers();
		expect(await subscriberJson(subscriber.id)).toMatchObject({
			suppressed_at: null,
			suppressed_reason: null,
			soft_bounces: 1,
			last_soft_bounce_at: new Date(DUE - 8 * DAY).toISOString(),
		});
		expect(await statusSubscribers()).toEqual({ ...before, soft_bouncing: before.soft_bouncing + 1 });
		const mail = new FakeEmail();
		await sweepAt(mail, T7);
		expect(mail.to(email)).toHaveLength(1);
	});

	it("applies an event id once, however often it is delivered (in one batch or later)", async () => {
		const { subscriber, email } = await scenario(DUE, CREATED);
		const bounce = softBounce(email);
		const log = vi.spyOn(console, "log").mockImplementation(() => {});
		const first = await deliver([bounce, bounce]);
		const again = await deliver([bounce]);
		expect([first.explicitAcks, again.explicitAcks]).toEqual([first.ids, again.ids]);
		expect((await subscriberRow(subscriber.id))?.softBounces).toBe(1);
		expect(await eventRows(bounce.payload.eventId)).toHaveLength(1);
		expect(lines(log).map((l) => [l.event_id, l.outcome])).toEqual([
			[bounce.payload.eventId, "soft_bounce_counted"],
			[bounce.payload.eventId, "duplicate"],
			[bounce.payload.eventId, "duplicate"],
		]);
	});

	it("forgets applied event ids after 30 days, in the sweep's hourly chores, and keeps the recent ones", async () => {
		const { subscriber, email } = await scenario(DUE, CREATED);
		const [old, recent] = [softBounce(email), softBounce(email)];
		vi.spyOn(console, "log").mockImplementation(() => {});
		await deliver([old, recent]);
		const hour = Date.UTC(2040, 0, 1, 9);
		await db
			.update(emailEvents)
			.set({ receivedAt: new Date(hour - EMAIL_EVENT_RETENTION_MS - 1) })
			.where(eq(emailEvents.eventId, old.payload.eventId));
		await db
			.update(emailEvents)
			.set({ receivedAt: new Date(hour - EMAIL_EVENT_RETENTION_MS + MIN) })
			.where(eq(emailEvents.eventId, recent.payload.eventId));
		await sweepAt(new FakeEmail(), hour);
		expect(await eventRows(old.payload.eventId)).toEqual([]);
		expect(await eventRows(recent.payload.eventId)).toHaveLength(1);
		expect((await subscriberRow(subscriber.id))?.softBounces).toBe(2);
	});

	it("acknowledges an event for an address it does not know, records nothing and logs one line without the address", async () => {
		const stranger = `${uniqueSlug("nobody")}@example.org`;
		const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
		const bounce = hardBounce(stranger);
		const result = await deliver([bounce]);
		expect([result.explicitAcks, result.retryMessages]).toEqual([result.ids, []]);
		expect(await eventRows(bounce.payload.eventId)).toEqual([]);
		expect(lines(warn)).toEqual([
			{
				event: "email_event",
				queue: QUEUE,
				message_id: result.ids[0],
				event_id: bounce.payload.eventId,
				type: bounce.type,
				outcome: "unknown_recipient",
				subscriber_id: null,
			},
		]);
		expect(String(warn.mock.calls[0]?.[0])).not.toContain(stranger);
	});

	it("acknowledges malformed messages, each with one JSON log line, and never retries them", async () => {
		const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
		const bodies = [
			null,
			"cf.email.sending.message.bounced",
			42,
			{},
			{ type: "cf.email.sending.message.bounced" },
			{ type: "cf.email.sending.message.bounced", payload: { eventId: 7, recipient: "x@example.org" } },
			{ type: "cf.email.sending.message.bounced", payload: { eventId: "evt-no-recipient" } },
			{ type: "", payload: { eventId: "evt-x", recipient: "x@example.org" } },
		];
		const result = await deliver(bodies);
		expect([result.explicitAcks, result.retryMessages, result.retryBatch.retry]).toEqual([result.ids, [], false]);
		expect(lines(warn).map((l) => [l.event, l.message_id, l.outcome])).toEqual(result.ids.map((id) => ["email_event", id, "malformed"]));
	});

	it("acknowledges kinds that change nothing: delivered, deferred (still retrying), failed, other rejections, unknown types", async () => {
		const { subscriber, email } = await scenario(DUE, CREATED);
		const log = vi.spyOn(console, "log").mockImplementation(() => {});
		const result = await deliver([
			emailEvent("delivered", email, { delivery: { status: "delivered", smtpStatusCode: "250" } }),
			emailEvent("deferred", email, { terminal: false, bounce: { type: "soft", classification: "temporary_failure" } }),
			emailEvent("failed", email, { failure: { reason: "delivery_failed" } }),
			emailEvent("rejected", email, { rejection: { reason: "spam", party: "sender" } }),
			emailEvent("opened", email),
			{ ...hardBounce(email), type: "com.example.other.bounced" },
		]);
		expect(result.explicitAcks).toEqual(result.ids);
		expect(lines(log).map((l) => l.outcome)).toEqual(result.ids.map(() => "ignored"));
		expect(await subscriberRow(subscriber.id)).toMatchObject({ suppressedAt: null, softBounces: 0 });
	});

	it("a bounce of a type the docs do not name is counted as soft, never taken for a hard one", async () => {
		const { subscriber, email } = await scenario(DUE, CREATED);
		await deliver([emailEvent("bounced", email, { bounce: { type: "undetermined" } }), emailEvent("bounced", email)]);
		expect(await subscriberRow(subscriber.id)).toMatchObject({ suppressedAt: null, softBounces: 2 });
	});

	it("retries a message whose D1 write failed, and applies it once when it comes back, even if the write had committed", async () => {
		const { subscriber, email } = await scenario(DUE, CREATED);
		const error = vi.spyOn(console, "error").mockImplementation(() => {});
		for (const afterCommit of [false, true]) {
			const bounce = softBounce(email);
			// Round trip 1 finds the subscriber, 2 is the batch that writes the effect and the event id.
			const broken = { ...env, DB: faultyD1(env.DB, { failAt: 2, calls: 0, afterCommit }) };
			const failed = await deliver([bounce], { env: broken });
			expect([failed.explicitAcks, failed.retryMessages.map((m) => m.msgId)]).toEqual([[], failed.ids]);
			const retried = await deliver([bounce]);
			expect(retried.explicitAcks).toEqual(retried.ids);
		}
		expect((await subscriberRow(subscriber.id))?.softBounces).toBe(2);
		expect(lines(error).map((l) => [l.outcome, typeof l.error])).toEqual([
			["retry", "string"],
			["retry", "string"],
		]);
	});

	it("logs a failed D1 round trip by D1's error, never with the query's parameters (the address)", async () => {
		const { email } = await scenario(DUE, CREATED);
		const error = vi.spyOn(console, "error").mockImplementation(() => {});
		for (const failAt of [1, 2]) {
			const failed = await deliver([softBounce(email)], { env: { ...env, DB: faultyD1(env.DB, { failAt, calls: 0 }) } });
			expect(failed.retryMessages).toHaveLength(1);
		}
		expect(lines(error).map((l) => l.error)).toEqual(["Error: D1_ERROR: Network connection lost.", "Error: D1_ERROR: Network connection lost."]);
		expect(JSON.stringify(error.mock.calls)).not.toContain(email);
	});

	it("retries a batch from a queue nothing consumes rather than dropping it", async () => {
		vi.spyOn(console, "error").mockImplementation(() => {});
		const result = await deliver([softBounce("x@example.org")], { queue: "some-other-queue" });
		expect([result.retryBatch.retry, result.explicitAcks]).toEqual([true, []]);
	});

	it("has a consumer for every queue wrangler.toml consumes, and none for a queue it does not", () => {
		expect([...env.WRANGLER_QUEUE_CONSUMERS].sort()).toEqual(Object.keys(CONSUMERS).sort());
	});
});

describe("POST /api/subscribers/:id/reactivate", () => {
	it("resumes mail to a suppressed subscriber and resets the soft-bounce count", async () => {
		const { subscriber, email } = await scenario(DUE, CREATED);
		await deliver([softBounce(email), hardBounce(email)]);
		const mail = new FakeEmail();
		await sweepAt(mail, T7);
		expect(mail.to(email)).toEqual([]);

		const res = await call(`/api/subscribers/${subscriber.id}/reactivate`, { method: "POST", admin: true });
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({
			id: subscriber.id,
			suppressed_at: null,
			suppressed_reason: null,
			soft_bounces: 0,
			last_soft_bounce_at: expect.any(String),
		});
		expect((await subscriberRow(subscriber.id))?.suppressedAt).toBeNull();
		await sweepAt(mail, T1);
		expect(mail.to(email)).toHaveLength(1);
	});

	it("leaves an unsubscribed subscriber unsubscribed, and answers 404 and 401 as the other subscriber routes do", async () => {
		const { subscriber, email } = await scenario(DUE, CREATED);
		await deliver([hardBounce(email)]);
		expect((await call(`/api/subscribers/${subscriber.id}`, { method: "DELETE", admin: true })).status).toBe(200);
		const res = await call(`/api/subscribers/${subscriber.id}/reactivate`, { method: "POST", admin: true });
		expect(await res.json()).toMatchObject({ suppressed_at: null, unsubscribed_at: expect.any(String) });
		await problem(await call("/api/subscribers/999999999/reactivate", { method: "POST", admin: true }), 404);
		await problem(await call("/api/subscribers/not-an-id/reactivate", { method: "POST", admin: true }), 404);
		await problem(await call(`/api/subscribers/${subscriber.id}/reactivate`, { method: "POST" }), 401);
		await problem(await call(`/api/subscribers/${subscriber.id}`), 401);
		expect((await subscriberRow(subscriber.id))?.unsubscribedAt).not.toBeNull();
	});

	it("GET /api/subscribers lists the delivery state too", async () => {
		const { subscriber, email } = await scenario(DUE, CREATED);
		await deliver([hardBounce(email)]);
		const res = await call("/api/subscribers?limit=200", { admin: true });
		const { items } = (await res.json()) as { items: SubscriberJson[] };
		expect(items.find((s) => s.id === subscriber.id)).toMatchObject({ suppressed_reason: "hard_bounce", soft_bounces: 0 });
	});
});

// Local fake receivers for alert channels, inside workerd: the Worker's outbound fetch() is
// answered here (vi.spyOn on globalThis.fetch, the vitest plugin's current way to stand in for the
// network), so nothing leaves the machine. Each receiver is a URL prefix with a script of answers;
// what arrives is recorded whole (URL, headers, body), so tests count and verify at the receiver.
import { vi } from "vitest";
import { call, uniqueSlug } from "./http";

export interface Received {
	url: string;
	headers: Headers;
	body: string;
}

type Answer = () => Response;

/** Telegram's answer to a sendMessage that worked. */
const telegramOk = (n: number) => Response.json({ ok: true, result: { message_id: n, date: 0, chat: { id: -100 } } });

/** Every request the Worker sends out, answered by the receiver whose prefix matches (404 for none). */
export class FakeReceivers {
	readonly received: Received[] = [];
	private scripts = new Map<string, Answer[]>();
	private counter = 0;

	/** The next answers of the receiver at `prefix`, in order; after them it answers 2xx again. */
	answer(prefix: string, ...answers: Answer[]): void {
		this.scripts.set(prefix, [...(this.scripts.get(prefix) ?? []), ...answers]);
	}

	/** What reached the receiver at `prefix`. */
	to(prefix: string): Received[] {
		return this.received.filter((r) => r.url.startsWith(prefix));
	}

	/** Replaces globalThis.fetch for the current test (vi.restoreAllMocks puts it back). */
	install(): this {
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => this.handle(new Request(input, init)));
		return this;
	}

	private async handle(request: Request): Promise<Response> {
		const url = request.url;
		this.received.push({ url, headers: request.headers, body: await request.text() });
		const prefix = [...this.scripts.keys()].find((p) => url.startsWith(p));
		const next = prefix ? this.scripts.get(prefix)?.shift() : undefined;
		if (next) return next();
		if (url.startsWith("https://telegram.test/")) return telegramOk(++this.counter);
		if (url.includes(".receiver.test/") || url.includes(".slack.test/")) return new Response("ok");
		return new Response("no receiver here", { status: 404 });
	}
}

/** A unique webhook receiver URL, a Slack-like incoming-webhook URL, a bot token. */
export const webhookUrl = () => `https://hooks.receiver.test/${uniqueSlug("wh")}`;
export const slackUrl = () => `https://hooks.slack.test/services/${uniqueSlug("T")}/${uniqueSlug("B")}/EXAMPLEsecretPart${uniqueSlug("x")}`;
export const botToken = () => `${Math.floor(Math.random() * 1e9)}:EXAMPLE-token-${uniqueSlug("t").replace(/[^A-Za-z0-9_-]/g, "")}`;
export const telegramPrefix = (token: string) => `https://telegram.test/bot${token}/`;

/** Creates a channel through the API; returns its id and (for a webhook) the secret shown once. */
export async function createChannel(json: Record<string, unknown>): Promise<{ id: number; secret?: string; body: Record<string, unknown> }> {
	const res = await call("/api/channels", { method: "POST", admin: true, json });
	if (res.status !== 201) throw new Error(`channel create: ${res.status} ${await res.text()}`);
	const body = (await res.json()) as { id: number; secret?: string };
	return { id: body.id, secret: body.secret, body };
}

/** One channel of each kind following `tag`, and the URL prefix each one's deliveries arrive at. */
export async function everyKind(tag: string) {
	const hook = webhookUrl();
	const slack = slackUrl();
	const token = botToken();
	const webhook = await createChannel({ kind: "webhook", name: "hook", url: hook, tags: [tag] });
	const slackChannel = await createChannel({ kind: "slack", name: "slack", url: slack, tags: [tag] });
	const telegram = await createChannel({ kind: "telegram", name: "tg", bot_token: token, chat_id: "-1001234", tags: [tag] });
	return {
		webhook: { ...webhook, prefix: hook, secret: webhook.secret as string },
		slack: { ...slackChannel, prefix: slack },
		telegram: { ...telegram, prefix: telegramPrefix(token), token },
	};
}

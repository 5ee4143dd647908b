/** POST /api/channels/:id/test: one message now, outside the ledger, and what the receiver said. */
import type { ChannelRow } from "../../db/schema";
import type { Config } from "../../env";
import { deliver, slackRequest, telegramRequest, webhookRequest } from "./deliver";
import { slackEscape, telegramEscape, testWords } from "./messages";
import { credentialsOf } from "./queries";
import type { ChannelTestResultJson } from "./schema";

/** Sends the kind's test message (a webhook's is signed like an alert, `type: "vigil.test"`) and reports the answer. */
export async function testChannel(channel: ChannelRow, config: Config, now: Date): Promise<ChannelTestResultJson> {
	const secrets = await credentialsOf(channel, config.secretsKey, now);
	const [credential = ""] = secrets;
	const words = testWords(channel.name, channel.language);
	const request =
		channel.kind === "webhook"
			? await webhookRequest(
					channel.url ?? "",
					secrets,
					`vigil_test_${crypto.randomUUID()}`,
					JSON.stringify({ type: "vigil.test", timestamp: now.toISOString(), data: { channel_id: channel.id, message: words } }),
					now,
				)
			: channel.kind === "slack"
				? slackRequest(credential, { text: slackEscape(words) })
				: telegramRequest(config.telegramApiUrl, credential, channel.chatId ?? "", telegramEscape(words));
	const outcome = await deliver(channel.kind, request, secrets, now);
	return { ok: outcome.ok, status: outcome.status, excerpt: outcome.ok ? outcome.excerpt : outcome.excerpt || outcome.error };
}

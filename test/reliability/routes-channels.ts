// The security-matrix rows for the alert channel routes (see routes.ts for what a row means).
// Channel URLs point at the fake receivers of test/support/receivers.ts; the test route's
// delivery is answered there too, so no row reaches the network.
import { env } from "cloudflare:test";
import { createChannel, FakeReceivers, webhookUrl } from "../support/receivers";
import type { RouteRow } from "./routes";

const channelsPrint = () =>
	env.DB.prepare(
		"SELECT count(*) AS n, total(updated_at) AS u, count(disabled_at) AS d, count(deleted_at) AS x, total(length(secret_enc)) AS s, (SELECT count(*) FROM alerts) AS a FROM channels",
	).first();

const makeWebhook = async () => (await createChannel({ kind: "webhook", name: "matrix", url: webhookUrl() })).id;

export const CHANNELS_ROUTES: RouteRow[] = [
	{ method: "GET", path: "/api/channels", access: "admin", ok: 200, prepare: async () => ({ path: "/api/channels?limit=2" }) },
	{
		method: "POST",
		path: "/api/channels",
		access: "admin",
		ok: 201,
		fingerprint: channelsPrint,
		prepare: async () => ({ path: "/api/channels", json: { kind: "webhook", name: "matrix", url: webhookUrl() } }),
	},
	{ method: "GET", path: "/api/channels/{id}", access: "admin", ok: 200, prepare: async () => ({ path: `/api/channels/${await makeWebhook()}` }) },
	{
		method: "PATCH",
		path: "/api/channels/{id}",
		access: "admin",
		ok: 200,
		fingerprint: channelsPrint,
		prepare: async () => ({ path: `/api/channels/${await makeWebhook()}`, json: { name: "renamed", active: false } }),
	},
	{
		method: "DELETE",
		path: "/api/channels/{id}",
		access: "admin",
		ok: 204,
		fingerprint: channelsPrint,
		prepare: async () => ({ path: `/api/channels/${await makeWebhook()}` }),
	},
	{
		method: "POST",
		path: "/api/channels/{id}/rotate",
		access: "admin",
		ok: 200,
		fingerprint: channelsPrint,
		prepare: async () => ({ path: `/api/channels/${await makeWebhook()}/rotate` }),
	},
	{
		method: "POST",
		path: "/api/channels/{id}/test",
		access: "admin",
		ok: 200,
		// Writes nothing (the ledger and the channel stay as they are): no fingerprint to compare.
		prepare: async () => {
			new FakeReceivers().install();
			return { path: `/api/channels/${await makeWebhook()}/test` };
		},
	},
];

import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { acknowledgedAlertExample, alertListExample, endedSilenceExample, silenceExample, silenceListExample } from "../../worker/alerts/examples";
import { Alert, AlertList } from "../../worker/alerts/schema";
import { Silence, SilenceList } from "../../worker/alerts/silence-schema";
import { Incident } from "../../worker/incidents/columns";
import {
	importCsvExample,
	importResultExample,
	incidentExample,
	incidentListExample,
	verifiedIncidentExample,
	webhookAcceptedExample,
} from "../../worker/incidents/examples";
import { acledRowToInput } from "../../worker/incidents/import";
import { Envelope, ImportResult, IncidentInput, IncidentList, WebhookAccepted } from "../../worker/incidents/schema";
import {
	cancelledMilestoneExample,
	milestoneExample,
	milestoneListExample,
	revisionListExample,
	slippedMilestoneExample,
} from "../../worker/milestones/examples";
import { Milestone, MilestoneList, RevisionList } from "../../worker/milestones/schema";
import { deactivatedSourceExample, newSourceExample, rotatedSourceExample, sourceExample, sourceListExample } from "../../worker/sources/examples";
import { Source, SourceList, SourceWithSecret, UpdateSource } from "../../worker/sources/schema";
import { statusExample } from "../../worker/status/examples";
import { Status } from "../../worker/status/schema";
import { pausedSubscriberExample, subscriberExample, subscriberListExample, unsubscribedSubscriberExample } from "../../worker/subscribers/examples";
import { Subscriber, SubscriberList, UpdateSubscriber } from "../../worker/subscribers/schema";
import { zoneExample, zoneListExample } from "../../worker/zones/examples";
import { Zone, ZoneList } from "../../worker/zones/schema";
import { call, problem } from "../support/http";

type Operation = {
	requestBody?: { content?: Record<string, { schema?: { $ref?: string }; example?: unknown }> };
	summary?: string;
	responses?: Record<string, { content?: Record<string, { schema?: unknown; example?: unknown; examples?: unknown }> }>;
};
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, unknown> } };

const METHODS = new Set(["get", "post", "put", "patch", "delete"]);
// A liveness probe takes no input and no token: no client error exists for it to document.
const NO_CLIENT_ERRORS = new Set(["GET /healthz"]);

async function document(): Promise<Doc> {
	const res = await call("/openapi.json");
	expect(res.status).toBe(200);
	return (await res.json()) as Doc;
}

function operations(doc: Doc): [string, Operation][] {
	return Object.entries(doc.paths).flatMap(([path, item]) =>
		Object.entries(item)
			.filter(([m]) => METHODS.has(m))
			.map(([m, op]): [string, Operation] => [`${m.toUpperCase()} ${path}`, op]),
	);
}

describe("/openapi.json", () => {
	// Validation against the OpenAPI 3.1 schema is in test/node/openapi-valid.test.ts: swagger-parser does not load in workerd.
	it("gives every operation a summary and at least one 4xx problem response", async () => {
		const ops = operations(await document());
		expect(ops.length).toBeGreaterThan(5);
		const names = ops.map(([name]) => name);
		for (const exempt of NO_CLIENT_ERRORS) expect(names).toContain(exempt);
		expect(ops.filter(([, op]) => !op.summary?.trim()).map(([name]) => name)).toEqual([]);
		const no4xx = ops.filter(([name, op]) => !NO_CLIENT_ERRORS.has(name) && !Object.keys(op.responses ?? {}).some((code) => /^4\d\d$/.test(code)));
		expect(no4xx.map(([name]) => name)).toEqual([]);
		for (const [, op] of ops) {
			for (const [code, res] of Object.entries(op.responses ?? {})) {
				if (/^[45]/.test(code)) expect(Object.keys(res.content ?? {})).toEqual(["application/problem+json"]);
			}
		}
	});

	it("gives every response and request body an example", async () => {
		const doc = await document();
		const schemas = (doc.components?.schemas ?? {}) as Record<string, { example?: unknown }>;
		const missing: string[] = [];
		for (const [name, op] of operations(doc)) {
			for (const [code, res] of Object.entries(op.responses ?? {})) {
				for (const [type, media] of Object.entries(res.content ?? {})) if (media.example === undefined) missing.push(`${name} ${code} ${type}`);
			}
			for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
				const ref = media.schema?.$ref?.split("/").at(-1);
				if (media.example === undefined && (ref === undefined || schemas[ref]?.example === undefined)) missing.push(`${name} request ${type}`);
			}
		}
		expect(missing).toEqual([]);
	});

	it("uses examples that the response schemas accept", () => {
		expect(() => Milestone.parse(milestoneExample)).not.toThrow();
		expect(() => Milestone.parse(slippedMilestoneExample)).not.toThrow();
		expect(() => Milestone.parse(cancelledMilestoneExample)).not.toThrow();
		expect(() => MilestoneList.parse(milestoneListExample)).not.toThrow();
		expect(() => RevisionList.parse(revisionListExample)).not.toThrow();
		expect(() => Zone.parse(zoneExample)).not.toThrow();
		expect(() => ZoneList.parse(zoneListExample)).not.toThrow();
		expect(() => Status.parse(statusExample)).not.toThrow();
	});

	it("uses intake and alerting examples that their response schemas accept", () => {
		const pairs: [{ parse: (v: unknown) => unknown }, unknown][] = [
			[SourceList, sourceListExample],
			[Source, sourceExample],
			[Source, deactivatedSourceExample],
			[SourceWithSecret, newSourceExample],
			[SourceWithSecret, rotatedSourceExample],
			[IncidentList, incidentListExample],
			[Incident, incidentExample],
			[Incident, verifiedIncidentExample],
			[ImportResult, importResultExample],
			[WebhookAccepted, webhookAcceptedExample],
			[SubscriberList, subscriberListExample],
			[Subscriber, subscriberExample],
			[Subscriber, unsubscribedSubscriberExample],
			[Subscriber, pausedSubscriberExample],
			[SilenceList, silenceListExample],
			[Silence, silenceExample],
			[Silence, endedSilenceExample],
			[AlertList, alertListExample],
			[Alert, acknowledgedAlertExample],
		];
		for (const [schema, example] of pairs) expect(() => schema.parse(example)).not.toThrow();
	});

	it("uses request examples that the receivers accept", async () => {
		const schemas = (await document()).components?.schemas as Record<string, { example?: unknown }>;
		const envelope = Envelope.parse(schemas.WebhookEnvelope?.example);
		expect(() => IncidentInput.parse(envelope.data)).not.toThrow();
		expect(() => UpdateSource.parse(schemas.UpdateSource?.example)).not.toThrow();
		expect(() => UpdateSubscriber.parse(schemas.UpdateSubscriber?.example)).not.toThrow();
		const rows = Papa.parse<Record<string, string>>(importCsvExample, { header: true, skipEmptyLines: "greedy" });
		expect(rows.errors).toEqual([]);
		expect(rows.data).toHaveLength(1);
		for (const row of rows.data) expect(() => IncidentInput.parse(acledRowToInput(row))).not.toThrow();
	});

	it("documents the Atom feed and the status page", async () => {
		const doc = await document();
		expect(doc.paths["/feeds/incidents.atom"]?.get?.responses?.["200"]?.content?.["application/atom+xml"]?.example).toContain("<feed");
		expect(doc.paths["/"]?.get?.summary).toBe("The status page (HTML)");
	});
});

describe("/docs", () => {
	it("serves Scalar's page with a CSP that allows scripts from this origin and the hash of its inline bootstrap, and nothing from elsewhere", async () => {
		const res = await call("/docs");
		expect(res.status).toBe(200);
		const csp = res.headers.get("content-security-policy") ?? "";
		expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(csp).not.toMatch(/https?:/);
		expect(csp).toContain("default-src 'none'");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(res.headers.get("x-frame-options")).toBe("DENY");
		expect(res.headers.get("x-content-type-options")).toBe("nosniff");
		const html = await res.text();
		expect(html).toContain("/openapi.json");
		expect([...html.matchAll(/<script[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1])).toEqual([
			expect.stringMatching(/^\/docs\/scalar-api-reference-\d+\.\d+\.\d+\.js$/),
		]);
	});

	it("serves the pinned Scalar script itself, from its static assets, cacheable for a year", async () => {
		const html = await (await call("/docs")).text();
		const src = /<script[^>]*\bsrc="([^"]*)"/.exec(html)?.[1] ?? "";
		const res = await call(src);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
		expect(res.headers.get("x-content-type-options")).toBe("nosniff");
		expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
		expect(await res.text()).toContain("createApiReference");
	});

	it("names its language and darkens Scalar's low-contrast greys (axe-core in the browser test)", async () => {
		const html = await (await call("/docs")).text();
		expect(html).toMatch(/<html lang="en">/);
		expect(html).toMatch(/\.light-mode\{--scalar-color-2:#[0-9a-f]{6};--scalar-color-3:/);
	});

	it("serves no other asset, and no other version of the script", async () => {
		await problem(await call("/docs/scalar-api-reference-0.0.1.js"), 404);
		await problem(await call("/docs/"), 404);
	});
});

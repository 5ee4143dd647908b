import { SEED_SOURCE, SEED_ZONES, seedIncidentsCsv } from "./incidents";
import { SEED_MILESTONES } from "./iraq-2025";
import { SEED_PAGE } from "./page";

/** Sends one admin request to a running Vigil (JSON unless a content type is given). */
export type AdminApi = (method: string, path: string, body: unknown, contentType?: string) => Promise<Response>;

export interface SeedReport {
	created: number;
	existing: number;
	incidents: { created: number; updated: number };
}

/**
 * Loads the seed through the public API, so it obeys every rule a client does. Idempotent:
 * what already exists (409 on its slug, or 200 from a zone create sent again) is left as it is,
 * and incidents are upserted by their ACLED event id.
 */
export async function loadSeed(api: AdminApi): Promise<SeedReport> {
	const report: SeedReport = { created: 0, existing: 0, incidents: { created: 0, updated: 0 } };
	const post = async (path: string, body: unknown) => {
		const res = await api("POST", path, body);
		if (res.status === 201) report.created++;
		else if (res.status === 409 || res.status === 200) report.existing++;
		else throw new Error(`seed: POST ${path} answered ${res.status}: ${await res.text()}`);
	};
	for (const zone of Object.values(SEED_ZONES)) await post("/api/zones", zone);
	for (const milestone of SEED_MILESTONES) await post("/api/milestones", milestone);
	// After its milestones and zones: a page's tags and zones must exist.
	await post("/api/pages", SEED_PAGE);
	// The source's secret is shown once and not needed here: the seed goes in by CSV import.
	await post("/api/sources", SEED_SOURCE);
	const res = await api("POST", `/api/incidents/import?source=${SEED_SOURCE.slug}`, seedIncidentsCsv(), "text/csv");
	if (res.status !== 200) throw new Error(`seed: incident import answered ${res.status}: ${await res.text()}`);
	const imported = (await res.json()) as { created: number; updated: number; rejected: number };
	if (imported.rejected > 0) throw new Error(`seed: ${imported.rejected} seed incidents were rejected`);
	report.incidents = { created: imported.created, updated: imported.updated };
	return report;
}

import { SEED_MILESTONES, SEED_ZONES } from "./iraq-2025";

/** Sends one admin request to a running Vigil and returns the response. */
export type AdminApi = (method: string, path: string, body: unknown) => Promise<Response>;

export interface SeedReport {
	created: number;
	existing: number;
}

/**
 * Loads the seed through the public API, so it obeys every rule a client does. Idempotent:
 * what already exists (409 on its slug) is left as it is.
 */
export async function loadSeed(api: AdminApi): Promise<SeedReport> {
	const report: SeedReport = { created: 0, existing: 0 };
	const post = async (path: string, body: unknown) => {
		const res = await api("POST", path, body);
		if (res.status === 201) report.created++;
		else if (res.status === 409) report.existing++;
		else throw new Error(`seed: POST ${path} answered ${res.status}: ${await res.text()}`);
	};
	for (const zone of SEED_ZONES) await post("/api/zones", zone);
	for (const milestone of SEED_MILESTONES) await post("/api/milestones", milestone);
	return report;
}

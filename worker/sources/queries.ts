import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { byIdOrSlug } from "../db/lookup";
import { type SourceRow, sources } from "../db/schema";
import { AppError } from "../http/errors";
import { byIdAfter, paginateById } from "../http/pagination";
import { sourceWritten } from "./changes";
import type { CreateSourceInput, UpdateSourceInput } from "./schema";
import { encryptSecret, generateSecret } from "./secrets";

/** After a rotation the old secret keeps working this long, so senders can switch without loss. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

/** Creates a source with a fresh secret; the plaintext secret is returned once, stored only encrypted. */
export async function createSource(db: Db, input: CreateSourceInput, secretsKey: string | null, now: Date): Promise<{ row: SourceRow; secret: string }> {
	const secret = generateSecret();
	const [row] = await db
		.insert(sources)
		.values({ slug: input.slug, name: input.name, secretEnc: await encryptSecret(secretsKey, secret), active: true, createdAt: now })
		.onConflictDoNothing({ target: sources.slug })
		.returning();
	if (!row) throw new AppError("conflict", `A source with slug "${input.slug}" already exists.`, { errors: [{ path: "/slug", message: "already taken" }] });
	sourceWritten();
	return { row, secret };
}

/** A source by numeric id or slug, or 404. */
export async function getSource(db: Db, idOrSlug: string): Promise<SourceRow> {
	const where = byIdOrSlug(sources, idOrSlug);
	const row = await db.query.sources.findFirst({ where });
	if (!row) throw new AppError("not_found", `No source "${idOrSlug}".`);
	return row;
}

/** Sources in creation order, keyset-paginated. */
export async function listSources(db: Db, limit: number, cursorText: string | undefined) {
	const { after, orderBy } = byIdAfter(sources.id, cursorText, "asc");
	const rows = await db
		.select()
		.from(sources)
		.where(after)
		.orderBy(orderBy)
		.limit(limit + 1);
	return paginateById(rows, limit);
}

/** Renames, deactivates or reactivates a source. */
export async function updateSource(db: Db, idOrSlug: string, input: UpdateSourceInput): Promise<SourceRow> {
	const current = await getSource(db, idOrSlug);
	if (input.name === undefined && input.active === undefined) return current;
	const [row] = await db
		.update(sources)
		.set({ ...(input.name !== undefined ? { name: input.name } : {}), ...(input.active !== undefined ? { active: input.active } : {}) })
		.where(eq(sources.id, current.id))
		.returning();
	if (!row) throw new AppError("not_found", `No source "${idOrSlug}".`);
	sourceWritten();
	return row;
}

/**
 * Issues a new secret; the current one stays valid for 24 h. Compare-and-set on the stored
 * ciphertext, so two rotations racing cannot both believe they made the "previous" secret.
 */
export async function rotateSource(db: Db, idOrSlug: string, secretsKey: string | null, now: Date): Promise<{ row: SourceRow; secret: string }> {
	const current = await getSource(db, idOrSlug);
	const secret = generateSecret();
	const [row] = await db
		.update(sources)
		.set({
			secretEnc: await encryptSecret(secretsKey, secret),
			previousSecretEnc: current.secretEnc,
			previousExpiresAt: new Date(now.getTime() + ROTATION_GRACE_MS),
			rotatedAt: now,
		})
		.where(and(eq(sources.id, current.id), eq(sources.secretEnc, current.secretEnc)))
		.returning();
	if (!row) throw new AppError("conflict", "The source was rotated concurrently; read it again and retry.");
	sourceWritten();
	return { row, secret };
}

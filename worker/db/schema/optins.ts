// Subscriptions asked for on a page's form and not yet confirmed from the mailed link.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, instant } from "./columns";
import { pages } from "./pages";

/**
 * One unconfirmed request per address. Kept apart from `subscribers`, so no path that picks
 * recipients can ever see an address that has not confirmed. The token is stored as its SHA-256
 * only: the row alone cannot confirm. A deleted page takes its unconfirmed requests with it.
 */
export const pendingSubscriptions = sqliteTable(
	"pending_subscriptions",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		email: text("email").notNull().unique(),
		pageId: integer("page_id")
			.notNull()
			.references(() => pages.id, { onDelete: "cascade" }),
		/** Hex SHA-256 of the token in the confirmation link. */
		tokenHash: text("token_hash").notNull().unique(),
		/** When the current confirmation was sent: the next one may go an hour later. */
		sentAt: instant("sent_at").notNull(),
		/** The link stops working then, and the sweep deletes the row. */
		expiresAt: instant("expires_at").notNull(),
		createdAt: createdAt(),
	},
	(t) => [index("pending_subscriptions_expires").on(t.expiresAt)],
);

export type PendingSubscriptionRow = typeof pendingSubscriptions.$inferSelect;

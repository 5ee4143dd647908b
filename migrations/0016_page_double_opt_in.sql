CREATE TABLE `pending_subscriptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`page_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`sent_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`page_id`) REFERENCES `pages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pending_subscriptions_email_unique` ON `pending_subscriptions` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `pending_subscriptions_token_hash_unique` ON `pending_subscriptions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `pending_subscriptions_expires` ON `pending_subscriptions` (`expires_at`);--> statement-breakpoint
ALTER TABLE `subscribers` ADD `language` text DEFAULT 'en' NOT NULL;
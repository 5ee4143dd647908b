CREATE TABLE `ingest_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer NOT NULL,
	`webhook_id` text NOT NULL,
	`kind` text NOT NULL,
	`reason` text NOT NULL,
	`detail` text NOT NULL,
	`received_at` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ingest_failures_message` ON `ingest_failures` (`source_id`,`webhook_id`,`kind`);--> statement-breakpoint
CREATE INDEX `ingest_failures_kind_recorded` ON `ingest_failures` (`kind`,`recorded_at`);--> statement-breakpoint
CREATE INDEX `ingest_failures_source_recorded` ON `ingest_failures` (`source_id`,`recorded_at`);
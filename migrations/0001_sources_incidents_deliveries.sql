CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer NOT NULL,
	`webhook_id` text NOT NULL,
	`body_sha256` text NOT NULL,
	`status` integer NOT NULL,
	`response` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_source_webhook` ON `deliveries` (`source_id`,`webhook_id`);--> statement-breakpoint
CREATE INDEX `deliveries_created` ON `deliveries` (`created_at`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer NOT NULL,
	`external_id` text NOT NULL,
	`event_date` text NOT NULL,
	`occurred_precision` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`reported_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`event_type` text NOT NULL,
	`sub_event_type` text,
	`actor1` text,
	`actor2` text,
	`fatalities` integer DEFAULT 0 NOT NULL,
	`country` text,
	`admin1` text,
	`location` text,
	`latitude` real,
	`longitude` real,
	`zone_id` integer,
	`notes` text,
	`report_source` text,
	`source_url` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`verification` text DEFAULT 'unverified' NOT NULL,
	`verification_note` text,
	`retracted_at` integer,
	`raw` text,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`zone_id`) REFERENCES `zones`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_source_external` ON `incidents` (`source_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `incidents_occurred` ON `incidents` (`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `incidents_zone_occurred` ON `incidents` (`zone_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `incidents_type_occurred` ON `incidents` (`event_type`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `incidents_verification_occurred` ON `incidents` (`verification`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `incidents_reported` ON `incidents` (`reported_at`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`secret_enc` text NOT NULL,
	`previous_secret_enc` text,
	`previous_expires_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`rotated_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sources_slug_unique` ON `sources` (`slug`);
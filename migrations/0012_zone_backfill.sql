ALTER TABLE `zones` ADD `backfill_after` integer;--> statement-breakpoint
ALTER TABLE `zones` ADD `revision` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `zones` ADD `updated_at` integer;
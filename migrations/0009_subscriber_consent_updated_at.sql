ALTER TABLE `subscribers` ADD `consent_at` integer;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `consent_source` text;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `updated_at` integer;
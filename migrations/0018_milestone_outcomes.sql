CREATE TABLE `milestone_outcomes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`milestone_id` integer NOT NULL,
	`status` text NOT NULL,
	`note` text NOT NULL,
	`source_url` text,
	`due` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`milestone_id`) REFERENCES `milestones`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `milestone_outcomes_milestone` ON `milestone_outcomes` (`milestone_id`,`id`);--> statement-breakpoint
ALTER TABLE `milestones` ADD `outcome` text;--> statement-breakpoint
ALTER TABLE `milestones` ADD `outcome_note` text;--> statement-breakpoint
ALTER TABLE `milestones` ADD `outcome_source_url` text;--> statement-breakpoint
ALTER TABLE `milestones` ADD `outcome_at` integer;--> statement-breakpoint
CREATE INDEX `milestones_outcome_at` ON `milestones` (`outcome_at`);
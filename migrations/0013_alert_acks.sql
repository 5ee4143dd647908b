CREATE TABLE `alert_acks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`milestone_id` integer NOT NULL,
	`due_at` integer NOT NULL,
	`alert_id` integer NOT NULL,
	`by_kind` text NOT NULL,
	`by` text,
	`acked_at` integer NOT NULL,
	FOREIGN KEY (`milestone_id`) REFERENCES `milestones`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_acks_milestone_due` ON `alert_acks` (`milestone_id`,`due_at`);
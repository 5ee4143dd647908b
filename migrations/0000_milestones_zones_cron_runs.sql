CREATE TABLE `cron_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cron` text NOT NULL,
	`job` text NOT NULL,
	`scheduled_time` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`counts` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `cron_runs_job_started` ON `cron_runs` (`job`,`started_at`);--> statement-breakpoint
CREATE TABLE `milestone_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`milestone_id` integer NOT NULL,
	`old_due` text NOT NULL,
	`new_due` text NOT NULL,
	`old_due_at` integer NOT NULL,
	`new_due_at` integer NOT NULL,
	`reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`milestone_id`) REFERENCES `milestones`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `milestone_revisions_milestone` ON `milestone_revisions` (`milestone_id`,`id`);--> statement-breakpoint
CREATE INDEX `milestone_revisions_created` ON `milestone_revisions` (`created_at`);--> statement-breakpoint
CREATE TABLE `milestones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`kind` text DEFAULT 'deadline' NOT NULL,
	`due` text NOT NULL,
	`precision` text NOT NULL,
	`timezone` text NOT NULL,
	`due_at` integer NOT NULL,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`alert_offsets` text NOT NULL,
	`source_url` text,
	`slip_count` integer DEFAULT 0 NOT NULL,
	`next_check_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `milestones_slug_unique` ON `milestones` (`slug`);--> statement-breakpoint
CREATE INDEX `milestones_status_due_at` ON `milestones` (`status`,`due_at`,`id`);--> statement-breakpoint
CREATE INDEX `milestones_due_at` ON `milestones` (`due_at`,`id`);--> statement-breakpoint
CREATE INDEX `milestones_next_check` ON `milestones` (`next_check_at`);--> statement-breakpoint
CREATE TABLE `zones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`country` text,
	`admin1` text,
	`description` text DEFAULT '' NOT NULL,
	`polygon` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `zones_slug_unique` ON `zones` (`slug`);
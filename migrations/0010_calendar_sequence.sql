ALTER TABLE `milestones` ADD `sequence` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Data, not schema: calendars have only ever been told SEQUENCE 0, so give each milestone at least one step per past slip and one if it is settled, and clients take its current date and status.
UPDATE `milestones` SET `sequence` = `slip_count` + (CASE WHEN `status` = 'scheduled' THEN 0 ELSE 1 END);

ALTER TABLE `milestones` ADD `title_i18n` text;--> statement-breakpoint
ALTER TABLE `pages` ADD `title_i18n` text;--> statement-breakpoint
ALTER TABLE `zones` ADD `name_i18n` text;
CREATE TABLE `channels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`zones` text DEFAULT '[]' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`url` text,
	`chat_id` text,
	`secret_enc` text NOT NULL,
	`secret_hint` text NOT NULL,
	`previous_secret_enc` text,
	`previous_expires_at` integer,
	`rotated_at` integer,
	`disabled_at` integer,
	`disabled_reason` text,
	`deleted_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer
);
--> statement-breakpoint
ALTER TABLE `alerts` ADD `channel_id` integer REFERENCES channels(id);
CREATE TABLE `library_queries` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`owner_id` text NOT NULL,
	`visibility` text NOT NULL,
	`group_id` text,
	`latest_version` integer DEFAULT 0 NOT NULL,
	`certified_version` integer,
	`certified_by` text,
	`certified_at` integer,
	`archived_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`certified_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `library_queries_owner_idx` ON `library_queries` (`owner_id`);--> statement-breakpoint
CREATE TABLE `library_query_tags` (
	`query_id` text NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`query_id`, `tag`),
	FOREIGN KEY (`query_id`) REFERENCES `library_queries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `library_query_tags_tag_idx` ON `library_query_tags` (`tag`);--> statement-breakpoint
CREATE TABLE `library_query_versions` (
	`query_id` text NOT NULL,
	`version` integer NOT NULL,
	`sql` text NOT NULL,
	`parameters` text NOT NULL,
	`datasets` text NOT NULL,
	`message` text DEFAULT '' NOT NULL,
	`author_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`query_id`, `version`),
	FOREIGN KEY (`query_id`) REFERENCES `library_queries`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);

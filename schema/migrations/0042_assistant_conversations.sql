CREATE TABLE `assistant_actions` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`message_id` text NOT NULL,
	`tool` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`kind` text NOT NULL,
	`args` text NOT NULL,
	`summary` text NOT NULL,
	`confirm_phrase` text,
	`status` text NOT NULL,
	`http_status` integer,
	`result` text,
	`proposed_by` text NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `assistant_actions_conversation_idx` ON `assistant_actions` (`tenant_id`,`conversation_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `assistant_conversations` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`locale` text NOT NULL,
	`created_by` text NOT NULL,
	`message_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `assistant_conversations_owner_updated_idx` ON `assistant_conversations` (`tenant_id`,`created_by`,`updated_at`);--> statement-breakpoint
CREATE TABLE `assistant_messages` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`role` text NOT NULL,
	`content` text NOT NULL,
	`locale` text NOT NULL,
	`provider` text,
	`model` text,
	`local` integer DEFAULT false NOT NULL,
	`tool_calls` text NOT NULL,
	`citations` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `assistant_messages_conversation_idx` ON `assistant_messages` (`tenant_id`,`conversation_id`,`created_at`);
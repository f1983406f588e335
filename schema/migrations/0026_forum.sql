CREATE TABLE `forum_ai_reviews` (
	`tenant_id` text NOT NULL,
	`post_id` text PRIMARY KEY NOT NULL,
	`verdict` text NOT NULL,
	`labels` text NOT NULL,
	`explanation` text DEFAULT '' NOT NULL,
	`model` text NOT NULL,
	`overridden_by_id` text,
	`overridden_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `forum_ai_reviews_tenant_created_idx` ON `forum_ai_reviews` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `forum_badges` (
	`tenant_id` text NOT NULL,
	`member_id` text NOT NULL,
	`badge` text NOT NULL,
	`post_id` text,
	`awarded_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `member_id`, `badge`)
);
--> statement-breakpoint
CREATE TABLE `forum_categories` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`color` text DEFAULT '#6366f1' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`read_access` text DEFAULT 'public' NOT NULL,
	`topic_access` text DEFAULT 'signed_in' NOT NULL,
	`reply_access` text DEFAULT 'signed_in' NOT NULL,
	`min_trust_to_topic` integer DEFAULT 0 NOT NULL,
	`questions` integer DEFAULT false NOT NULL,
	`topic_count` integer DEFAULT 0 NOT NULL,
	`post_count` integer DEFAULT 0 NOT NULL,
	`last_posted_at` integer,
	`archived_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forum_categories_tenant_slug_uq` ON `forum_categories` (`tenant_id`,`slug`);--> statement-breakpoint
CREATE INDEX `forum_categories_tenant_position_idx` ON `forum_categories` (`tenant_id`,`position`);--> statement-breakpoint
CREATE TABLE `forum_category_members` (
	`tenant_id` text NOT NULL,
	`category_id` text NOT NULL,
	`member_id` text NOT NULL,
	`level` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `category_id`, `member_id`)
);
--> statement-breakpoint
CREATE TABLE `forum_drafts` (
	`tenant_id` text NOT NULL,
	`member_id` text NOT NULL,
	`key` text NOT NULL,
	`title` text,
	`body_markdown` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `member_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `forum_flags` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`post_id` text NOT NULL,
	`flagger_id` text NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`weight` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`resolved_by_id` text,
	`resolved_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forum_flags_tenant_post_flagger_uq` ON `forum_flags` (`tenant_id`,`post_id`,`flagger_id`);--> statement-breakpoint
CREATE INDEX `forum_flags_tenant_status_idx` ON `forum_flags` (`tenant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `forum_members` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`bio` text DEFAULT '' NOT NULL,
	`trust_level` integer DEFAULT 0 NOT NULL,
	`trust_locked` integer DEFAULT false NOT NULL,
	`moderator` integer DEFAULT false NOT NULL,
	`topic_count` integer DEFAULT 0 NOT NULL,
	`post_count` integer DEFAULT 0 NOT NULL,
	`approved_post_count` integer DEFAULT 0 NOT NULL,
	`likes_given` integer DEFAULT 0 NOT NULL,
	`likes_received` integer DEFAULT 0 NOT NULL,
	`accepted_answers` integer DEFAULT 0 NOT NULL,
	`topics_entered` integer DEFAULT 0 NOT NULL,
	`posts_read` integer DEFAULT 0 NOT NULL,
	`read_seconds` integer DEFAULT 0 NOT NULL,
	`days_visited` integer DEFAULT 0 NOT NULL,
	`last_visit_day` text,
	`reputation` integer DEFAULT 0 NOT NULL,
	`suspended_until` integer,
	`silenced_until` integer,
	`sanction_reason` text,
	`last_posted_at` integer,
	`last_seen_at` integer,
	`last_digest_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forum_members_tenant_username_uq` ON `forum_members` (`tenant_id`,`username`);--> statement-breakpoint
CREATE INDEX `forum_members_tenant_created_idx` ON `forum_members` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `forum_members_tenant_trust_idx` ON `forum_members` (`tenant_id`,`trust_level`);--> statement-breakpoint
CREATE TABLE `forum_mod_actions` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`actor_id` text NOT NULL,
	`action` text NOT NULL,
	`target_kind` text NOT NULL,
	`target_id` text NOT NULL,
	`reason` text,
	`before` text NOT NULL,
	`after` text NOT NULL,
	`reversed_by_id` text,
	`reversed_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `forum_mod_actions_tenant_created_idx` ON `forum_mod_actions` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `forum_mod_actions_tenant_target_idx` ON `forum_mod_actions` (`tenant_id`,`target_kind`,`target_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `forum_notices` (
	`tenant_id` text NOT NULL,
	`post_id` text NOT NULL,
	`member_id` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `post_id`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `forum_notices_tenant_member_idx` ON `forum_notices` (`tenant_id`,`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `forum_post_revisions` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`post_id` text NOT NULL,
	`editor_id` text NOT NULL,
	`number` integer NOT NULL,
	`title` text,
	`body_markdown` text NOT NULL,
	`reason` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forum_post_revisions_tenant_post_number_uq` ON `forum_post_revisions` (`tenant_id`,`post_id`,`number`);--> statement-breakpoint
CREATE TABLE `forum_posts` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`topic_id` text NOT NULL,
	`number` integer NOT NULL,
	`author_id` text NOT NULL,
	`reply_to_post_id` text,
	`body_markdown` text NOT NULL,
	`body_html` text NOT NULL,
	`search_text` text NOT NULL,
	`status` text DEFAULT 'visible' NOT NULL,
	`hidden_reason` text,
	`reactions` text NOT NULL,
	`upvotes` integer DEFAULT 0 NOT NULL,
	`downvotes` integer DEFAULT 0 NOT NULL,
	`flag_weight` integer DEFAULT 0 NOT NULL,
	`revision_count` integer DEFAULT 0 NOT NULL,
	`ip` text,
	`edited_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forum_posts_tenant_topic_number_uq` ON `forum_posts` (`tenant_id`,`topic_id`,`number`);--> statement-breakpoint
CREATE INDEX `forum_posts_tenant_author_idx` ON `forum_posts` (`tenant_id`,`author_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `forum_posts_tenant_status_idx` ON `forum_posts` (`tenant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `forum_posts_tenant_created_idx` ON `forum_posts` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `forum_reactions` (
	`tenant_id` text NOT NULL,
	`post_id` text NOT NULL,
	`member_id` text NOT NULL,
	`reaction` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `post_id`, `member_id`, `reaction`)
);
--> statement-breakpoint
CREATE INDEX `forum_reactions_tenant_member_idx` ON `forum_reactions` (`tenant_id`,`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `forum_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`title` text DEFAULT 'Community' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`trust` text NOT NULL,
	`rules` text NOT NULL,
	`digest_hours` integer DEFAULT 24 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `forum_topic_members` (
	`tenant_id` text NOT NULL,
	`topic_id` text NOT NULL,
	`member_id` text NOT NULL,
	`level` text DEFAULT 'normal' NOT NULL,
	`last_read_post_number` integer DEFAULT 0 NOT NULL,
	`read_seconds` integer DEFAULT 0 NOT NULL,
	`first_visited_at` integer NOT NULL,
	`last_visited_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `topic_id`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `forum_topic_members_tenant_member_idx` ON `forum_topic_members` (`tenant_id`,`member_id`,`level`);--> statement-breakpoint
CREATE TABLE `forum_topics` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`category_id` text NOT NULL,
	`author_id` text NOT NULL,
	`title` text NOT NULL,
	`slug` text NOT NULL,
	`kind` text DEFAULT 'discussion' NOT NULL,
	`status` text DEFAULT 'visible' NOT NULL,
	`pin` text DEFAULT 'none' NOT NULL,
	`locked_at` integer,
	`accepted_post_id` text,
	`merged_into_id` text,
	`post_count` integer DEFAULT 1 NOT NULL,
	`last_post_number` integer DEFAULT 1 NOT NULL,
	`view_count` integer DEFAULT 0 NOT NULL,
	`like_count` integer DEFAULT 0 NOT NULL,
	`score` integer DEFAULT 0 NOT NULL,
	`last_posted_at` integer NOT NULL,
	`last_poster_id` text NOT NULL,
	`first_staff_reply_at` integer,
	`first_reply_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `forum_topics_tenant_category_idx` ON `forum_topics` (`tenant_id`,`category_id`,`status`,`last_posted_at`);--> statement-breakpoint
CREATE INDEX `forum_topics_tenant_latest_idx` ON `forum_topics` (`tenant_id`,`status`,`last_posted_at`);--> statement-breakpoint
CREATE INDEX `forum_topics_tenant_author_idx` ON `forum_topics` (`tenant_id`,`author_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `forum_topics_tenant_created_idx` ON `forum_topics` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `forum_votes` (
	`tenant_id` text NOT NULL,
	`post_id` text NOT NULL,
	`member_id` text NOT NULL,
	`value` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `post_id`, `member_id`)
);

CREATE TABLE `analytics_aliases` (
	`tenant_id` text NOT NULL,
	`distinct_id` text NOT NULL,
	`person_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `distinct_id`)
);
--> statement-breakpoint
CREATE INDEX `analytics_aliases_person_idx` ON `analytics_aliases` (`tenant_id`,`person_id`);--> statement-breakpoint
CREATE TABLE `analytics_daily` (
	`tenant_id` text NOT NULL,
	`day` integer NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `day`, `kind`, `key`)
);
--> statement-breakpoint
CREATE TABLE `analytics_events` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`distinct_id` text NOT NULL,
	`person_id` text NOT NULL,
	`ts` integer NOT NULL,
	`received_at` integer NOT NULL,
	`source` text NOT NULL,
	`session_id` text,
	`host` text,
	`path` text,
	`referrer_host` text,
	`utm_source` text,
	`utm_medium` text,
	`utm_campaign` text,
	`country` text,
	`device` text,
	`browser` text,
	`os` text,
	`is_bot` integer DEFAULT false NOT NULL,
	`props` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `analytics_events_tenant_ts_idx` ON `analytics_events` (`tenant_id`,`ts`);--> statement-breakpoint
CREATE INDEX `analytics_events_tenant_name_ts_idx` ON `analytics_events` (`tenant_id`,`name`,`ts`);--> statement-breakpoint
CREATE INDEX `analytics_events_tenant_person_ts_idx` ON `analytics_events` (`tenant_id`,`person_id`,`ts`,`name`);--> statement-breakpoint
CREATE TABLE `analytics_funnels` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`definition` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `analytics_funnels_tenant_idx` ON `analytics_funnels` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `analytics_persons` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`traits` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `analytics_persons_last_seen_idx` ON `analytics_persons` (`tenant_id`,`last_seen_at`);--> statement-breakpoint
CREATE TABLE `analytics_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`autocapture_links` integer DEFAULT true NOT NULL,
	`autocapture_forms` integer DEFAULT true NOT NULL,
	`respect_dnt` integer DEFAULT true NOT NULL,
	`require_consent` integer DEFAULT false NOT NULL,
	`retention_days` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
-- Daily rollups (analytics_daily) kept by the database in the same transaction as each new event:
-- an event that is a duplicate (INSERT … ON CONFLICT DO NOTHING) fires nothing, so a replayed batch
-- changes no count. Bots are not counted. Hand-written (drizzle does not model triggers).
CREATE TRIGGER `analytics_events_rollup` AFTER INSERT ON `analytics_events` WHEN NEW.`is_bot` = 0 BEGIN
  INSERT INTO `analytics_daily` (`tenant_id`, `day`, `kind`, `key`, `count`)
    VALUES (NEW.`tenant_id`, NEW.`ts` / 86400000, 'event', NEW.`name`, 1)
    ON CONFLICT DO UPDATE SET `count` = `count` + 1;
  INSERT INTO `analytics_daily` (`tenant_id`, `day`, `kind`, `key`, `count`)
    SELECT NEW.`tenant_id`, NEW.`ts` / 86400000, k, v, 1 FROM (
      SELECT 'page' AS k, NEW.`path` AS v UNION ALL
      SELECT 'referrer', NEW.`referrer_host` UNION ALL
      SELECT 'utm_source', NEW.`utm_source` UNION ALL
      SELECT 'country', NEW.`country` UNION ALL
      SELECT 'device', NEW.`device`
    ) WHERE NEW.`name` = '$pageview' AND v IS NOT NULL
    ON CONFLICT DO UPDATE SET `count` = `count` + 1;
END;

CREATE TABLE `analytics_event_names` (
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`code` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `name`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `analytics_timelines` (
	`tenant_id` text NOT NULL,
	`day` integer NOT NULL,
	`person_id` text NOT NULL,
	`events` text NOT NULL,
	`full` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `day`, `person_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `analytics_timelines_person_idx` ON `analytics_timelines` (`tenant_id`,`person_id`);--> statement-breakpoint
-- Hand-written below (drizzle models neither WITHOUT ROWID, edited above, nor triggers).
-- Per-person timelines kept by the database in the same transaction as each new event, like the
-- daily rollups (0012): a duplicate event inserts nothing and so appends nothing; bots are left out.
-- A name gets the next code on first sight. The token expression is tokenSql() in
-- workers/modules/analytics/timelines.ts (identity merges and retention rebuild rows with it).
-- A row stops growing at 1,400,000 characters (200,000 events of one person in one day; D1 caps a
-- value at 2 MB) and is marked full: funnels over its day read raw events instead.
CREATE TRIGGER `analytics_events_timeline` AFTER INSERT ON `analytics_events` WHEN NEW.`is_bot` = 0 BEGIN
  INSERT INTO `analytics_event_names` (`tenant_id`, `name`, `code`)
    SELECT NEW.`tenant_id`, NEW.`name`, (SELECT count(*) FROM `analytics_event_names` WHERE `tenant_id` = NEW.`tenant_id`)
    WHERE NOT EXISTS (SELECT 1 FROM `analytics_event_names` WHERE `tenant_id` = NEW.`tenant_id` AND `name` = NEW.`name`);
  INSERT INTO `analytics_timelines` (`tenant_id`, `day`, `person_id`, `events`)
    SELECT NEW.`tenant_id`, NEW.`ts` / 86400000, NEW.`person_id`, char(48 + (min(n.`code`, 4095) >> 6), 48 + (min(n.`code`, 4095) & 63), 48 + ((NEW.`ts` % 86400000) >> 24), 48 + (((NEW.`ts` % 86400000) >> 18) & 63), 48 + (((NEW.`ts` % 86400000) >> 12) & 63), 48 + (((NEW.`ts` % 86400000) >> 6) & 63), 48 + ((NEW.`ts` % 86400000) & 63))
    FROM `analytics_event_names` n WHERE n.`tenant_id` = NEW.`tenant_id` AND n.`name` = NEW.`name`
    ON CONFLICT DO UPDATE SET
      `events` = CASE WHEN length(`events`) < 1400000 THEN `events` || excluded.`events` ELSE `events` END,
      `full` = CASE WHEN length(`events`) < 1400000 THEN `full` ELSE 1 END;
END;--> statement-breakpoint
-- Backfill: names coded in alphabetical order, timelines from the events already stored.
INSERT INTO `analytics_event_names` (`tenant_id`, `name`, `code`)
  SELECT `tenant_id`, `name`, row_number() OVER (PARTITION BY `tenant_id` ORDER BY `name`) - 1
  FROM (SELECT DISTINCT `tenant_id`, `name` FROM `analytics_events` WHERE `is_bot` = 0);--> statement-breakpoint
INSERT INTO `analytics_timelines` (`tenant_id`, `day`, `person_id`, `events`, `full`)
  SELECT e.`tenant_id`, e.`ts` / 86400000, e.`person_id`, group_concat(char(48 + (min(n.`code`, 4095) >> 6), 48 + (min(n.`code`, 4095) & 63), 48 + ((e.`ts` % 86400000) >> 24), 48 + (((e.`ts` % 86400000) >> 18) & 63), 48 + (((e.`ts` % 86400000) >> 12) & 63), 48 + (((e.`ts` % 86400000) >> 6) & 63), 48 + ((e.`ts` % 86400000) & 63)), '' ORDER BY e.`ts`, e.rowid), count(*) >= 200000
  FROM `analytics_events` e JOIN `analytics_event_names` n ON n.`tenant_id` = e.`tenant_id` AND n.`name` = e.`name`
  WHERE e.`is_bot` = 0
  GROUP BY e.`tenant_id`, e.`ts` / 86400000, e.`person_id`;

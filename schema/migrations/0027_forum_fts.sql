-- Full-text index over forum posts (FTS5, BM25) for community search (modules/forum, docs/forum.md).
-- Like commerce_products_fts it keeps its own copy of the text, kept in sync by triggers: `body` is the
-- post's plain text (`search_text`, written by the service), `title` the topic's title on the topic's
-- first post (number 1) and empty on replies, so a title match ranks the topic's opening post.
-- `fts_scope` holds the tenant's token ('zt' + the tenant id without '_'): every MATCH requires it, so
-- a search only walks the calling tenant's postings. Visibility (post/topic status, category read
-- access) is applied by joining forum_posts/forum_topics/forum_categories at query time.
-- A topic row must exist before its first post is inserted (the insert trigger reads its title).
CREATE VIRTUAL TABLE `forum_posts_fts` USING fts5(
  `title`, `body`, `fts_scope`,
  `tenant_id` UNINDEXED, `post_id` UNINDEXED, `topic_id` UNINDEXED,
  tokenize='porter unicode61 remove_diacritics 2'
);--> statement-breakpoint
CREATE TRIGGER `forum_posts_fts_ai` AFTER INSERT ON `forum_posts` BEGIN
  INSERT INTO `forum_posts_fts`(`title`, `body`, `fts_scope`, `tenant_id`, `post_id`, `topic_id`)
  VALUES (
    CASE WHEN new.`number` = 1 THEN coalesce((SELECT `title` FROM `forum_topics` WHERE `tenant_id` = new.`tenant_id` AND `id` = new.`topic_id`), '') ELSE '' END,
    new.`search_text`, 'zt' || replace(lower(new.`tenant_id`), '_', ''), new.`tenant_id`, new.`id`, new.`topic_id`);
END;--> statement-breakpoint
CREATE TRIGGER `forum_posts_fts_ad` AFTER DELETE ON `forum_posts` BEGIN
  DELETE FROM `forum_posts_fts`
  WHERE `forum_posts_fts` MATCH ('fts_scope:"zt' || replace(lower(old.`tenant_id`), '_', '') || '"')
    AND `post_id` = old.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `forum_posts_fts_au` AFTER UPDATE OF `search_text`, `topic_id`, `number` ON `forum_posts` BEGIN
  DELETE FROM `forum_posts_fts`
  WHERE `forum_posts_fts` MATCH ('fts_scope:"zt' || replace(lower(old.`tenant_id`), '_', '') || '"')
    AND `post_id` = old.`id`;
  INSERT INTO `forum_posts_fts`(`title`, `body`, `fts_scope`, `tenant_id`, `post_id`, `topic_id`)
  VALUES (
    CASE WHEN new.`number` = 1 THEN coalesce((SELECT `title` FROM `forum_topics` WHERE `tenant_id` = new.`tenant_id` AND `id` = new.`topic_id`), '') ELSE '' END,
    new.`search_text`, 'zt' || replace(lower(new.`tenant_id`), '_', ''), new.`tenant_id`, new.`id`, new.`topic_id`);
END;--> statement-breakpoint
CREATE TRIGGER `forum_topics_fts_title_au` AFTER UPDATE OF `title` ON `forum_topics` BEGIN
  UPDATE `forum_posts_fts` SET `title` = new.`title`
  WHERE `forum_posts_fts` MATCH ('fts_scope:"zt' || replace(lower(new.`tenant_id`), '_', '') || '"')
    AND `topic_id` = new.`id`
    AND `post_id` IN (SELECT `id` FROM `forum_posts` WHERE `tenant_id` = new.`tenant_id` AND `topic_id` = new.`id` AND `number` = 1);
END;

-- Full-text index over a workspace's products (FTS5, BM25) for catalogue search (modules/commerce/search.ts).
-- Like chat_messages_fts it keeps its own copy of the searchable text (commerce_products has no integer
-- rowid to point at), kept in sync by triggers. `keywords` holds the variants' SKUs and option values
-- (written by the service). `fts_scope` holds the tenant's token ('zt' + the tenant id without '_'):
-- every MATCH requires it, so a search only walks the calling tenant's postings; tenant_id is also kept
-- for the join.
CREATE VIRTUAL TABLE `commerce_products_fts` USING fts5(
  `title`, `description`, `keywords`, `fts_scope`,
  `tenant_id` UNINDEXED, `product_id` UNINDEXED,
  tokenize='porter unicode61 remove_diacritics 2'
);--> statement-breakpoint
CREATE TRIGGER `commerce_products_fts_ai` AFTER INSERT ON `commerce_products` BEGIN
  INSERT INTO `commerce_products_fts`(`title`, `description`, `keywords`, `fts_scope`, `tenant_id`, `product_id`)
  VALUES (new.`title`, new.`description`, new.`keywords`, 'zt' || replace(lower(new.`tenant_id`), '_', ''), new.`tenant_id`, new.`id`);
END;--> statement-breakpoint
CREATE TRIGGER `commerce_products_fts_ad` AFTER DELETE ON `commerce_products` BEGIN
  DELETE FROM `commerce_products_fts`
  WHERE `commerce_products_fts` MATCH ('fts_scope:"zt' || replace(lower(old.`tenant_id`), '_', '') || '"')
    AND `product_id` = old.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `commerce_products_fts_au` AFTER UPDATE OF `title`, `description`, `keywords` ON `commerce_products` BEGIN
  DELETE FROM `commerce_products_fts`
  WHERE `commerce_products_fts` MATCH ('fts_scope:"zt' || replace(lower(old.`tenant_id`), '_', '') || '"')
    AND `product_id` = old.`id`;
  INSERT INTO `commerce_products_fts`(`title`, `description`, `keywords`, `fts_scope`, `tenant_id`, `product_id`)
  VALUES (new.`title`, new.`description`, new.`keywords`, 'zt' || replace(lower(new.`tenant_id`), '_', ''), new.`tenant_id`, new.`id`);
END;

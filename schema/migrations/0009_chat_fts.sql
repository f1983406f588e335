-- Full-text index over chat transcripts (FTS5, BM25) for the agent inbox's search. It keeps its own
-- copy of each message body (chat_messages has no stable integer rowid to point at) and is kept in
-- sync by triggers; system lines ("… joined") are not indexed. `fts_scope` holds the tenant's token
-- ('zt' + the tenant id without '_', see modules/chat/transcript-search.ts): every MATCH requires it,
-- so a search only walks the calling tenant's postings; tenant_id is also kept for the join.
CREATE VIRTUAL TABLE `chat_messages_fts` USING fts5(
  `body`, `fts_scope`,
  `tenant_id` UNINDEXED, `conversation_id` UNINDEXED, `seq` UNINDEXED,
  tokenize='porter unicode61 remove_diacritics 2'
);--> statement-breakpoint
CREATE TRIGGER `chat_messages_fts_ai` AFTER INSERT ON `chat_messages` WHEN new.`role` != 'system' BEGIN
  INSERT INTO `chat_messages_fts`(`body`, `fts_scope`, `tenant_id`, `conversation_id`, `seq`)
  VALUES (new.`body`, 'zt' || replace(lower(new.`tenant_id`), '_', ''), new.`tenant_id`, new.`conversation_id`, new.`seq`);
END;--> statement-breakpoint
CREATE TRIGGER `chat_messages_fts_ad` AFTER DELETE ON `chat_messages` WHEN old.`role` != 'system' BEGIN
  DELETE FROM `chat_messages_fts`
  WHERE `chat_messages_fts` MATCH ('fts_scope:"zt' || replace(lower(old.`tenant_id`), '_', '') || '"')
    AND `conversation_id` = old.`conversation_id` AND `seq` = old.`seq`;
END;--> statement-breakpoint
INSERT INTO `chat_messages_fts`(`body`, `fts_scope`, `tenant_id`, `conversation_id`, `seq`)
SELECT `body`, 'zt' || replace(lower(`tenant_id`), '_', ''), `tenant_id`, `conversation_id`, `seq` FROM `chat_messages` WHERE `role` != 'system';

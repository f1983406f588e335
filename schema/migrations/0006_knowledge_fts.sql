-- Full-text index over knowledge chunks (FTS5, BM25). External-content table kept in sync with
-- kb_chunks by triggers. `fts_scope` holds the tenant's token (modules/knowledge/fts.ts): every
-- MATCH requires it, so a search only walks the calling tenant's postings.
CREATE VIRTUAL TABLE `kb_chunks_fts` USING fts5(
  `text`, `heading`, `fts_scope`,
  content='kb_chunks', content_rowid='seq',
  tokenize='porter unicode61 remove_diacritics 2'
);--> statement-breakpoint
CREATE TRIGGER `kb_chunks_fts_ai` AFTER INSERT ON `kb_chunks` BEGIN
  INSERT INTO `kb_chunks_fts`(rowid, `text`, `heading`, `fts_scope`) VALUES (new.`seq`, new.`text`, new.`heading`, new.`fts_scope`);
END;--> statement-breakpoint
CREATE TRIGGER `kb_chunks_fts_ad` AFTER DELETE ON `kb_chunks` BEGIN
  INSERT INTO `kb_chunks_fts`(`kb_chunks_fts`, rowid, `text`, `heading`, `fts_scope`) VALUES ('delete', old.`seq`, old.`text`, old.`heading`, old.`fts_scope`);
END;--> statement-breakpoint
CREATE TRIGGER `kb_chunks_fts_au` AFTER UPDATE ON `kb_chunks` BEGIN
  INSERT INTO `kb_chunks_fts`(`kb_chunks_fts`, rowid, `text`, `heading`, `fts_scope`) VALUES ('delete', old.`seq`, old.`text`, old.`heading`, old.`fts_scope`);
  INSERT INTO `kb_chunks_fts`(rowid, `text`, `heading`, `fts_scope`) VALUES (new.`seq`, new.`text`, new.`heading`, new.`fts_scope`);
END;

-- A saved library query version never changes (docs/decisions/0010-query-library.md): linked notebook cells and
-- published reports point at (query, version), so the SQL behind a version number must stay what it was.
CREATE TRIGGER `library_versions_no_update` BEFORE UPDATE ON `library_query_versions`
BEGIN
  SELECT RAISE(ABORT, 'library query versions are immutable');
END;
--> statement-breakpoint
-- Versions go only when their whole query is deleted: the ON DELETE CASCADE from library_queries runs after the parent
-- row is gone, so a delete while the parent still exists is a direct delete of one version, and is refused.
CREATE TRIGGER `library_versions_no_delete` BEFORE DELETE ON `library_query_versions`
WHEN EXISTS (SELECT 1 FROM `library_queries` WHERE `id` = OLD.`query_id`)
BEGIN
  SELECT RAISE(ABORT, 'library query versions are immutable: delete the whole query instead');
END;
--> statement-breakpoint
-- Numbers run 1..n without gaps: a new version is always the next one.
CREATE TRIGGER `library_versions_next_number` BEFORE INSERT ON `library_query_versions`
WHEN NEW.`version` <> COALESCE((SELECT max(`version`) FROM `library_query_versions` WHERE `query_id` = NEW.`query_id`), 0) + 1
BEGIN
  SELECT RAISE(ABORT, 'a library query version must be the next number after the latest one');
END;

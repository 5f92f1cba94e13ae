import { sql, type Kysely } from 'kysely';
import { isPostgres } from './support/dialect.js';

/**
 * PostgreSQL only (SQLite's FTS5 index is unchanged). A GIN index puts new entries in a pending list, unsorted, that
 * every search scans in full until the list is merged into the index (by vacuum, or by the insert that finds it
 * over gin_pending_list_limit, 4 MB by default). Over 100,000 posts a search for a rare word read 380 pages of
 * pending list (8 ms) instead of 4 pages of index (0.06 ms): EXPLAIN (ANALYZE, BUFFERS) in tests/bench/pgsearch.bench.ts's
 * corpus. 256 kB bounds what a search may scan to about 32 pages, while replies still add their entries in batches;
 * the list left by earlier writes is merged now.
 */
export async function up(db: Kysely<any>): Promise<void> {
	if (!isPostgres(db)) return;
	await sql`alter index search_index_document set (gin_pending_list_limit = 256)`.execute(db);
	await sql`select gin_clean_pending_list('search_index_document')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	if (!isPostgres(db)) return;
	await sql`alter index search_index_document reset (gin_pending_list_limit)`.execute(db);
}

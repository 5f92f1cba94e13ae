import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * Groups become data that coordinators write: a seventh kind, `other`, for groups the six named kinds do not fit; the
 * description in three languages (the column now holds `{ "sq": …, "en": …, "el": … }`, the old text kept as the
 * Albanian one, Albanian having been the only language the demo wrote); and `archived_at`, set while a group is
 * archived.
 *
 * The kind keeps its check in the database (the domain validates first, the check guards everything else). SQLite
 * cannot change a check in place, so there the table is rebuilt as SQLite documents it (ALTER TABLE, "making other
 * kinds of table schema changes"): foreign keys off outside any transaction (inside one the pragma does nothing),
 * then in one transaction create the new table, copy every row with its id, drop the old one, rename, and run
 * `foreign_key_check` before committing. With foreign keys off the drop cascades to nothing, and the tables that refer
 * to `groups` (members, requests, spaces, drafts, votes, meetings) keep referring to it by name. PostgreSQL swaps the
 * constraint in place.
 */
const OLD_KINDS = ['city_cluster', 'meta_cluster', 'alliance', 'consortium', 'research_community', 'working_group'];
const NEW_KINDS = [...OLD_KINDS, 'other'];

const kindCheck = (kinds: string[]) => sql`kind in (${sql.join(kinds.map((k) => sql.lit(k)))})`;

async function rebuildSqlite(db: Kysely<any>, kinds: string[], archived: boolean): Promise<void> {
	await sql`pragma foreign_keys = off`.execute(db);
	try {
		await db.transaction().execute(async (trx) => {
			let table = trx.schema
				.createTable('groups_rebuilt')
				.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
				.addColumn('slug', 'text', (c) => c.notNull().unique())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull().check(kindCheck(kinds)))
				.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('city', 'text')
				.addColumn('join_policy', 'text', (c) => c.notNull().defaultTo('open').check(sql`join_policy in ('open', 'request')`))
				.addColumn('created_at', 'integer', (c) => c.notNull());
			if (archived) table = table.addColumn('archived_at', 'integer');
			await table.execute();
			await sql`insert into groups_rebuilt (id, slug, name, kind, description, city, join_policy, created_at)
				select id, slug, name, kind, description, city, join_policy, created_at from groups`.execute(trx);
			await trx.schema.dropTable('groups').execute();
			await trx.schema.alterTable('groups_rebuilt').renameTo('groups').execute();
			const broken = await sql`pragma foreign_key_check`.execute(trx);
			if (broken.rows.length) throw new Error(`groups rebuild left ${broken.rows.length} broken references`);
		});
	} finally {
		await sql`pragma foreign_keys = on`.execute(db);
	}
}

async function swapPostgres(db: Kysely<any>, kinds: string[]): Promise<void> {
	await sql`alter table groups drop constraint if exists groups_kind_check`.execute(db);
	await db.schema.alterTable('groups').addCheckConstraint('groups_kind_check', kindCheck(kinds)).execute();
}

const isSqlite = (db: Kysely<any>) => db.getExecutor().adapter instanceof SqliteAdapter;

/** Rewrites every description with `convert`, in JavaScript so the same code runs on both databases. */
async function rewriteDescriptions(db: Kysely<any>, convert: (stored: string) => string): Promise<void> {
	const rows: { id: number; description: string }[] = await db.selectFrom('groups').select(['id', 'description']).execute();
	for (const row of rows) {
		const next = convert(row.description);
		if (next !== row.description) await db.updateTable('groups').set({ description: next }).where('id', '=', row.id).execute();
	}
}

export async function up(db: Kysely<any>): Promise<void> {
	if (isSqlite(db)) {
		await rebuildSqlite(db, NEW_KINDS, true);
	} else {
		await swapPostgres(db, NEW_KINDS);
		await db.schema.alterTable('groups').addColumn('archived_at', 'integer').execute();
	}
	await rewriteDescriptions(db, (text) => (text.trim() ? JSON.stringify({ sq: text }) : '{}'));
}

export async function down(db: Kysely<any>): Promise<void> {
	await rewriteDescriptions(db, (stored) => {
		try {
			const texts = JSON.parse(stored) as Record<string, unknown>;
			const text = [texts.sq, texts.en, texts.el].find((t) => typeof t === 'string' && t.trim());
			return typeof text === 'string' ? text : '';
		} catch {
			return stored;
		}
	});
	await db.updateTable('groups').set({ kind: 'working_group' }).where('kind', '=', 'other').execute();
	if (isSqlite(db)) {
		await rebuildSqlite(db, OLD_KINDS, false);
	} else {
		await swapPostgres(db, OLD_KINDS);
		await db.schema.alterTable('groups').dropColumn('archived_at').execute();
	}
}

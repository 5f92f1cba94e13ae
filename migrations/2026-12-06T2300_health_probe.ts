import { sql, type Kysely } from 'kysely';

/** One row /healthz rewrites to learn whether the database still takes writes (a rolled-back write proves nothing). */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('health_probe')
		.addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
		.addColumn('checked_at', 'integer', (c) => c.notNull())
		.execute();
	await db.insertInto('health_probe').values({ id: 1, checked_at: 0 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('health_probe').execute();
}

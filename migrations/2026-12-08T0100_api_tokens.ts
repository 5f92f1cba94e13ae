import type { Kysely } from 'kysely';

/** Personal API tokens: a member reads the API as themselves with `Authorization: Bearer <token>`. */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('api_tokens')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		// SHA-256 (hex) of the token, shown once when it was made; the token itself is never stored.
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('created_at', 'integer', (c) => c.notNull())
		// Written at most once a minute per token (ApiTokensService), so reading the API is not a write per request.
		.addColumn('last_used_at', 'integer')
		.execute();
	await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('api_tokens').execute();
}

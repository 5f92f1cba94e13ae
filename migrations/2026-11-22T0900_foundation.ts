import { sql, type Kysely } from 'kysely';

/** Fields of action named in the network's founding text; their names live in the message catalogues. */
const FIELDS = [
	'cultural-policy',
	'research-statistics',
	'creative-industries',
	'cultural-heritage',
	'cultural-tourism',
	'cinema',
	'visual-arts',
	'music',
	'performing-arts',
	'legislation-advocacy',
	'cultural-marketing',
	'arts-management',
	'digital-culture',
	'cultural-diversity',
	'intercultural-cooperation',
	'media',
	'publishing'
];

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('users')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('email', 'text', (c) => c.notNull().unique())
		.addColumn('password_hash', 'text')
		.addColumn('display_name', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) =>
			c.notNull().defaultTo('member').check(sql`role in ('member', 'moderator', 'coordinator')`)
		)
		.addColumn('status', 'text', (c) =>
			c.notNull().defaultTo('active').check(sql`status in ('applicant', 'active', 'suspended', 'deleted')`)
		)
		.addColumn('locale', 'text', (c) => c.notNull().defaultTo('sq').check(sql`locale in ('sq', 'en', 'el')`))
		.addColumn('city', 'text')
		.addColumn('bio', 'text')
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('updated_at', 'integer', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('sessions')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addColumn('last_seen_at', 'integer', (c) => c.notNull())
		.addColumn('expires_at', 'integer', (c) => c.notNull())
		.addColumn('absolute_expires_at', 'integer', (c) => c.notNull())
		.addColumn('user_agent', 'text')
		.addColumn('ip', 'text')
		.execute();
	await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();

	await db.schema
		.createTable('fields_of_action')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('position', 'integer', (c) => c.notNull())
		.execute();
	await db
		.insertInto('fields_of_action')
		.values(FIELDS.map((slug, i) => ({ slug, position: i + 1 })))
		.execute();

	await db.schema
		.createTable('user_fields')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('field_id', 'integer', (c) => c.notNull().references('fields_of_action.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('user_fields_pk', ['user_id', 'field_id'])
		.execute();

	await db.schema
		.createTable('organisations')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('city', 'text')
		.addColumn('website', 'text')
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('organisation_fields')
		.addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
		.addColumn('field_id', 'integer', (c) => c.notNull().references('fields_of_action.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('organisation_fields_pk', ['organisation_id', 'field_id'])
		.execute();

	await db.schema
		.createTable('organisation_representatives')
		.addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('organisation_representatives_pk', ['organisation_id', 'user_id'])
		.execute();
	await db.schema
		.createIndex('organisation_representatives_user')
		.on('organisation_representatives')
		.column('user_id')
		.execute();

	await db.schema
		.createTable('groups')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) =>
			c
				.notNull()
				.check(
					sql`kind in ('city_cluster', 'meta_cluster', 'alliance', 'consortium', 'research_community', 'working_group')`
				)
		)
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('city', 'text')
		.addColumn('join_policy', 'text', (c) => c.notNull().defaultTo('open').check(sql`join_policy in ('open', 'request')`))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('group_members')
		.addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) => c.notNull().defaultTo('member').check(sql`role in ('member', 'facilitator')`))
		.addColumn('joined_at', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
		.execute();
	await db.schema.createIndex('group_members_user').on('group_members').column('user_id').execute();

	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('subject_type', 'text', (c) => c.notNull())
		.addColumn('subject_id', 'text', (c) => c.notNull())
		.addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('created_at', 'integer', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'audit_log',
		'group_members',
		'groups',
		'organisation_representatives',
		'organisation_fields',
		'organisations',
		'user_fields',
		'fields_of_action',
		'sessions',
		'users'
	]) {
		await db.schema.dropTable(table).execute();
	}
}

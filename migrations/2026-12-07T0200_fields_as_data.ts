import { sql, type Kysely } from 'kysely';

/**
 * Fields of action become the network's own data: a name in three languages (one JSON column, `{ sq, en, el }`,
 * a language left out falls back), an order, an archive mark and, for a field merged into another, where its old
 * links lead.
 *
 * What each database gets:
 * - An existing database (it has members or threads) keeps its 17 fields and their forum spaces; their names, until
 *   now in the message catalogues, are written here (copied, since a migration imports nothing from the app).
 * - A fresh database (no member, no thread) starts with no field at all: the foundation migration wrote the 17 SPK
 *   fields for every install, which hard-wired one network's fields into all. They and their empty spaces are
 *   removed; coordinators add their own at /coordination/fields, and the demo seed adds the SPK fields.
 * `down` drops the new columns and, on a database left with no field, writes the 17 slugs and spaces back, as the
 * foundation migration had them.
 */
const NAMES: Record<string, { sq: string; en: string; el: string }> = {
	'cultural-policy': { sq: 'Politika kulturore', en: 'Cultural policy', el: 'Πολιτιστική πολιτική' },
	'research-statistics': { sq: 'Kërkim, statistika dhe tregues kulturorë', en: 'Research, statistics and cultural indicators', el: 'Έρευνα, στατιστική και πολιτιστικοί δείκτες' },
	'creative-industries': { sq: 'Industri krijuese', en: 'Creative industries', el: 'Δημιουργικές βιομηχανίες' },
	'cultural-heritage': { sq: 'Trashëgimi kulturore', en: 'Cultural heritage', el: 'Πολιτιστική κληρονομιά' },
	'cultural-tourism': { sq: 'Turizëm kulturor', en: 'Cultural tourism', el: 'Πολιτιστικός τουρισμός' },
	cinema: { sq: 'Kinema', en: 'Cinema', el: 'Κινηματογράφος' },
	'visual-arts': { sq: 'Arte pamore', en: 'Visual arts', el: 'Εικαστικές τέχνες' },
	music: { sq: 'Muzikë', en: 'Music', el: 'Μουσική' },
	'performing-arts': { sq: 'Arte skenike', en: 'Performing arts', el: 'Παραστατικές τέχνες' },
	'legislation-advocacy': { sq: 'Legjislacion, konsultim dhe advokim', en: 'Legislation, consultation and advocacy', el: 'Νομοθεσία, διαβούλευση και συνηγορία' },
	'cultural-marketing': { sq: 'Marketing kulturor', en: 'Cultural marketing', el: 'Πολιτιστικό μάρκετινγκ' },
	'arts-management': { sq: 'Menaxhim arti', en: 'Arts management', el: 'Διαχείριση τεχνών' },
	'digital-culture': { sq: 'Kulturë e dixhitalizuar', en: 'Digital culture', el: 'Ψηφιακός πολιτισμός' },
	'cultural-diversity': { sq: 'Diversitet kulturor', en: 'Cultural diversity', el: 'Πολιτιστική πολυμορφία' },
	'intercultural-cooperation': { sq: 'Bashkëpunim ndërkulturor', en: 'Intercultural cooperation', el: 'Διαπολιτισμική συνεργασία' },
	media: { sq: 'Media', en: 'Media', el: 'Μέσα ενημέρωσης' },
	publishing: { sq: 'Botime', en: 'Publishing', el: 'Εκδόσεις' }
};

async function count(db: Kysely<any>, table: string): Promise<number> {
	const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('fields_of_action').addColumn('name', 'text', (c) => c.notNull().defaultTo('{}')).execute();
	await db.schema.alterTable('fields_of_action').addColumn('archived_at', 'integer').execute();
	await db.schema.alterTable('fields_of_action').addColumn('merged_into', 'integer', (c) => c.references('fields_of_action.id')).execute();

	const fresh = (await count(db, 'users')) === 0 && (await count(db, 'threads')) === 0;
	if (fresh) {
		await db.deleteFrom('categories').where('field_id', 'is not', null).execute();
		await db.deleteFrom('fields_of_action').execute();
		return;
	}
	for (const [slug, name] of Object.entries(NAMES)) {
		await db.updateTable('fields_of_action').set({ name: JSON.stringify(name) }).where('slug', '=', slug).execute();
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('fields_of_action').dropColumn('merged_into').execute();
	await db.schema.alterTable('fields_of_action').dropColumn('archived_at').execute();
	await db.schema.alterTable('fields_of_action').dropColumn('name').execute();
	if ((await count(db, 'fields_of_action')) === 0) {
		await db
			.insertInto('fields_of_action')
			.values(Object.keys(NAMES).map((slug, i) => ({ slug, position: i + 1 })))
			.execute();
		await sql`insert into categories (slug, field_id, visibility, position)
			select slug, id, 'members', position from fields_of_action`.execute(db);
	}
}

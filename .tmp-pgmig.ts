import { openPostgres } from './server/db/dialect/postgres.ts';
import { migrateToLatest } from './server/db/migrate.ts';
import pg from 'pg';
const name = 'kuvend_t_' + Math.random().toString(36).slice(2, 10);
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
await admin.connect();
await admin.query(`create database ${name}`);
try {
	const { db } = await openPostgres(`postgres://postgres@127.0.0.1:5432/${name}`, { poolSize: 2 });
	console.log(await migrateToLatest(db));
	const r = await db.selectFrom('fields_of_action').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
	console.log(r, typeof r?.n);
	await db.destroy();
} finally {
	await admin.query(`drop database ${name}`);
	await admin.end();
}

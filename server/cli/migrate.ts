import { ConfigError, loadConfig } from '../config.js';
import { describeDatabase, openConfiguredDatabase } from '../db/open.js';
import { migrateToLatest } from '../db/migrate.js';
import { lockDataFolder } from '../db/data-folder-lock.js';
import { backupBeforeMigrating } from '../db/backup.js';

// `npm run db:migrate`: bring the database to the latest schema without starting the server or seeding.
try {
	const config = loadConfig();
	// Not under a running server, which would keep serving with the old schema in its prepared statements.
	const lock = lockDataFolder(config.databaseFile);
	const { db, raw, dialect } = await openConfiguredDatabase(config);
	const where = describeDatabase(config);
	try {
		const { applied } = await migrateToLatest(db, {
			beforeMigrating: async () => {
				if (dialect === 'postgres') {
					process.stdout.write('No backup taken by Kuvend on PostgreSQL: take one with pg_dump before upgrading.\n');
					return;
				}
				const { file } = await backupBeforeMigrating(raw, config.backupDir, config.backupKeep);
				process.stdout.write(`Backed up the database to ${file} before migrating.\n`);
			}
		});
		process.stdout.write(
			applied.length ? `Applied ${applied.length} migration(s) to ${where}:\n  ${applied.join('\n  ')}\n` : `${where} is up to date.\n`
		);
	} finally {
		await db.destroy();
		lock.release();
	}
} catch (error) {
	process.stderr.write(`${error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`}\n`);
	process.exit(1);
}

import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { migrateToLatest } from '../db/migrate.js';

// `npm run db:migrate`: bring the database to the latest schema without starting the server or seeding.
try {
	const config = loadConfig();
	const { db } = openDatabase(config.databaseFile);
	try {
		const { applied } = await migrateToLatest(db);
		process.stdout.write(
			applied.length ? `Applied ${applied.length} migration(s) to ${config.databaseFile}:\n  ${applied.join('\n  ')}\n` : `${config.databaseFile} is up to date.\n`
		);
	} finally {
		await db.destroy();
	}
} catch (error) {
	process.stderr.write(`${error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`}\n`);
	process.exit(1);
}

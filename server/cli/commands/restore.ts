import { formatBytes } from '../../db/backup.js';
import { restoreDatabase } from '../../db/restore.js';
import { expectArguments, refuseOnPostgres, withDatabaseRefusals } from './database-refusals.js';
import type { Command } from './types.js';

export const restoreCommand: Command = {
	words: ['restore'],
	summary: 'replace the database with a backup (the server must be stopped)',
	help: [
		'Usage: npm run kuvend -- restore <file>',
		'',
		'Replaces the database (DATABASE_FILE, by default kuvend.db in DATA_DIR) with a backup made by "backup".',
		'Refused, changing nothing: while a server holds the data folder (stop it first); a file that is not a Kuvend',
		'database, is damaged, or comes from a newer Kuvend than this one. The replacement is atomic: a crash leaves the',
		'old database or the new one, never a mix. A backup from an older Kuvend is migrated by the next start (which',
		'first backs it up again). A relative file name is taken from the Kuvend folder (npm runs commands there).'
	].join('\n'),
	async run({ args, config, out }) {
		expectArguments('restore', args, 1, 1, 'one argument, the backup file to restore');
		refuseOnPostgres(config, 'restore', 'restore a pg_dump with pg_restore (pg_restore --clean --dbname="$DATABASE_URL" kuvend.dump) while Kuvend is stopped.');
		const { file, bytes, pending } = await withDatabaseRefusals(() => restoreDatabase(config.databaseFile, args[0]));
		out(`Restored ${args[0]} into ${file} (${formatBytes(bytes)}).${pending.length ? ` ${pending.length} migration(s) will run at the next start.` : ''}`);
	}
};

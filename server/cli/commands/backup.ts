import { backupToFile, formatBytes } from '../../db/backup.js';
import { expectArguments, refuseOnPostgres, withDatabaseRefusals } from './database-refusals.js';
import type { Command } from './types.js';

export const backupCommand: Command = {
	words: ['backup'],
	summary: 'copy the database to a file (safe while the server runs)',
	help: [
		'Usage: npm run kuvend -- backup [file]',
		'',
		"Copies the database with SQLite's online backup API: the copy is one consistent moment, also while a server",
		'is serving and writing. Without a file name the copy goes into the backups folder (BACKUP_DIR, by default',
		'backups/ in DATA_DIR) as kuvend-<time>-manual.db. An existing file is never overwritten. Prints the path and',
		'size of the copy. Changes nothing in the database. A relative file name is taken from the Kuvend folder (npm',
		'runs commands there).'
	].join('\n'),
	async run({ args, config, out }) {
		expectArguments('backup', args, 0, 1, 'at most one argument, the file to write');
		refuseOnPostgres(config, 'backup', 'back it up with pg_dump (pg_dump --format=custom --file=kuvend.dump "$DATABASE_URL").');
		const { file, bytes } = await withDatabaseRefusals(() => backupToFile(config.databaseFile, config.backupDir, args[0]));
		out(`Backed up ${config.databaseFile} to ${file} (${formatBytes(bytes)}).`);
	}
};

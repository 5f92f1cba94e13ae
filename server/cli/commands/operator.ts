import fs from 'node:fs';
import type { Config } from '../../config.js';
import { describeDatabase, openConfiguredDatabase } from '../../db/open.js';
import { DatabaseUnavailable } from '../../db/dialect/index.js';
import { schemaState } from '../../db/migrate.js';
import { OperatorService, type OperatorLink } from '../../services/operator.service.js';
import { isDomainError } from '../../../src/lib/shared/errors.js';
import { CliError, type CommandInput } from './types.js';

/**
 * Runs `act` with the operator's service on the configured database, beside a running server if there is one
 * (SQLite's WAL lets both write; the data folder's lock is the server's and is not taken). Refuses a missing file
 * or one not at this code's schema (behind it or ahead), naming what to do; a refusal from the service becomes the
 * command's one line.
 */
export async function withOperator<T>(config: Config, act: (operator: OperatorService) => Promise<T>): Promise<T> {
	const file = describeDatabase(config);
	if (!config.databaseUrl && !fs.existsSync(file)) throw new CliError(`No database at ${file}: set DATA_DIR (or DATABASE_FILE) to the server's, or start the server once.`);
	const { db } = await openConfiguredDatabase(config).catch((error) => {
		throw error instanceof DatabaseUnavailable ? new CliError(error.message) : error;
	});
	try {
		const { pending, unknown } = await schemaState(db);
		if (unknown.length) throw new CliError(`The database at ${file} was written by a newer Kuvend (migration ${unknown[0]}): run this command from that version.`);
		if (pending.length) {
			throw new CliError(`The database at ${file} is not at the latest schema (${pending.length} migration(s) to run): run "npm run db:migrate" first.`);
		}
		return await act(new OperatorService(db, config.origin ?? `http://localhost:${config.port}`));
	} catch (error) {
		if (isDomainError(error)) throw new CliError(`${error.message}.`);
		throw error;
	} finally {
		await db.destroy();
	}
}

/** The one argument, an email address; anything else is a usage error. */
export function emailArgument({ args }: CommandInput, usage: string): string {
	const rest = args.filter((a) => a !== '--');
	if (rest.length !== 1) throw new CliError(`${rest.length ? 'Give exactly one email address' : 'Give the email address'}. Usage: ${usage}`);
	return rest[0];
}

/** Prints a link the way every command prints one: who it is for, how long it lasts, then the link alone on a line. */
export function printLink(out: (line: string) => void, heading: string, link: OperatorLink): void {
	out(`${heading} ${link.name} <${link.email}>; it works once, until ${new Date(link.expiresAt).toISOString()}, and older links no longer work:`);
	out(link.url);
}

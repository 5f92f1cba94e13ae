import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/** Thrown when another process already serves this data folder; the message is the one line to print. */
export class DataFolderInUseError extends Error {
	constructor(databaseFile: string, owner: string | null) {
		super(`${databaseFile} is already served by ${owner ?? 'another Kuvend process'}; stop it first or choose another DATA_DIR.`);
		this.name = 'DataFolderInUseError';
	}
}

/** The lock one Kuvend process holds on its database for as long as it runs. */
export interface DataFolderLock {
	/** Records where this process serves, for the message a second start prints. */
	describe(url: string): void;
	release(): void;
}

/**
 * Takes the lock on a database file, or throws DataFolderInUseError naming the process that holds it.
 *
 * The lock is an OS lock, not a pid file: a SQLite file beside the database, opened in exclusive locking mode and
 * written once, so SQLite holds its POSIX (fcntl) write lock on it until the connection closes. The kernel drops
 * that lock when the process ends in any way (SIGKILL, crash, power loss leaves no lock at all), so a stale lock
 * cannot exist and nothing has to guess whether a recorded pid is still alive or was reused by another program
 * (which a pid file must, and gets wrong in containers where every start is pid 1). It is taken on the database
 * file rather than DATA_DIR because the database (and the drafts' update logs in it) is what two processes would
 * overwrite, and DATABASE_FILE may live outside DATA_DIR.
 *
 * Who holds the lock is written to a plain file beside it: only the holder writes it, and a locked SQLite file
 * cannot be read by others.
 */
export function lockDataFolder(databaseFile: string): DataFolderLock {
	const lockFile = `${databaseFile}.lock`;
	const ownerFile = `${lockFile}.owner`;
	fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
	const lock = new SQLite(lockFile, { timeout: 0 });
	try {
		lock.pragma('locking_mode = EXCLUSIVE');
		// In exclusive mode the first write takes the lock and keeps it after the commit.
		lock.exec('begin exclusive; create table if not exists holder (pid integer); delete from holder');
		lock.prepare('insert into holder values (?)').run(process.pid);
		lock.exec('commit');
	} catch (error) {
		lock.close();
		if (error instanceof SQLite.SqliteError && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED')) {
			throw new DataFolderInUseError(databaseFile, readOwner(ownerFile));
		}
		throw error;
	}
	const writeOwner = (url?: string) => fs.writeFileSync(ownerFile, `pid ${process.pid}${url ? ` at ${url}` : ''}\n`);
	writeOwner();
	let released = false;
	return {
		describe: (url) => writeOwner(url),
		release() {
			if (released) return;
			released = true;
			fs.rmSync(ownerFile, { force: true });
			lock.close();
		}
	};
}

function readOwner(ownerFile: string): string | null {
	try {
		const owner = fs.readFileSync(ownerFile, 'utf8').trim();
		return owner ? `Kuvend (${owner})` : null;
	} catch {
		// The holder writes this file right after taking the lock: a start in between knows no more than that.
		return null;
	}
}

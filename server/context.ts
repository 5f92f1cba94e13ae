import type SQLite from 'better-sqlite3';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/client.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDemoNetwork } from './db/seed/demo.js';
import { EventBus } from './events/bus.js';
import { createLogger, type Logger } from './logger.js';
import { AuthService } from './services/auth.service.js';
import { DocumentAccessService } from './services/document-access.service.js';
import { NetworkService } from './services/network.service.js';
import { PreferencesService } from './services/preferences.service.js';

export interface Services {
	auth: AuthService;
	preferences: PreferencesService;
	network: NetworkService;
	documents: DocumentAccessService;
}

/** Everything one Kuvend process shares: created once, handed to SvelteKit through the bridge. */
export interface AppContext {
	config: Config;
	db: Db;
	/** The underlying better-sqlite3 handle, for pragmas and checkpoints only. */
	sqlite: SQLite.Database;
	bus: EventBus;
	logger: Logger;
	services: Services;
	/** Whether this start created the database (and seeded it). */
	created: boolean;
	close(): Promise<void>;
}

/** Opens the database, migrates it, seeds a new one when asked, and wires the services. */
export async function createContext(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<AppContext> {
	const { db, raw } = openDatabase(config.databaseFile);
	try {
		const { created, applied } = await migrateToLatest(db);
		if (applied.length) logger.info('migrated database', { file: config.databaseFile, applied });
		if (created && config.seed === 'demo') {
			const { people } = await seedDemoNetwork(db);
			logger.info('seeded the demo network', { people });
		}
		const bus = new EventBus((event, error) => logger.error('event listener failed', { event, error }));
		const policy = { idleMs: config.sessionIdleMs, absoluteMs: config.sessionAbsoluteMs };
		const services: Services = {
			auth: new AuthService(db, bus, policy),
			preferences: new PreferencesService(db, bus),
			network: new NetworkService(db),
			documents: new DocumentAccessService()
		};
		let closed = false;
		return {
			config,
			db,
			sqlite: raw,
			bus,
			logger,
			services,
			created,
			async close() {
				if (closed) return;
				closed = true;
				// Fold the WAL into the main file so a copied database is complete on its own.
				raw.pragma('wal_checkpoint(TRUNCATE)');
				await db.destroy();
			}
		};
	} catch (error) {
		await db.destroy();
		throw error;
	}
}

const BRIDGE = Symbol.for('kuvend.app-context');

/** Hands the context to the SvelteKit bundle, which has its own module graph (see src/lib/server/context.ts). */
export function publishContext(ctx: AppContext | null): void {
	(globalThis as Record<symbol, unknown>)[BRIDGE] = ctx ?? undefined;
}

import type SQLite from 'better-sqlite3';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import type { DialectName } from './db/dialect/index.js';
import { describeDatabase, openConfiguredDatabase } from './db/open.js';
import { migrateToLatest } from './db/migrate.js';
import { backupBeforeMigrating } from './db/backup.js';
import { seedDemoNetwork } from './db/seed/demo.js';
import { seedDemoForum } from './db/seed/forum.js';
import { seedDemoDrafts } from './db/seed/drafts.js';
import { seedDemoVotes } from './db/seed/votes.js';
import { seedDemoMeetings } from './db/seed/meetings.js';
import { isRecordId } from '../src/lib/shared/ids.js';
import { EventBus } from './events/bus.js';
import { StorageHealth } from './db/storage-health.js';
import { Lifecycle } from './lifecycle.js';
import { createLogger, type Logger } from './logger.js';
import { AuthService } from './services/auth.service.js';
import { Abilities } from './services/abilities.service.js';
import { DocumentAccessService } from './services/document-access.service.js';
import { NetworkService } from './services/network.service.js';
import { PreferencesService } from './services/preferences.service.js';
import { MembershipService } from './services/membership.service.js';
import { AccountService } from './services/account.service.js';
import { CoordinationService } from './services/coordination.service.js';
import { GroupsService } from './services/groups.service.js';
import { OrganisationsService } from './services/organisations.service.js';
import { MailService } from './services/mail.service.js';
import { RateLimits } from './services/rate-limits.js';
import { Mailer } from './mail/mailer.js';
import { DocumentStore } from './db/repositories/document.repository.js';
import { DocumentsService } from './services/documents.service.js';
import { DraftsService } from './services/drafts.service.js';
import { PageCache } from './http/page-cache.js';
import { ForumService } from './services/forum.service.js';
import { ForumWritingService } from './services/forum-writing.service.js';
import { NotificationsService } from './services/notifications.service.js';
import { SearchService } from './services/search.service.js';
import { ModerationService } from './services/moderation.service.js';
import { VotesService } from './services/votes.service.js';
import { MeetingsService } from './services/meetings.service.js';
import { LocalRoomPresence } from './services/room-presence.js';

export interface Services {
	auth: AuthService;
	/** Who may do what across features (group roles, calling votes and meetings). */
	abilities: Abilities;
	preferences: PreferencesService;
	network: NetworkService;
	documentAccess: DocumentAccessService;
	/** Collaborative documents in memory and their update logs. */
	documents: DocumentsService;
	drafts: DraftsService;
	membership: MembershipService;
	account: AccountService;
	coordination: CoordinationService;
	groups: GroupsService;
	organisations: OrganisationsService;
	/** Reading the forum (and who may read a thread). */
	forum: ForumService;
	/** Writing in the forum: threads, replies, edits, reactions, follows, read marks. */
	forumWriting: ForumWritingService;
	notifications: NotificationsService;
	search: SearchService;
	moderation: ModerationService;
	votes: VotesService;
	meetings: MeetingsService;
}

/** Everything one Kuvend process shares: created once, handed to SvelteKit through the bridge. */
export interface AppContext {
	config: Config;
	db: Db;
	/** SQLite, or PostgreSQL when DATABASE_URL is set (in progress: README, "PostgreSQL (in progress)"). */
	dialect: DialectName;
	/**
	 * The underlying better-sqlite3 handle, for pragmas and checkpoints only. On PostgreSQL a handle that refuses
	 * every statement with a SqliteOnly error (server/db/dialect/sqlite-only.ts).
	 */
	sqlite: SQLite.Database;
	/** Whether the database takes writes (a full disk), and writes nobody waits for (read marks, last seen). */
	storage: StorageHealth;
	/** Set when the process is stopping: new casts, edits and form writes are refused as "the server is restarting". */
	readonly lifecycle: Lifecycle;
	bus: EventBus;
	logger: Logger;
	services: Services;
	/** Whether this start created the database (and seeded it). */
	created: boolean;
	mailer: Mailer;
	/** Public pages as visitors see them (src/lib/server/visitor-cache.ts). */
	pageCache: PageCache;
	/** The origin for links in mail: ORIGIN, or where the server listens when ORIGIN is unset (tests). */
	publicOrigin(): string;
	setListeningUrl(url: string): void;
	close(): Promise<void>;
}

/** Opens the database, migrates it, seeds a new one when asked, and wires the services. */
export async function createContext(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<AppContext> {
	// Failed statements reach the storage health, created just below on the same handle.
	let storage: StorageHealth | undefined;
	const { db, raw, dialect } = await openConfiguredDatabase(config, {
		onError: (error) => storage?.failed(error),
		onPoolError: (error) => logger.warn('an idle PostgreSQL connection failed; the next query opens another', { error: String(error) })
	});
	storage = new StorageHealth(db, logger);
	try {
		const { created, applied } = await migrateToLatest(db, {
			beforeMigrating: async (pending) => {
				if (dialect === 'postgres') {
					logger.warn('migrating PostgreSQL without a backup from Kuvend: take one with pg_dump before upgrading', { pending });
					return;
				}
				const { file } = await backupBeforeMigrating(raw, config.backupDir, config.backupKeep);
				logger.info('backed up the database before migrating', { file, pending });
			}
		});
		if (applied.length) logger.info('migrated database', { database: describeDatabase(config), applied });
		const bus = new EventBus((event, error) => logger.error('event listener failed', { event, error }));
		const policy = { idleMs: config.sessionIdleMs, absoluteMs: config.sessionAbsoluteMs };
		let listeningUrl = 'http://localhost';
		const publicOrigin = () => config.origin ?? listeningUrl;
		const limits = new RateLimits(config.rateLimits);
		const mail = new MailService();
		const abilities = new Abilities(db);
		const documents = new DocumentsService(new DocumentStore(raw), logger, { idleMs: config.docIdleMs, onWriteError: (error) => storage?.failed(error) });
		const notifications = new NotificationsService(db, bus, mail, publicOrigin);
		const forum = new ForumService(db);
		const forumWriting = new ForumWritingService(db, bus, notifications, limits, Date.now, storage.bestEffort);
		const drafts = new DraftsService(db, bus, documents, forumWriting, abilities);
		const votes = new VotesService(db, raw, bus, abilities, forum, drafts, logger);
		const services: Services = {
			auth: new AuthService(db, bus, policy, limits, Date.now, storage.bestEffort),
			abilities,
			preferences: new PreferencesService(db, bus),
			network: new NetworkService(db),
			documentAccess: new DocumentAccessService(),
			documents,
			drafts,
			membership: new MembershipService(db, bus, mail, limits, publicOrigin),
			account: new AccountService(db, bus, mail, limits, publicOrigin, { mailDelivers: config.smtpUrl !== null, logger }),
			coordination: new CoordinationService(db, bus),
			groups: new GroupsService(db, bus, abilities),
			organisations: new OrganisationsService(db),
			forum,
			forumWriting,
			notifications,
			search: new SearchService(db),
			moderation: new ModerationService(db, bus),
			votes,
			meetings: new MeetingsService(db, bus, abilities, new LocalRoomPresence(), votes, drafts, forum, documents)
		};
		// Only the canonical spelling of an id: "draft:01" or "draft:1e0" would be other documents for the same draft.
		services.documentAccess.register('draft', async (auth, id) => (isRecordId(id) ? services.drafts.documentAccess(auth, Number(id)) : null), 'editor');
		if (created && config.seed === 'demo') {
			const { people } = await seedDemoNetwork(db);
			await seedDemoForum(db, services.forumWriting);
			// Drafts, votes and meetings are written through the document logs and the ballot box, which have no
			// PostgreSQL path yet (README, "PostgreSQL (in progress)").
			if (dialect === 'sqlite') {
				await seedDemoDrafts(db, services.drafts, documents);
				await seedDemoVotes(db, services.votes);
				await seedDemoMeetings(db, services.meetings);
			} else logger.warn('seeded the demo network and forum only: demo drafts, votes and meetings need SQLite for now');
			// The seed posted through the services on its people's behalf: that does not count against their limits.
			limits.clear();
			logger.info('seeded the demo network', { people });
		}
		const pageCache = new PageCache();
		pageCache.follow(bus);
		const mailer = new Mailer(db, logger, { smtpUrl: config.smtpUrl, from: config.mailFrom, logBodies: config.env !== 'production' });
		bus.on('mail.queued', () => void mailer.flush().catch((error) => logger.error('mail delivery failed', { error })));
		// Mail left from before a restart goes out now.
		void mailer.flush().catch((error) => logger.error('mail delivery failed', { error }));
		// Daily digests: checked every quarter hour; each member gets at most one a day.
		const digests = setInterval(() => {
			notifications.sendDigests().catch((error) => logger.error('digest failed', { error }));
		}, 15 * 60 * 1000);
		digests.unref();
		// Votes open and close on their schedule: checked every few seconds.
		const schedule = setInterval(() => {
			services.votes.tick().catch((error) => logger.error('vote schedule failed', { error }));
		}, config.voteTickMs);
		schedule.unref();
		let closed = false;
		return {
			config,
			db,
			dialect,
			sqlite: raw,
			storage,
			lifecycle: new Lifecycle(),
			bus,
			logger,
			services,
			created,
			mailer,
			pageCache,
			publicOrigin,
			setListeningUrl(url: string) {
				listeningUrl = url;
			},
			async close() {
				if (closed) return;
				closed = true;
				limits.close();
				await services.account.settleResets();
				clearInterval(digests);
				clearInterval(schedule);
				documents.close();
				await mailer.close();
				storage.close();
				// Fold the WAL into the main file so a copied database is complete on its own. On a full disk this can
				// fail: the WAL then stays beside the database, whole, and is read at the next start.
				try {
					if (dialect === 'sqlite') raw.pragma('wal_checkpoint(TRUNCATE)');
				} catch (error) {
					logger.warn('could not fold the write-ahead log into the database at stop; it is kept for the next start', { error });
				}
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

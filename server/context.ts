import { PostgresDocumentStore } from './db/repositories/document-postgres.repository.js';
import { SqliteBallotBox } from './db/repositories/ballot-box.repository.js';
import { PostgresBallotBox } from './db/repositories/ballot-box-postgres.repository.js';
import { BallotSeal, ballotKeyOf } from './db/ballots/ballot-seal.js';
import fs from 'node:fs';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import type { Config } from './config.js';
import type { Locale } from '../src/lib/shared/types.js';
import { describeDatabase, openConfiguredDatabase } from './db/open.js';
import { migrateToLatest } from './db/migrate.js';
import { backupBeforeMigrating } from './db/backup.js';
import { seedDemoNetwork } from './db/seed/demo.js';
import { seedInclustForum, seedInclustNetwork } from './db/seed/inclust.js';
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
import { NetworkProfileService } from './services/network-profile.service.js';
import { PreferencesService } from './services/preferences.service.js';
import { MembershipService } from './services/membership.service.js';
import { AccountService } from './services/account.service.js';
import { MemberExportService } from './services/member-export.service.js';
import { CoordinationService } from './services/coordination.service.js';
import { GroupsService } from './services/groups.service.js';
import { FieldsService } from './services/fields.service.js';
import { GroupAdminService } from './services/group-admin.service.js';
import { OrganisationsService } from './services/organisations.service.js';
import { MailService } from './services/mail.service.js';
import { ProxiesService } from './services/proxies.service.js';
import { MemoryRateLimits, RedisRateLimits, type RateLimits } from './services/rate-limits.js';
import { Mailer } from './mail/mailer.js';
import { DocumentStore } from './db/repositories/document.repository.js';
import { DocumentsService } from './services/documents.service.js';
import { RedisDocumentFeed } from './realtime/yjs/redis-feed.js';
import { DraftsService } from './services/drafts.service.js';
import { PageCache } from './http/page-cache.js';
import { ForumService } from './services/forum.service.js';
import { ForumWritingService } from './services/forum-writing.service.js';
import { NotificationsService } from './services/notifications.service.js';
import { SearchService } from './services/search.service.js';
import { ModerationService } from './services/moderation.service.js';
import { VotesService } from './services/votes.service.js';
import { ElectionsService } from './services/elections.service.js';
import { MeetingsService } from './services/meetings.service.js';
import { CalendarLinksService } from './services/calendar-links.service.js';
import { FeedsService } from './services/feeds.service.js';
import { LocalRoomPresence, RedisRoomPresence } from './services/room-presence.js';
import { localNodeEvents, redisNodeEvents, RedisLease, SharedState, soleNode, type Leadership, type NodeEvents } from './shared-state.js';
import { SetupService } from './services/setup.service.js';
import { clientAddressResolver } from './http/client-address.js';
import { Metrics } from './services/metrics.js';
import { InstanceService } from './services/instance.service.js';
import { ApiTokensService } from './services/api-tokens.service.js';
import { ROOT } from './paths.js';
import { WebhooksService } from './services/webhooks.service.js';
import { WebhookDeliverer } from './services/webhook-deliverer.js';
import { WebhookFollower } from './services/webhook-follower.js';

/** The application version, read once from package.json. */
const APP_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export type { AppContext, Services } from './context-types.js';
import type { AppContext, Services } from './context-types.js';

/** Opens the database, migrates it, seeds a new one when asked, and wires the services. */
export async function createContext(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<AppContext> {
	// Checked first, like the database: an unreachable Redis stops start-up with one line naming REDIS_URL.
	const shared = config.redisUrl ? await SharedState.connect(config, logger) : null;
	// Failed statements reach the storage health, created just below on the same handle.
	let storage: StorageHealth | undefined;
	let opened;
	try {
		opened = await openConfiguredDatabase(config, {
			onError: (error) => storage?.failed(error),
			onPoolError: (error) => logger.warn('an idle PostgreSQL connection failed; the next query opens another', { error: String(error) }),
			onAway: (error) => logger.error('PostgreSQL is unreachable: pages and writes are refused (503) until it answers again', { error: String(error) }),
			onBack: () => logger.info('PostgreSQL is reachable again')
		});
	} catch (error) {
		await shared?.close();
		throw error;
	}
	const { db, raw, dialect } = opened;
	if (shared && dialect === 'sqlite') logger.warn('REDIS_URL is set but the database is a SQLite file: run one node only (several nodes need DATABASE_URL on PostgreSQL)');
	let nodeEvents: NodeEvents | undefined;
	let leadership: Leadership | undefined;
	let documentFeed: RedisDocumentFeed | undefined;
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
		const limits: RateLimits = shared ? new RedisRateLimits(config.rateLimits, shared.redis, shared.prefix) : new MemoryRateLimits(config.rateLimits);
		const everyNode = (nodeEvents = shared ? await redisNodeEvents(bus, shared, logger) : localNodeEvents(bus));
		const profile = new NetworkProfileService(db, bus);
		// Mail is signed with the network's name in the recipient's language.
		const mail = new MailService((locale) => profile.view(locale).name);
		const mailer = new Mailer(db, logger, {
			smtpUrl: config.smtpUrl,
			from: config.mailFrom,
			// Mail comes from the network: its name in its primary language, at MAIL_FROM's address.
			fromName: () => profile.view(profile.primaryLocale).name,
			logBodies: config.env !== 'production'
		});
		const startedAt = Date.now();
		const abilities = new Abilities(db);
		// The language a network text (a group's description, a field's name) falls back to when the reader's is empty.
		const primaryLocale = (): Locale => profile.primaryLocale;
		// Several nodes on one PostgreSQL: each stored update is told to the others through Redis (README "Run several nodes").
		const feed = shared && dialect === 'postgres' ? (documentFeed = await RedisDocumentFeed.open(shared, logger)) : null;
		const documents = new DocumentsService(dialect === 'postgres' ? new PostgresDocumentStore(db) : new DocumentStore(raw), logger, { idleMs: config.docIdleMs, onWriteError: (error) => storage?.failed(error), feed });
		const notifications = new NotificationsService(db, bus, mail, publicOrigin);
		const forum = new ForumService(db);
		const forumWriting = new ForumWritingService(db, bus, notifications, limits, Date.now, storage.bestEffort);
		const drafts = new DraftsService(db, bus, documents, forumWriting, abilities, Date.now, () => profile.primaryLocale, limits);
		// Secret ballots are sealed on PostgreSQL until their vote closes, with a key kept beside the data, not in the database.
		const ballotBox = dialect === 'postgres' ? new PostgresBallotBox(db, new BallotSeal(ballotKeyOf(config))) : new SqliteBallotBox(db, raw);
		const votes = new VotesService(db, ballotBox, bus, abilities, forum, drafts, notifications, logger);
		const auth = new AuthService(db, bus, policy, limits, Date.now, storage.bestEffort);
		const presence = shared ? new RedisRoomPresence(shared.redis, shared.prefix, shared.nodeId) : new LocalRoomPresence();
		const account = new AccountService(db, bus, mail, limits, publicOrigin, { mailDelivers: config.smtpUrl !== null, logger });
		const meetings = new MeetingsService(db, bus, abilities, presence, votes, drafts, forum, documents, forumWriting, logger);
		const webhooks = new WebhooksService(db, bus, mail, { votes, meetings, drafts, forum }, { allowPrivate: config.webhooksAllowPrivate, publicOrigin });
		const webhookFollower = new WebhookFollower(db, webhooks, bus, logger);
		const webhookDeliverer = new WebhookDeliverer(db, webhooks, logger, { timeoutMs: config.webhookTimeoutMs, allowPrivate: config.webhooksAllowPrivate });
		const services: Services = {
			auth,
			abilities,
			preferences: new PreferencesService(db, bus),
			network: new NetworkService(db, primaryLocale, limits),
			profile,
			documentAccess: new DocumentAccessService(),
			documents,
			drafts,
			membership: new MembershipService(db, bus, mail, limits, publicOrigin),
			account,
			memberExport: new MemberExportService(db, account, limits),
			coordination: new CoordinationService(db, bus, primaryLocale),
			groups: new GroupsService(db, bus, abilities, primaryLocale),
			groupAdmin: new GroupAdminService(db, bus),
			organisations: new OrganisationsService(db),
			fields: new FieldsService(db, bus, primaryLocale),
			forum,
			forumWriting,
			notifications,
			search: new SearchService(db),
			moderation: new ModerationService(db, bus),
			votes,
			elections: new ElectionsService(db),
			meetings,
			proxies: new ProxiesService(db, bus, mail, logger, publicOrigin),
			calendarLinks: new CalendarLinksService(db, meetings, limits, storage.bestEffort),
			feeds: new FeedsService(db, votes, meetings, forum, drafts),
			setup: new SetupService(db, auth, limits, config.smtpUrl !== null),
			instance: new InstanceService(db, mail, mailer, limits, {
				version: APP_VERSION,
				databaseFile: describeDatabase(config),
				backupDir: config.backupDir,
				backupEveryMs: config.backupEveryMs,
				startedAt,
				publicOrigin
			}),
			apiTokens: new ApiTokensService(db, Date.now, storage.bestEffort),
			webhooks
		};
		// Only the canonical spelling of an id: "draft:01" or "draft:1e0" would be other documents for the same draft.
		services.documentAccess.register('draft', async (auth, id) => (isRecordId(id) ? services.drafts.documentAccess(auth, Number(id)) : null), 'editor');
		services.documentAccess.register('draft-lang', (auth, id) => services.drafts.translationAccess(auth, id), 'editor');
		if (created && config.seed === 'demo') {
			const { people } = await seedDemoNetwork(db);
			await seedDemoForum(db, services.forumWriting);
			await seedDemoDrafts(db, services.drafts, documents);
			await seedDemoVotes(db, services.votes);
			await seedDemoMeetings(db, services.meetings);
			// The seed posted through the services on its people's behalf: that does not count against their limits.
			await limits.clear();
			logger.info('seeded the demo network', { people });
		}
		if (created && config.seed === 'inclust') {
			const { people } = await seedInclustNetwork(db);
			await seedInclustForum(db, services.forumWriting);
			await limits.clear();
			logger.info('seeded the InClust network', { people });
		}
		// The seed's events were recorded too: no endpoint exists yet, so they are taken off unread at the first pass.
		const stopWebhooks = webhookFollower.follow();
		await profile.load();
		if (shared) {
			// What this node keeps in memory and another node changed: read again.
			everyNode.on('network.profile_changed', () => void profile.load().catch((error) => logger.error('network profile reload failed', { error })));
			everyNode.on('fields.changed', () => services.fields.forget());
		}
		// After the seed: the ballots it cast are demo data, not this process's votes.
		const metrics = new Metrics(db, bus, config.databaseFile);
		const pageCache = new PageCache();
		// Every node keeps its own cache: a change on any node empties them all.
		pageCache.follow(everyNode);
		// The scheduled work (outbox, digests, vote schedule; tallies in vote.handlers.ts) runs on one node at a time:
		// the holder of the lease when several nodes share Redis, this process otherwise.
		const lease = shared ? new RedisLease(shared, logger) : soleNode;
		leadership = lease;
		const deliver = () => {
			if (lease.held) void mailer.flush().catch((error) => logger.error('mail delivery failed', { error }));
		};
		everyNode.on('mail.queued', deliver);
		// Webhooks: the same lease; events recorded and due retries are looked for every quarter minute (a wake-up
		// lost between nodes costs that much delay, never an event).
		const followHooks = () => {
			if (lease.held) void webhookFollower.flush().catch((error) => logger.error('turning webhook events into deliveries failed', { error }));
		};
		const sendHooks = () => {
			if (lease.held) void webhookDeliverer.flush().catch((error) => logger.error('webhook delivery failed', { error }));
		};
		everyNode.on('webhooks.recorded', followHooks);
		everyNode.on('webhooks.queued', sendHooks);
		const hookRetries = setInterval(() => (followHooks(), sendHooks()), 15_000);
		hookRetries.unref();
		// Mail and webhook events left from before a restart (or by a node that stopped) go out when this node takes the work.
		lease.onChange((held) => held && (deliver(), followHooks(), sendHooks()));
		if (lease instanceof RedisLease) await lease.start();
		deliver();
		followHooks();
		// Daily digests: checked every quarter hour; each member gets at most one a day.
		const digests = setInterval(() => {
			if (lease.held) notifications.sendDigests().catch((error) => logger.error('digest failed', { error }));
		}, 15 * 60 * 1000);
		digests.unref();
		// Members of live rooms whose node died without letting them leave: they leave now (several nodes only).
		const sweep = setInterval(() => {
			if (!lease.held || !(presence instanceof RedisRoomPresence)) return;
			presence
				.socketsOfGoneNodes((node) => shared!.isAlive(node))
				.then(async (sockets) => {
					for (const socket of sockets) await services.meetings.leave(socket);
				})
				.catch((error) => logger.error('clearing the presence of stopped nodes failed', { error }));
		}, 15_000);
		sweep.unref();
		// Votes open and close on their schedule: checked every few seconds.
		const schedule = setInterval(() => {
			if (!lease.held) return;
			services.votes.tick().catch((error) => logger.error('vote schedule failed', { error }));
			// Consent rounds that closed while their node stopped before moving the objections to the next meeting.
			services.meetings.sweepObjections().catch((error) => logger.error('moving consent objections failed', { error }));
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
			clientAddress: clientAddressResolver(config.trustProxy),
			limits,
			metrics,
			startedAt,
			created,
			mailer,
			webhookFollower,
			webhookDeliverer,
			pageCache,
			shared,
			nodeEvents: everyNode,
			leadership: lease,
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
				clearInterval(sweep);
				clearInterval(hookRetries);
				stopWebhooks();
				// Released at once: another node takes the scheduled work without waiting for the lease to run out.
				await lease.close();
				await everyNode.close();
				await documents.close();
				await documentFeed?.close();
				await webhookFollower.close();
				await webhookDeliverer.close();
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
				await shared?.close();
			}
		};
	} catch (error) {
		await leadership?.close();
		await nodeEvents?.close();
		await documentFeed?.close();
		await db.destroy();
		await shared?.close();
		throw error;
	}
}

const BRIDGE = Symbol.for('kuvend.app-context');

/** Hands the context to the SvelteKit bundle, which has its own module graph (see src/lib/server/context.ts). */
export function publishContext(ctx: AppContext | null): void {
	(globalThis as Record<symbol, unknown>)[BRIDGE] = ctx ?? undefined;
}

import type SQLite from 'better-sqlite3';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import type { DialectName } from './db/dialect/index.js';
import type { EventBus } from './events/bus.js';
import type { StorageHealth } from './db/storage-health.js';
import type { Lifecycle } from './lifecycle.js';
import type { Logger } from './logger.js';
import type { AuthService } from './services/auth.service.js';
import type { Abilities } from './services/abilities.service.js';
import type { DocumentAccessService } from './services/document-access.service.js';
import type { NetworkService } from './services/network.service.js';
import type { NetworkProfileService } from './services/network-profile.service.js';
import type { PreferencesService } from './services/preferences.service.js';
import type { MembershipService } from './services/membership.service.js';
import type { AccountService } from './services/account.service.js';
import type { MemberExportService } from './services/member-export.service.js';
import type { CoordinationService } from './services/coordination.service.js';
import type { GroupsService } from './services/groups.service.js';
import type { FieldsService } from './services/fields.service.js';
import type { GroupAdminService } from './services/group-admin.service.js';
import type { OrganisationsService } from './services/organisations.service.js';
import type { ProxiesService } from './services/proxies.service.js';
import type { RateLimits } from './services/rate-limits.js';
import type { Mailer } from './mail/mailer.js';
import type { DocumentsService } from './services/documents.service.js';
import type { DraftsService } from './services/drafts.service.js';
import type { PageCache } from './http/page-cache.js';
import type { ForumService } from './services/forum.service.js';
import type { ForumWritingService } from './services/forum-writing.service.js';
import type { NotificationsService } from './services/notifications.service.js';
import type { SearchService } from './services/search.service.js';
import type { ModerationService } from './services/moderation.service.js';
import type { VotesService } from './services/votes.service.js';
import type { ElectionsService } from './services/elections.service.js';
import type { MeetingsService } from './services/meetings.service.js';
import type { CalendarLinksService } from './services/calendar-links.service.js';
import type { FeedsService } from './services/feeds.service.js';
import type { SharedState, Leadership, NodeEvents } from './shared-state.js';
import type { SetupService } from './services/setup.service.js';
import type { ClientAddressOf } from './http/client-address.js';
import type { Metrics } from './services/metrics.js';
import type { InstanceService } from './services/instance.service.js';
import type { ApiTokensService } from './services/api-tokens.service.js';
import type { WebhooksService } from './services/webhooks.service.js';
import type { WebhookDeliverer } from './services/webhook-deliverer.js';
import type { WebhookFollower } from './services/webhook-follower.js';

/** What one Kuvend process shares (the context) and its services, as types: wired in server/context.ts. */

export interface Services {
	auth: AuthService;
	/** Who may do what across features (group roles, calling votes and meetings). */
	abilities: Abilities;
	preferences: PreferencesService;
	network: NetworkService;
	/** The network's own profile (name, texts, logo): read by every page, changed by coordinators. */
	profile: NetworkProfileService;
	documentAccess: DocumentAccessService;
	/** Collaborative documents in memory and their update logs. */
	documents: DocumentsService;
	drafts: DraftsService;
	membership: MembershipService;
	account: AccountService;
	memberExport: MemberExportService;
	coordination: CoordinationService;
	groups: GroupsService;
	groupAdmin: GroupAdminService;
	organisations: OrganisationsService;
	/** The network's fields of action: names for every page, and the coordinators' changes. */
	fields: FieldsService;
	/** Reading the forum (and who may read a thread). */
	forum: ForumService;
	/** Writing in the forum: threads, replies, edits, reactions, follows, read marks. */
	forumWriting: ForumWritingService;
	notifications: NotificationsService;
	search: SearchService;
	moderation: ModerationService;
	votes: VotesService;
	elections: ElectionsService;
	meetings: MeetingsService;
	/** Proxies for a meeting or a vote, and the cap on how many one member holds. */
	proxies: ProxiesService;
	/** Each member's secret calendar link (issue #20). */
	calendarLinks: CalendarLinksService;
	/** What the Atom feeds and the embeddable lists show: what a visitor may read. */
	feeds: FeedsService;
	/** The first coordinator from the setup link, and the day-one setup. */
	setup: SetupService;
	/** The coordinators' instance panel: version, uptime, storage, backups, mail and the test mail. */
	instance: InstanceService;
	/** Members' personal tokens for the read API (server/http/api). */
	apiTokens: ApiTokensService;
	/** Webhook endpoints (coordinators, representatives) and the events they are sent. */
	webhooks: WebhooksService;
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
	/** The client address of a request, socket handshake or upgrade: the only reader of X-Forwarded-For (TRUST_PROXY). */
	clientAddress: ClientAddressOf;
	/** Limits the transports apply themselves (connections per address); services hold the same instance. */
	limits: RateLimits;
	/** Prometheus metrics of this process (GET /metrics), in a registry of its own. */
	metrics: Metrics;
	/** When this process started serving, for the instance panel's uptime. */
	startedAt: number;
	/** Whether this start created the database (and seeded it). */
	created: boolean;
	mailer: Mailer;
	/** Turns the webhook events recorded with their changes into deliveries (on the node holding the lease). */
	webhookFollower: WebhookFollower;
	/** Sends the webhook queue (on the node holding the lease). */
	webhookDeliverer: WebhookDeliverer;
	/** Public pages as visitors see them (src/lib/server/visitor-cache.ts). */
	pageCache: PageCache;
	/** The Redis connections this node shares with the others (REDIS_URL); null in a single process. */
	shared: SharedState | null;
	/** Events heard on every node, wherever they happened (the bus itself in a single process). */
	nodeEvents: NodeEvents;
	/** Whether this node runs the scheduled work now (always, in a single process). */
	leadership: Leadership;
	/** The origin for links in mail: ORIGIN, or where the server listens when ORIGIN is unset (tests). */
	publicOrigin(): string;
	setListeningUrl(url: string): void;
	close(): Promise<void>;
}

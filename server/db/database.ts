import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Locale, Role, UserStatus, GroupKind } from '../../src/lib/shared/types.js';
import type { Eligibility, Method, ResultsVisibility, Threshold, VoteStatus } from '../../src/lib/shared/votes.js';

/** Times are integer milliseconds since the epoch. */
export interface UsersTable {
	id: Generated<number>;
	email: string;
	password_hash: string | null;
	display_name: string;
	role: Role;
	status: UserStatus;
	locale: Locale;
	city: string | null;
	bio: string | null;
	created_at: number;
	updated_at: number;
	show_email: Generated<number>;
	notify_in_app: Generated<number>;
	notify_email: Generated<NotifyEmail>;
	last_digest_at: number | null;
	time_zone: string | null;
}

export type NotifyEmail = 'now' | 'digest' | 'off';

export interface SessionsTable {
	/** SHA-256 (hex) of the session token; the token itself is never stored. */
	id: string;
	user_id: number;
	created_at: number;
	last_seen_at: number;
	expires_at: number;
	absolute_expires_at: number;
	user_agent: string | null;
	ip: string | null;
}

export interface FieldsOfActionTable {
	id: Generated<number>;
	slug: string;
	/** Dense, 1 for the first field. */
	position: number;
	/** The name in three languages, JSON `{ sq?, en?, el? }` (src/lib/shared/localized.ts). */
	name: Generated<string>;
	/** Archived: its threads stay readable, its space takes no new ones. */
	archived_at: number | null;
	/** Merged into that field: its threads, members and organisations moved there, its old links lead there. */
	merged_into: number | null;
}

export interface UserFieldsTable {
	user_id: number;
	field_id: number;
}

export interface OrganisationsTable {
	id: Generated<number>;
	slug: string;
	name: string;
	description: Generated<string>;
	city: string | null;
	website: string | null;
	created_at: number;
}

export interface OrganisationFieldsTable {
	organisation_id: number;
	field_id: number;
}

export interface OrganisationRepresentativesTable {
	organisation_id: number;
	user_id: number;
	created_at: number;
}

export interface GroupsTable {
	id: Generated<number>;
	slug: string;
	name: string;
	kind: GroupKind;
	/** The description in three languages, as src/lib/shared/localized.ts stores it. */
	description: Generated<string>;
	city: string | null;
	join_policy: Generated<'open' | 'request'>;
	created_at: number;
	/** Set while the group is archived: not joinable, its space takes no new threads; its history stays readable. */
	archived_at: number | null;
}

export interface GroupMembersTable {
	group_id: number;
	user_id: number;
	role: Generated<'member' | 'facilitator'>;
	joined_at: number;
}

export interface AuditLogTable {
	id: Generated<number>;
	actor_id: number | null;
	action: string;
	subject_type: string;
	subject_id: string;
	data: Generated<string>;
	created_at: number;
}

export interface JoinRequestsTable {
	id: Generated<number>;
	user_id: number;
	kind: 'individual' | 'organisation';
	organisation_name: string | null;
	organisation_website: string | null;
	city: string;
	/** JSON array of field-of-action slugs. */
	fields: string;
	motivation: string;
	status: Generated<'pending' | 'approved' | 'rejected'>;
	reason: string | null;
	reviewed_by: number | null;
	reviewed_at: number | null;
	organisation_id: number | null;
	created_at: number;
}

export interface GroupJoinRequestsTable {
	group_id: number;
	user_id: number;
	created_at: number;
}

export interface PasswordResetsTable {
	/** SHA-256 (hex) of the emailed token. */
	id: string;
	user_id: number;
	created_at: number;
	expires_at: number;
	used_at: number | null;
}

export interface OutboxTable {
	id: Generated<number>;
	to_address: string;
	locale: string;
	subject: string;
	body: string;
	created_at: number;
	sent_at: number | null;
	attempts: Generated<number>;
	last_error: string | null;
}

export interface CategoriesTable {
	id: Generated<number>;
	slug: string;
	field_id: number | null;
	group_id: number | null;
	visibility: 'public' | 'members' | 'group';
	position: number;
	thread_count: Generated<number>;
	post_count: Generated<number>;
	last_post_at: number | null;
}

export interface ThreadsTable {
	id: Generated<number>;
	category_id: number;
	author_id: number;
	title: string;
	/** JSON array of tags. */
	tags: Generated<string>;
	pinned: Generated<number>;
	locked: Generated<number>;
	archived: Generated<number>;
	hidden: Generated<number>;
	/** 1: readable by active members only, whoever may read its space (a members-only draft's debate). */
	members_only: Generated<number>;
	post_count: Generated<number>;
	created_at: number;
	last_post_at: number;
	last_post_id: number | null;
}

export interface PostsTable {
	id: Generated<number>;
	thread_id: number;
	/** null for a thread's opening post. */
	parent_id: number | null;
	/** The top-level reply this post hangs under (itself for a top-level reply); null for the opening post. */
	root_id: number | null;
	depth: Generated<number>;
	author_id: number;
	body: string;
	html: string;
	created_at: number;
	edited_at: number | null;
	deleted_at: number | null;
	hidden_at: number | null;
}

export interface PostRevisionsTable {
	id: Generated<number>;
	post_id: number;
	body: string;
	editor_id: number;
	created_at: number;
}

export interface ReactionsTable {
	post_id: number;
	user_id: number;
	emoji: string;
	created_at: number;
}

export interface ThreadSubscriptionsTable {
	thread_id: number;
	user_id: number;
}

export interface ThreadReadsTable {
	thread_id: number;
	user_id: number;
	last_read_post_id: number;
	read_at: number;
}

export interface FlagsTable {
	id: Generated<number>;
	post_id: number;
	reporter_id: number;
	reason: string;
	status: Generated<'open' | 'resolved'>;
	created_at: number;
	resolved_by: number | null;
	resolved_at: number | null;
}

export interface ModerationLogTable {
	id: Generated<number>;
	moderator_id: number | null;
	action: string;
	thread_id: number | null;
	post_id: number | null;
	reason: string | null;
	created_at: number;
}

export interface NotificationsTable {
	id: Generated<number>;
	user_id: number;
	kind: 'mention' | 'reply' | 'proxy_used' | 'election_cancelled';
	actor_id: number | null;
	thread_id: number | null;
	post_id: number | null;
	/** `proxy_used`: the vote the holder (the actor) cast the member's ballot in; `election_cancelled`: the election. */
	vote_id: number | null;
	created_at: number;
	read_at: number | null;
	emailed_at: number | null;
}

/** FTS5 over folded text; rowid is the post id. */
export interface SearchIndexTable {
	rowid: number;
	title: string;
	body: string;
}

export interface DocStatesTable {
	name: string;
	state: Uint8Array;
	seq: number;
	updated_at: number;
}

export interface DocUpdatesTable {
	name: string;
	/** 1, 2, 3… per document, continuing after merges. */
	seq: number;
	update: Uint8Array;
}

export interface DocQuarantineTable {
	id: Generated<number>;
	name: string;
	update: Uint8Array;
	error: string;
	created_at: number;
}

export type DraftStatus = 'drafting' | 'review' | 'frozen' | 'adopted' | 'rejected' | 'archived';

export interface DraftsTable {
	id: Generated<number>;
	title: string;
	summary: Generated<string>;
	group_id: number | null;
	visibility: 'public' | 'members';
	status: Generated<DraftStatus>;
	thread_id: number | null;
	created_by: number;
	created_at: number;
	updated_at: number;
	/** The vote whose outcome adopted or rejected the draft (migrations/2026-12-09T0400_amendment_votes.ts). */
	decided_by_vote_id: number | null;
	/** The language it is written in, fixed when a first translation is added (null: the network's primary). */
	source_lang: Generated<string | null>;
}

/** A language a draft is translated into (migrations/2026-12-09T0500_draft_languages.ts). */
export interface DraftTranslationsTable {
	draft_id: number;
	lang: string;
	created_by: number | null;
	created_at: number;
}

/** The source paragraph a translated block was last confirmed against. */
export interface DraftTranslationMarksTable {
	draft_id: number;
	lang: string;
	block_id: string;
	source_hash: string;
	source_text: string;
	confirmed_by: number | null;
	confirmed_at: number;
}

/** A translation's version taken beside a version of the source. */
export interface DraftTranslationVersionsTable {
	id: Generated<number>;
	version_id: number;
	lang: string;
	state: Uint8Array;
	content: string;
	text: string;
	hash: string;
	outdated: Generated<number>;
}

export interface DraftVersionsTable {
	id: Generated<number>;
	draft_id: number;
	number: number;
	name: string;
	state: Uint8Array;
	content: string;
	text: string;
	hash: string;
	auto: Generated<number>;
	created_by: number | null;
	created_at: number;
}

export interface DraftCommentsTable {
	id: Generated<number>;
	draft_id: number;
	parent_id: number | null;
	author_id: number;
	anchor_start: string | null;
	anchor_end: string | null;
	quote: Generated<string>;
	body: string;
	created_at: number;
	resolved_at: number | null;
	resolved_by: number | null;
	/** The translation its passage is in; null: the source text (migrations/2026-12-09T0600_passage_languages.ts). */
	lang: Generated<string | null>;
}

export type AmendmentStatus = 'proposed' | 'withdrawn' | 'adopted' | 'rejected';

export interface AmendmentsTable {
	id: Generated<number>;
	draft_id: number;
	version_id: number;
	author_id: number;
	anchor_start: string;
	anchor_end: string;
	original: string;
	replacement: string;
	reason: string;
	status: Generated<AmendmentStatus>;
	created_at: number;
	decided_at: number | null;
	/** The translation its passage is in; null: the source text, the only one amended today. */
	lang: Generated<string | null>;
}

/** The amendments one vote decides between, each with the ballot option that stands for it. */
export interface VoteAmendmentsTable {
	vote_id: number;
	amendment_id: number;
	option_id: number;
}

export interface VotesTable {
	id: Generated<number>;
	title: string;
	description: Generated<string>;
	method: Method;
	options: Generated<string>;
	min_approvals: number | null;
	max_approvals: number | null;
	eligibility: Eligibility;
	group_id: number | null;
	visibility: Generated<'public' | 'members'>;
	secret: Generated<number>;
	results: Generated<ResultsVisibility>;
	quorum_kind: Generated<'none' | 'count' | 'share'>;
	quorum_value: Generated<number>;
	threshold: Generated<Threshold>;
	thread_id: number | null;
	draft_version_id: number | null;
	amendment_id: number | null;
	status: Generated<VoteStatus>;
	opens_at: number | null;
	closes_at: number | null;
	opened_at: number | null;
	closed_at: number | null;
	eligible_count: Generated<number>;
	participants: Generated<number>;
	result: string | null;
	created_by: number;
	created_at: number;
	meeting_id: number | null;
	agenda_item_id: number | null;
	/** Two chambers: the organisations' chamber's rules as JSON; null for one chamber (see its migration). */
	chambers: string | null;
	/** Elections (ranked votes counted by STV): the seats to fill, and the seed of the lot for ties. */
	seats: number | null;
	lot_seed: string | null;
	/** A consent round: when its objections were moved to agenda proposals (the claim; see its migration). */
	objections_moved_at: number | null;
}

export interface VoteCandidatesTable {
	vote_id: number;
	user_id: number;
	statement: string;
	created_at: number;
	option_id: number | null;
}

export interface MeetingsTable {
	id: Generated<number>;
	title: string;
	description: Generated<string>;
	starts_at: number;
	ends_at: number;
	place: Generated<string>;
	online_url: Generated<string>;
	group_id: number | null;
	visibility: Generated<'public' | 'members'>;
	quorum_kind: Generated<'none' | 'count' | 'share'>;
	quorum_value: Generated<number>;
	status: Generated<'scheduled' | 'live' | 'ended'>;
	current_item_id: number | null;
	minutes_draft_id: number | null;
	created_by: number;
	created_at: number;
	started_at: number | null;
	ended_at: number | null;
	minutes_locale: Generated<Locale>;
	/** The vote that approves a version of the minutes (2026-12-09T0300_meeting_record.ts). */
	minutes_vote_id: number | null;
	/** When a chair began putting the minutes to approval: the claim of that put (2026-12-09T0700_minutes_claim.ts). */
	minutes_claimed_at: number | null;
}

/** The meeting's log as it happens, from which the minutes are written. */
export interface MeetingEventsTable {
	id: Generated<number>;
	meeting_id: number;
	at: number;
	kind: MeetingEventKind;
	user_id: number | null;
	item_id: number | null;
}

export type MeetingEventKind = 'opened' | 'closed' | 'checked_in' | 'checked_out' | 'item_started' | 'item_ended';

/** An objection of a closed consent round, proposed as an item of the body's next meeting. */
export interface AgendaProposalsTable {
	id: Generated<number>;
	vote_id: number;
	meeting_id: number | null;
	kind: 'object' | 'block';
	reason: string;
	author_unit: string | null;
	status: Generated<'proposed' | 'accepted' | 'dropped' | 'withdrawn'>;
	agenda_item_id: number | null;
	outcome: string | null;
	created_at: number;
	decided_at: number | null;
	decided_by: number | null;
}

export interface MeetingChairsTable {
	meeting_id: number;
	user_id: number;
}

export interface AgendaItemsTable {
	id: Generated<number>;
	meeting_id: number;
	position: number;
	title: string;
	notes: Generated<string>;
	thread_id: number | null;
	draft_id: number | null;
	status: Generated<'pending' | 'current' | 'done'>;
	concluded_at: number | null;
}

export interface MeetingAttendanceTable {
	meeting_id: number;
	user_id: number;
	checked_in_at: number;
	checked_in_by: number;
}

export interface MeetingSpeakersTable {
	id: Generated<number>;
	meeting_id: number;
	item_id: number | null;
	user_id: number;
	position: number;
	status: Generated<'waiting' | 'speaking' | 'done' | 'withdrawn'>;
	requested_at: number;
	started_at: number | null;
	ended_at: number | null;
}

/** The electorate frozen at opening; `voted` is set in place when a unit's ballot is cast (see its migration). */
export interface VoteEligibleTable {
	vote_id: number;
	unit: string;
	voted: Generated<number>;
}

/** No member id for secret votes, no time, no insertion order (see the migration). */
export interface VoteBallotsTable {
	vote_id: number;
	receipt: string;
	choice: string;
	unit: string | null;
	/** SHA-256 (hex) of the change key the voting device keeps; secret ballots are changed only with it. */
	change_hash: string | null;
	/** SHA-256 (hex) of the client-made cast id, to answer a retried cast (also after closing); unique per vote. */
	cast_hash: string | null;
	/** The chamber the ballot counts in, on a vote of two chambers; null otherwise. */
	chamber: 'organisations' | 'members' | null;
}

/** Proxies given for a meeting or a vote (see migrations/2026-12-08T0700_2_proxies.ts). */
export interface ProxiesTable {
	id: Generated<number>;
	giver_id: number;
	holder_id: number;
	meeting_id: number | null;
	vote_id: number | null;
	created_at: number;
}

/** The proxies a vote took, frozen at opening; `used` set in place when the holder casts. */
export interface VoteProxiesTable {
	vote_id: number;
	giver_unit: string;
	holder_id: number;
	used: Generated<number>;
	told: Generated<number>;
}

export interface DecisionsTable {
	id: Generated<number>;
	vote_id: number;
	title: string;
	outcome: string;
	group_id: number | null;
	visibility: 'public' | 'members';
	thread_id: number | null;
	draft_version_id: number | null;
	amendment_id: number | null;
	decided_at: number;
	meeting_id: Generated<number | null>;
}

/** One row, rewritten by the health check's write probe. */
export interface HealthProbeTable {
	id: number;
	checked_at: number;
}

/**
 * The network's profile: one row (id 1), absent until a coordinator or the seed writes it. Texts are three-language
 * JSON columns (src/lib/shared/localized.ts); the logo is base64 text with its checked type and a content hash.
 */
export interface NetworkProfileTable {
	id: number;
	name: Generated<string>;
	short_name: Generated<string>;
	tagline: Generated<string>;
	about: Generated<string>;
	/** One goal a line, per language. */
	goals: Generated<string>;
	founded: Generated<string>;
	contact_email: string | null;
	website: string | null;
	primary_locale: Generated<string>;
	logo: string | null;
	logo_mime: string | null;
	logo_etag: string | null;
	updated_at: number;
	updated_by: number | null;
	/** How many proxies one member may hold at once in a meeting or a vote. */
	proxy_cap: Generated<number>;
}

/** A one-time link printed at start while no coordinator exists (server/services/setup.service.ts). */
export interface SetupLinksTable {
	/** SHA-256 (hex) of the printed token. */
	id: string;
	created_at: number;
	expires_at: number;
	/** When it made the first coordinator, or was voided by a newer link. */
	used_at: number | null;
	/** The coordinator it made. */
	user_id: number | null;
}

/** The day-one setup of a network started from nothing: one row, from the first setup link on. */
export interface NetworkSetupTable {
	id: number;
	started_at: number;
	finished_at: number | null;
	finished_by: number | null;
}

export interface ApiTokensTable {
	id: Generated<number>;
	user_id: number;
	/** SHA-256 (hex) of the token; the token itself is never stored. */
	token_hash: string;
	name: string;
	created_at: number;
	last_used_at: number | null;
}

/** A member's secret calendar link (server/services/calendar-links.service.ts): one per member. */
export interface CalendarLinksTable {
	user_id: number;
	/** SHA-256 (hex) of the token in the URL. */
	token_hash: string;
	created_at: number;
	last_used_at: number | null;
}

/** An endpoint registered for webhooks (migrations/2026-12-08T0200_webhooks.ts). */
export interface WebhookEndpointsTable {
	id: Generated<number>;
	/** Null: the whole network's events. */
	organisation_id: number | null;
	url: string;
	secret: string;
	/** JSON array of event types. */
	events: string;
	created_by: number | null;
	created_at: number;
	failing_since: number | null;
	consecutive_failures: Generated<number>;
	disabled_at: number | null;
	disabled_reason: string | null;
}

/** One event for one endpoint, waiting, delivered or given up. */
export interface WebhookDeliveriesTable {
	id: Generated<number>;
	endpoint_id: number;
	event_id: string;
	event_type: string;
	subject: string;
	body: string;
	created_at: number;
	next_attempt_at: number | null;
	attempts: Generated<number>;
	delivered_at: number | null;
	gave_up_at: number | null;
}

export interface WebhookLogTable {
	id: Generated<number>;
	endpoint_id: number;
	event_id: string;
	event_type: string;
	attempted_at: number;
	status_code: number | null;
	error: string | null;
	duration_ms: number;
}

export interface WebhookSubjectsTable {
	subject: string;
	fingerprint: string;
}

/** Something webhooks announce happened, recorded with the change; waiting to be turned into deliveries. */
export interface WebhookEventsTable {
	id: Generated<number>;
	/** A RECORDED_EVENTS key (server/domain/webhooks.ts). */
	type: string;
	subject_id: number;
	created_at: number;
}

export interface Database {
	users: UsersTable;
	sessions: SessionsTable;
	fields_of_action: FieldsOfActionTable;
	user_fields: UserFieldsTable;
	organisations: OrganisationsTable;
	organisation_fields: OrganisationFieldsTable;
	organisation_representatives: OrganisationRepresentativesTable;
	groups: GroupsTable;
	group_members: GroupMembersTable;
	audit_log: AuditLogTable;
	join_requests: JoinRequestsTable;
	group_join_requests: GroupJoinRequestsTable;
	password_resets: PasswordResetsTable;
	outbox: OutboxTable;
	categories: CategoriesTable;
	threads: ThreadsTable;
	posts: PostsTable;
	post_revisions: PostRevisionsTable;
	reactions: ReactionsTable;
	thread_subscriptions: ThreadSubscriptionsTable;
	thread_reads: ThreadReadsTable;
	flags: FlagsTable;
	moderation_log: ModerationLogTable;
	notifications: NotificationsTable;
	search_index: SearchIndexTable;
	doc_states: DocStatesTable;
	doc_updates: DocUpdatesTable;
	doc_quarantine: DocQuarantineTable;
	drafts: DraftsTable;
	draft_versions: DraftVersionsTable;
	draft_translations: DraftTranslationsTable;
	draft_translation_marks: DraftTranslationMarksTable;
	draft_translation_versions: DraftTranslationVersionsTable;
	draft_comments: DraftCommentsTable;
	amendments: AmendmentsTable;
	votes: VotesTable;
	vote_amendments: VoteAmendmentsTable;
	vote_candidates: VoteCandidatesTable;
	meetings: MeetingsTable;
	calendar_links: CalendarLinksTable;
	meeting_chairs: MeetingChairsTable;
	agenda_items: AgendaItemsTable;
	meeting_attendance: MeetingAttendanceTable;
	meeting_speakers: MeetingSpeakersTable;
	meeting_events: MeetingEventsTable;
	agenda_proposals: AgendaProposalsTable;
	vote_eligible: VoteEligibleTable;
	vote_ballots: VoteBallotsTable;
	proxies: ProxiesTable;
	vote_proxies: VoteProxiesTable;
	decisions: DecisionsTable;
	health_probe: HealthProbeTable;
	network_profile: NetworkProfileTable;
	setup_links: SetupLinksTable;
	network_setup: NetworkSetupTable;
	api_tokens: ApiTokensTable;
	webhook_endpoints: WebhookEndpointsTable;
	webhook_deliveries: WebhookDeliveriesTable;
	webhook_log: WebhookLogTable;
	webhook_subjects: WebhookSubjectsTable;
	webhook_events: WebhookEventsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type NewSession = Insertable<SessionsTable>;
export type GroupRow = Selectable<GroupsTable>;
export type FieldOfActionRow = Selectable<FieldsOfActionTable>;
export type OrganisationRow = Selectable<OrganisationsTable>;
export type JoinRequestRow = Selectable<JoinRequestsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type CategoryRow = Selectable<CategoriesTable>;
export type ThreadRow = Selectable<ThreadsTable>;
export type PostRow = Selectable<PostsTable>;
export type DraftRow = Selectable<DraftsTable>;
export type DraftVersionRow = Selectable<DraftVersionsTable>;
export type DraftCommentRow = Selectable<DraftCommentsTable>;
export type AmendmentRow = Selectable<AmendmentsTable>;
export type NewDraft = Insertable<DraftsTable>;
export type NewDraftVersion = Insertable<DraftVersionsTable>;
export type NewDraftComment = Insertable<DraftCommentsTable>;
export type NewAmendment = Insertable<AmendmentsTable>;
export type VoteRow = Selectable<VotesTable>;
export type NewVote = Insertable<VotesTable>;
export type MeetingRow = Selectable<MeetingsTable>;
export type AgendaItemRow = Selectable<AgendaItemsTable>;
export type SpeakerRow = Selectable<MeetingSpeakersTable>;
export type NetworkProfileRow = Selectable<NetworkProfileTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookLogRow = Selectable<WebhookLogTable>;
export type WebhookEventRow = Selectable<WebhookEventsTable>;

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import * as repo from '../db/repositories/webhook.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import { findOrganisationBySlug, isRepresentative } from '../db/repositories/organisation.repository.js';
import { organisationsOfUser } from '../db/repositories/user.repository.js';
import { takeEvents } from '../db/repositories/webhook-event.repository.js';
import type { WebhookEndpointRow, WebhookEventRow } from '../db/database.js';
import type { EventBus } from '../events/bus.js';
import { hasRole, isActiveMember } from '../domain/permissions.js';
import { announcedAs, MAX_ENDPOINTS, webhookUrlProblem, type RecordedEvent } from '../domain/webhooks.js';
import { DomainError, isDomainError } from '../../src/lib/shared/errors.js';
import { isWebhookEvent, type WebhookEndpointView, type WebhookEvent } from '../../src/lib/shared/webhooks.js';
import type { Locale } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';
import type { MailService } from './mail.service.js';
import type { VotesService } from './votes.service.js';
import type { MeetingsService } from './meetings.service.js';
import type { DraftsService } from './drafts.service.js';
import type { ForumService } from './forum.service.js';
import { checkTarget, TargetRefused } from './webhook-sender.js';

/** What the webhooks read, always as a visitor (auth null): a webhook receives only what anyone may read. */
export interface PublicReaders {
	votes: Pick<VotesService, 'get'>;
	meetings: Pick<MeetingsService, 'get'>;
	drafts: Pick<DraftsService, 'get' | 'versions'>;
	forum: Pick<ForumService, 'mayRead' | 'threadForRoom'>;
}

export interface WebhookOptions {
	/** WEBHOOKS_ALLOW_PRIVATE=1: URLs may lead to loopback and private addresses (tests, a closed network). */
	allowPrivate: boolean;
	publicOrigin: () => string;
	/** How names resolve (tests may answer for a name); DNS by default. */
	resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

/** Whose endpoints a page manages: the network's (coordinators), or one organisation's (its representatives too). */
export type WebhookScope = { kind: 'network' } | { kind: 'organisation'; slug: string };

/** What one event says: its type, what it is about ("vote:12"), who started that, and the data a visitor may read. */
interface Announcement {
	type: WebhookEvent | 'ping';
	subject: string;
	startedBy: number | null;
	data: Record<string, unknown>;
}

/** What one recorded event comes to: its announcements, and what to keep of a meeting to tell its next change from noise. */
interface Reading {
	announcements: Announcement[];
	remember: { subject: string; fingerprint: string } | null;
}

/** An endpoint with the event types it takes, read once per batch of events. */
type Listening = WebhookEndpointRow & { takes: Set<string> };

const MAX_LOG_SHOWN = 25;

/**
 * Webhooks: endpoints registered by coordinators (for every event of the network) and by representatives (for their
 * organisation's own events: those about a meeting, vote, decision, thread or draft that one of the organisation's
 * representatives called, opened, started or wrote). Each change records its event in its own transaction
 * (webhook_events); WebhookFollower hands them here to become deliveries in a queue beside the mail outbox, and
 * WebhookDeliverer sends them, both from the node that holds the lease.
 *
 * Only what a visitor may read is ever announced, read through the same services as the pages with no one signed in:
 * a members-only or group meeting, vote, decision, draft, a thread in a members' or group space or a members-only
 * draft's thread (its floor, server/domain/forum.ts) is never sent, and a
 * delivery whose subject stops being public before it went out is withdrawn.
 */
export class WebhooksService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly mail: MailService,
		private readonly readers: PublicReaders,
		private readonly options: WebhookOptions,
		private readonly clock: () => number = Date.now
	) {}

	// ——— managing endpoints ———

	/** Which endpoints this person may see on a page of `scope`; coordinators on the network page see every endpoint. */
	async list(auth: Authenticated | null, scope: WebhookScope): Promise<{ endpoints: WebhookEndpointView[]; organisation: { slug: string; name: string } | null }> {
		const { organisationId, organisation } = await this.#authorise(auth, scope);
		const rows = await repo.listEndpoints(this.db, organisationId === null ? undefined : organisationId);
		const waiting = await repo.waitingCounts(this.db);
		const endpoints = await Promise.all(rows.map(async (row) => this.#view(row, waiting.get(row.id) ?? 0)));
		return { endpoints, organisation };
	}

	/** Registers an endpoint; returns its id and its secret, which is shown this once. */
	async register(auth: Authenticated | null, scope: WebhookScope, input: { url: string; events: string[] }): Promise<{ id: number; secret: string }> {
		const { organisationId, actor } = await this.#authorise(auth, scope);
		const url = input.url.trim();
		const problems: Record<string, string> = {};
		const shape = webhookUrlProblem(url);
		if (shape) problems.url = shape;
		else {
			try {
				await checkTarget(url, this.options.allowPrivate, this.options.resolve);
			} catch (error) {
				if (!(error instanceof TargetRefused)) throw error;
				problems.url = error.code;
			}
		}
		const events = [...new Set(input.events)];
		if (events.length === 0 || !events.every(isWebhookEvent)) problems.events = 'choose_one';
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'webhook has problems', problems);
		if ((await repo.countEndpoints(this.db, organisationId)) >= MAX_ENDPOINTS) throw new DomainError('invalid_input', 'too many endpoints', { url: 'hook_too_many' });
		const secret = `whsec_${randomBytes(24).toString('base64url')}`;
		const now = this.clock();
		const id = await this.db.transaction().execute(async (trx) => {
			const id = await repo.insertEndpoint(trx, { organisation_id: organisationId, url, secret, events: JSON.stringify(events), created_by: actor.id, created_at: now });
			await insertAudit(trx, { actor_id: actor.id, action: 'webhook.registered', subject_type: 'webhook', subject_id: String(id), data: { url, events, organisationId }, created_at: now });
			return id;
		});
		return { id, secret };
	}

	async remove(auth: Authenticated | null, id: number): Promise<void> {
		const { endpoint, actor } = await this.#manageable(auth, id);
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			await repo.deleteEndpoint(trx, endpoint.id);
			await insertAudit(trx, { actor_id: actor.id, action: 'webhook.removed', subject_type: 'webhook', subject_id: String(endpoint.id), data: { url: endpoint.url }, created_at: now });
		});
	}

	/** Turns an endpoint back on; what waited for it is tried again from now. */
	async enable(auth: Authenticated | null, id: number): Promise<void> {
		const { endpoint } = await this.#manageable(auth, id);
		await repo.setDisabled(this.db, endpoint.id, null, null);
		this.bus.emit('webhooks.queued', {});
	}

	/** Queues the test event (`ping`) for one endpoint, at once. */
	async sendTest(auth: Authenticated | null, id: number): Promise<void> {
		const { endpoint } = await this.#manageable(auth, id);
		if (endpoint.disabled_at !== null) throw new DomainError('conflict', 'endpoint is off', { endpoint: 'hook_disabled' });
		await repo.insertDeliveries(this.db, this.#deliveries([endpoint.id], { type: 'ping', subject: 'ping', startedBy: null, data: { message: 'Kuvend test event' } }));
		this.bus.emit('webhooks.queued', {});
	}

	async #authorise(auth: Authenticated | null, scope: WebhookScope) {
		if (!auth) throw new DomainError('unauthenticated');
		const actor = auth.actor;
		if (!isActiveMember(actor)) throw new DomainError('forbidden');
		if (scope.kind === 'network') {
			if (!hasRole(actor, 'coordinator')) throw new DomainError('forbidden');
			return { actor, organisationId: null, organisation: null };
		}
		const org = await findOrganisationBySlug(this.db, scope.slug);
		if (!org) throw new DomainError('not_found');
		if (!hasRole(actor, 'coordinator') && !(await isRepresentative(this.db, org.id, actor.id))) throw new DomainError('forbidden');
		return { actor, organisationId: org.id, organisation: { slug: org.slug, name: org.name } };
	}

	async #manageable(auth: Authenticated | null, id: number) {
		if (!auth) throw new DomainError('unauthenticated');
		const endpoint = Number.isSafeInteger(id) ? await repo.findEndpoint(this.db, id) : undefined;
		if (!endpoint) throw new DomainError('not_found');
		const { actor } = await this.#authorise(auth, endpoint.org_slug === null ? { kind: 'network' } : { kind: 'organisation', slug: endpoint.org_slug });
		return { endpoint, actor };
	}

	async #view(row: repo.EndpointWithNames, waiting: number): Promise<WebhookEndpointView> {
		const log = await repo.logOf(this.db, row.id, MAX_LOG_SHOWN);
		return {
			id: row.id,
			url: row.url,
			events: (JSON.parse(row.events) as string[]).filter(isWebhookEvent),
			organisation: row.org_slug && row.org_name ? { slug: row.org_slug, name: row.org_name } : null,
			createdBy: row.creator_name,
			createdAt: row.created_at,
			disabledAt: row.disabled_at,
			disabledReason: row.disabled_reason,
			failingSince: row.failing_since,
			consecutiveFailures: row.consecutive_failures,
			waiting,
			log: log.map((l) => ({ at: l.attempted_at, eventId: l.event_id, eventType: l.event_type, status: l.status_code, error: l.error, durationMs: l.duration_ms }))
		};
	}

	// ——— events ———

	/**
	 * Turns events recorded with their changes (webhook_events, oldest first) into deliveries: for each, what it
	 * announces is read as a visitor, then in one transaction the event is taken off the table, its deliveries queued
	 * and a meeting's fingerprint kept. An event another node took first queues nothing here. Events no endpoint takes
	 * are only taken off: nothing is read for them (a live meeting's room changes often). Called by WebhookFollower.
	 */
	async take(events: WebhookEventRow[]): Promise<void> {
		const endpoints: Listening[] = (await repo.activeEndpoints(this.db)).map((e) => ({ ...e, takes: new Set(JSON.parse(e.events) as string[]) }));
		const listening = (event: WebhookEventRow) => endpoints.filter((e) => announcedAs(event.type).some((t) => e.takes.has(t)));
		await takeEvents(this.db, events.filter((e) => listening(e).length === 0).map((e) => e.id));
		for (const event of events) {
			const to = listening(event);
			if (to.length) await this.#take(event, to);
		}
	}

	async #take(event: WebhookEventRow, endpoints: Listening[]): Promise<void> {
		// Known to be a RecordedEvent: an endpoint listens to what it is announced as.
		const { announcements, remember } = await this.#read(event.type as RecordedEvent, event.subject_id);
		const rows: Parameters<typeof repo.insertDeliveries>[1] = [];
		for (const a of announcements) rows.push(...this.#deliveries(await this.#recipients(a, endpoints), a));
		const queued = await this.db.transaction().execute(async (trx) => {
			if (!(await takeEvents(trx, [event.id]))) return false;
			if (remember) await repo.setSubjectFingerprint(trx, remember.subject, remember.fingerprint);
			await repo.insertDeliveries(trx, rows);
			return rows.length > 0;
		});
		if (queued) this.bus.emit('webhooks.queued', {});
	}

	async #read(type: RecordedEvent, id: number): Promise<Reading> {
		switch (type) {
			case 'vote.opened':
			case 'vote.closed':
				return { announcements: await this.#vote(id, type === 'vote.opened' ? 'opened' : 'closed'), remember: null };
			case 'thread.created':
				return { announcements: await this.#thread(id), remember: null };
			case 'draft.frozen':
			case 'draft.adopted':
				return { announcements: await this.#draft(id, type === 'draft.frozen' ? 'frozen' : 'adopted'), remember: null };
			case 'meeting.called':
			case 'meeting.changed':
				return this.#meeting(id, type === 'meeting.called');
		}
	}

	/** A visitor's view, or null where a visitor may not read it. */
	async #asVisitor<T>(read: () => Promise<T>): Promise<T | null> {
		try {
			return await read();
		} catch (error) {
			if (isDomainError(error)) return null;
			throw error;
		}
	}

	#url(path: string): string {
		return new URL(path, this.options.publicOrigin()).toString();
	}

	async #vote(id: number, what: 'opened' | 'closed'): Promise<Announcement[]> {
		const v = await this.#asVisitor(() => this.readers.votes.get(null, id));
		if (!v || v.visibility !== 'public') return [];
		const startedBy = await repo.starterOf(this.db, 'vote', id);
		const vote = {
			id: v.id,
			title: v.title,
			method: v.method,
			status: v.status,
			group: v.group,
			opensAt: iso(v.opensAt),
			closesAt: iso(v.closesAt),
			url: this.#url(`/votes/${v.id}`),
			...(what === 'closed' ? { outcome: v.outcome, participants: v.participants, eligible: v.eligible, result: v.tally.result } : {})
		};
		const out: Announcement[] = [{ type: what === 'opened' ? 'vote.opened' : 'vote.closed', subject: `vote:${id}`, startedBy, data: { vote } }];
		if (what === 'closed' && v.decisionId !== null && v.outcome) {
			const decision = { id: v.decisionId, voteId: v.id, title: v.title, outcome: v.outcome, decidedAt: iso(v.closedAt), group: v.group, url: this.#url(`/decisions`) };
			out.push({ type: 'decision.made', subject: `vote:${id}`, startedBy, data: { decision } });
		}
		return out;
	}

	async #thread(id: number): Promise<Announcement[]> {
		if (!(await this.readers.forum.mayRead(null, id))) return [];
		const found = await this.readers.forum.threadForRoom(id);
		if (!found) return [];
		const t = found.thread;
		return [
			{
				type: 'thread.created',
				subject: `thread:${id}`,
				startedBy: await repo.starterOf(this.db, 'thread', id),
				data: { thread: { id: t.id, title: t.title, tags: t.tags, author: t.author.name, createdAt: iso(t.createdAt), url: this.#url(`/forum/t/${t.id}`) } }
			}
		];
	}

	async #draft(id: number, to: 'frozen' | 'adopted'): Promise<Announcement[]> {
		const d = await this.#asVisitor(() => this.readers.drafts.get(null, id));
		if (!d || d.visibility !== 'public') return [];
		const versions = (await this.#asVisitor(() => this.readers.drafts.versions(null, id))) ?? [];
		const latest = versions.reduce<(typeof versions)[number] | null>((a, v) => (!a || v.number > a.number ? v : a), null);
		const draft = { id: d.id, title: d.title, summary: d.summary, status: d.status, group: d.group, version: latest ? { number: latest.number, hash: latest.hash } : null, url: this.#url(`/drafts/${d.id}`) };
		return [{ type: to === 'frozen' ? 'draft.frozen' : 'draft.adopted', subject: `draft:${id}`, startedBy: await repo.starterOf(this.db, 'draft', id), data: { draft } }];
	}

	/**
	 * A meeting called, or what visitors read of it changed (agenda, status). Read when the event is taken, the meeting
	 * may have changed again since: only a difference from what was last announced is announced, once.
	 */
	async #meeting(id: number, called: boolean): Promise<Reading> {
		const nothing: Reading = { announcements: [], remember: null };
		const mt = await this.#asVisitor(() => this.readers.meetings.get(null, id));
		if (!mt || mt.visibility !== 'public') return nothing;
		const meeting = {
			id: mt.id,
			title: mt.title,
			description: mt.description,
			startsAt: iso(mt.startsAt),
			endsAt: iso(mt.endsAt),
			place: mt.place,
			onlineUrl: mt.onlineUrl,
			status: mt.status,
			group: mt.group,
			agenda: mt.agenda.map((a) => ({ position: a.position, title: a.title })),
			url: this.#url(`/meetings/${mt.id}`)
		};
		const subject = `meeting:${id}`;
		const fingerprint = createHash('sha256').update(JSON.stringify(meeting)).digest('hex');
		const before = await repo.subjectFingerprint(this.db, subject);
		if (before === fingerprint) return nothing;
		const remember = { subject, fingerprint };
		// First heard of without being called (a meeting from before webhooks): remembered, not announced.
		if (!called && before === undefined) return { announcements: [], remember };
		return { announcements: [{ type: called ? 'meeting.called' : 'meeting.changed', subject, startedBy: await repo.starterOf(this.db, 'meeting', id), data: { meeting } }], remember };
	}

	/** The endpoints an announcement goes to: those taking its type, the network's and the starter's organisations'. */
	async #recipients(a: Announcement, endpoints: Listening[]): Promise<number[]> {
		const taking = endpoints.filter((e) => e.takes.has(a.type));
		if (taking.length === 0) return [];
		const own = new Set(a.startedBy === null ? [] : (await organisationsOfUser(this.db, a.startedBy)).map((o) => o.id));
		return taking.filter((e) => e.organisation_id === null || own.has(e.organisation_id)).map((e) => e.id);
	}

	/** One delivery per endpoint, all of the same event (one id, one body). */
	#deliveries(endpointIds: number[], a: Announcement) {
		const now = this.clock();
		const id = `evt_${randomUUID()}`;
		const body = JSON.stringify({ id, type: a.type, time: new Date(now).toISOString(), data: a.data });
		return endpointIds.map((endpoint_id) => ({ endpoint_id, event_id: id, event_type: a.type, subject: a.subject, body, created_at: now, next_attempt_at: now }));
	}

	/** Before each attempt: whether what a delivery is about is still for visitors (else it is withdrawn). */
	async stillPublic(subject: string): Promise<boolean> {
		const [kind, raw] = subject.split(':');
		const id = Number(raw);
		switch (kind) {
			case 'ping':
				return true;
			case 'vote':
				return (await this.#asVisitor(() => this.readers.votes.get(null, id)))?.visibility === 'public';
			case 'meeting':
				return (await this.#asVisitor(() => this.readers.meetings.get(null, id)))?.visibility === 'public';
			case 'draft':
				return (await this.#asVisitor(() => this.readers.drafts.get(null, id)))?.visibility === 'public';
			case 'thread':
				return this.readers.forum.mayRead(null, id);
			default:
				return false;
		}
	}

	/** Tells whoever registered an endpoint that it was turned off, in their language, through the mail outbox. */
	async noticeDisabled(endpointId: number): Promise<void> {
		const e = await repo.findEndpoint(this.db, endpointId);
		if (!e || !e.creator_email) return;
		const page = this.#url(e.org_slug ? `/organisations/${e.org_slug}/webhooks` : '/coordination/webhooks');
		await this.db.transaction().execute((trx) =>
			this.mail.queue(trx, { email: e.creator_email!, locale: (e.creator_locale ?? 'sq') as Locale }, { kind: 'webhook_disabled', name: e.creator_name ?? '', endpoint: e.url, url: page })
		);
		this.bus.emit('mail.queued', {});
	}
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

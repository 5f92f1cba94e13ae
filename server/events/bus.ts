import { EventEmitter } from 'node:events';
import type { Locale } from '../../src/lib/shared/types.js';

/** Every domain event and its payload. Payloads carry ids, never secrets or ballot contents. */
export interface DomainEvents {
	/** Sessions ended (sign-out, sign-out everywhere, expiry sweep). Realtime disconnects their sockets. */
	'session.revoked': { userId: number; sessionIds: string[]; reason: 'signed_out' | 'signed_out_everywhere' };
	/** A member changed their preferences; their open tabs follow. */
	'user.preferences_changed': { userId: number; locale: Locale };
	/** A member changed how others see them (name, city, bio). */
	'user.profile_changed': { userId: number };
	/** A coordinator saved the network's profile (name, texts, logo): every page shows it. */
	'network.profile_changed': { by: number };
	/** What a person may do changed (role, suspension, deletion): their open sockets must re-authenticate. */
	'user.access_changed': { userId: number; reason: 'role_changed' | 'suspended' | 'reinstated' | 'deleted' };
	/**
	 * Who may read or change something may have changed. Every open connection concerned checks again each room and
	 * document it is in, by the rules that let it in (server/realtime/access-recheck.ts), and leaves or loses write
	 * where they now say no.
	 */
	'access.changed': AccessChange;
	/** Mail was written to the outbox; the mailer delivers it. */
	'mail.queued': Record<string, never>;
	/** Webhook deliveries were queued (or an endpoint turned back on); the node holding the lease sends them. */
	'webhooks.queued': Record<string, never>;
	/** A change recorded a webhook event in its transaction; the node holding the lease turns it into deliveries. */
	'webhooks.recorded': Record<string, never>;
	/** Who may open a collaborative document changed (a draft moved in its lifecycle): connections are re-admitted. */
	'document.access_changed': { name: string };
	/** A draft moved in its lifecycle (also announced as draft.changed). */
	'draft.status_changed': { draftId: number; to: string };
	/** A draft's status, versions, comments or amendments changed: its open pages refresh. */
	'draft.changed': { draftId: number };
	/** A group was created, edited, archived or restored: the pages that show groups read differently. */
	'group.changed': { groupId: number };
	/** Someone applied to join the network. */
	'join.requested': { requestId: number };
	/** `membersOnly`: the thread's own floor (server/domain/forum.ts): only members may hear of it. */
	'forum.post_created': { threadId: number; postId: number; categoryId: number; membersOnly: boolean };
	/** A new thread (its opening post is announced as forum.post_created too). */
	'forum.thread_created': { threadId: number; categoryId: number; membersOnly: boolean };
	'forum.post_updated': { threadId: number; postId: number };
	'forum.post_deleted': { threadId: number; postId: number };
	'forum.reactions_changed': { threadId: number; postId: number };
	/** Fields of action were added, renamed, reordered, archived or merged: every page naming them reads again. */
	'fields.changed': Record<string, never>;
	/** A thread was pinned, locked, archived, hidden, restored or moved. */
	'forum.thread_changed': { threadId: number; categoryId: number; previousCategoryId: number | null };
	/** A vote opened: its pages reload. */
	'vote.opened': { voteId: number };
	/** A scheduled vote was cancelled: its pages reload. */
	'vote.cancelled': { voteId: number };
	/** Ballots were cast or changed: live tallies follow (coalesced). Never who, never what. */
	'vote.cast': { voteId: number };
	/** How many ballots one written batch took, over all votes (for the metrics): no vote, no voter, no choice. */
	'vote.ballots_written': { count: number };
	/** A vote closed with its result and decision. */
	'vote.closed': { voteId: number };
	/** A meeting was called (also announced as meeting.changed). */
	'meeting.called': { meetingId: number };
	/** A meeting's live room changed (presence, check-in, item, speakers, votes): its state is sent again. */
	'meeting.changed': { meetingId: number };
	/** The app is stopping: timers that would touch the database later are cleared. */
	'app.stopping': Record<string, never>;
	/** A member has new notifications; their bell counts up. */
	'notification.created': { userId: number };
	/** A member read notifications; their bell counts down. */
	'notification.read': { userId: number };
}

/**
 * What an access change concerns: some people's standing (joined, left or removed from a group, facilitator rights
 * given or taken), or who may see one thing (a draft's or a forum space's visibility).
 */
/** Whose access changed: some people's, or who may read a draft, a space, or one thread (its own floor). */
export type AccessChange = { userIds: number[] } | { draftId: number } | { categoryId: number } | { threadId: number };

export type EventName = keyof DomainEvents;
export type Listener<K extends EventName> = (payload: DomainEvents[K]) => void;

/**
 * A typed, synchronous, in-process bus. A failing listener is logged and never breaks the service that emitted.
 */
export class EventBus {
	readonly #emitter = new EventEmitter({ captureRejections: false });
	readonly #any = new Set<(event: EventName) => void>();
	constructor(private readonly onListenerError: (event: string, error: unknown) => void) {
		this.#emitter.setMaxListeners(100);
	}

	emit<K extends EventName>(event: K, payload: DomainEvents[K]): void {
		for (const listener of this.#emitter.listeners(event)) {
			try {
				(listener as Listener<K>)(payload);
			} catch (error) {
				this.onListenerError(event, error);
			}
		}
		for (const listener of this.#any) {
			try {
				listener(event);
			} catch (error) {
				this.onListenerError(event, error);
			}
		}
	}

	/** Hears every event, after its own listeners (a cache emptied by any change, whatever new events come). */
	onAny(listener: (event: EventName) => void): () => void {
		this.#any.add(listener);
		return () => this.#any.delete(listener);
	}

	on<K extends EventName>(event: K, listener: Listener<K>): () => void {
		this.#emitter.on(event, listener);
		return () => this.#emitter.off(event, listener);
	}

	/** A listener that works asynchronously: its failure is logged as a synchronous listener's is. */
	onAsync<K extends EventName>(event: K, listener: (payload: DomainEvents[K]) => Promise<void>): () => void {
		return this.on(event, (payload) => void listener(payload).catch((error: unknown) => this.onListenerError(event, error)));
	}
}

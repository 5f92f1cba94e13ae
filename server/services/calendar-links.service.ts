import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import type { BestEffort } from '../db/storage-health.js';
import * as repo from '../db/repositories/calendar-link.repository.js';
import { isActiveMember } from '../domain/permissions.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { Locale } from '../../src/lib/shared/types.js';
import { toActor, toViewer, type Authenticated } from './auth.service.js';
import type { CalendarOrganiser } from './calendar.js';
import type { MeetingsService } from './meetings.service.js';
import type { RateLimits } from './rate-limits.js';

/** What the member's settings show of their link: never the token, which is shown once, when made. */
export interface CalendarLinkStatus {
	createdAt: number;
	lastUsedAt: number | null;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
/** 256 random bits in base64url: 43 characters. Anything else in the URL is no token and is not looked up. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Each member's secret calendar link: a calendar app fetches, without a session, the meetings that member may
 * attend (the public ones, and the members-only ones while they are an active member). Only the token's SHA-256 is
 * stored; a new link revokes the old; a suspended or deleted member's link answers nothing. What the feed lists is
 * decided by the meetings service for that member, exactly as their meetings page is, at every fetch.
 */
export class CalendarLinksService {
	constructor(
		private readonly db: Db,
		private readonly meetings: MeetingsService,
		private readonly limits: RateLimits,
		private readonly bestEffort: BestEffort,
		private readonly clock: () => number = Date.now
	) {}

	#member(auth: Authenticated | null): Authenticated {
		if (!auth) throw new DomainError('unauthenticated');
		if (!isActiveMember(auth.actor)) throw new DomainError('forbidden');
		return auth;
	}

	async status(auth: Authenticated | null): Promise<CalendarLinkStatus | null> {
		const me = this.#member(auth);
		const row = await repo.findLinkOf(this.db, me.actor.id);
		return row ? { createdAt: row.created_at, lastUsedAt: row.last_used_at } : null;
	}

	/** A new link for the member, replacing the one they had: returns the token, shown to them this once. */
	async renew(auth: Authenticated | null): Promise<string> {
		const me = this.#member(auth);
		const token = randomBytes(32).toString('base64url');
		await this.db.transaction().execute((trx) => repo.replaceLink(trx, me.actor.id, hashOf(token), this.clock()));
		return token;
	}

	async revoke(auth: Authenticated | null): Promise<void> {
		const me = this.#member(auth);
		await repo.deleteLinkOf(this.db, me.actor.id);
	}

	/**
	 * The member's calendar (iCalendar text) for a token from a link, named in the member's own language; null when
	 * the token is unknown or revoked, or its member may no longer sign in as an active member (suspended, deleted).
	 * Throws rate_limited when one link is fetched more often than any calendar app needs.
	 */
	async feed(token: string, origin: string, nameIn: (locale: Locale) => string, organiser: CalendarOrganiser | null): Promise<string | null> {
		if (!TOKEN_PATTERN.test(token)) return null;
		const hash = hashOf(token);
		const user = await repo.findUserByLink(this.db, hash);
		if (!user || !isActiveMember(toActor(user))) return null;
		await this.limits.take(['calendarFetchesPerLink', hash]);
		await this.bestEffort("a calendar link's last use", () => repo.touchLink(this.db, hash, this.clock()));
		// Not a session: the member as they are now, for the meetings service's own check of what they may see.
		const reader: Authenticated = { actor: toActor(user), viewer: toViewer(user), sessionId: '', expiresAt: 0, extended: false };
		return this.meetings.calendar(reader, origin, nameIn(user.locale), organiser);
	}
}

import type { Db } from '../db/client.js';
import { updateUser } from '../db/repositories/user.repository.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { isLocale, type Locale } from '../../src/lib/shared/types.js';
import { isTimeZone } from '../../src/lib/shared/time.js';
import type { Authenticated } from './auth.service.js';

export class PreferencesService {
	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly clock: () => number = Date.now
	) {}

	/**
	 * Validates a language choice. A visitor's choice lives only in their cookie; a member's is also stored,
	 * and their other open tabs are told.
	 */
	async setLocale(auth: Authenticated | null, locale: unknown): Promise<Locale> {
		if (!isLocale(locale)) throw new DomainError('invalid_input', 'unknown language', { locale: 'unknown' });
		if (auth && auth.viewer.locale !== locale) {
			await updateUser(this.db, auth.actor.id, { locale, updated_at: this.clock() });
			this.bus.emit('user.preferences_changed', { userId: auth.actor.id, locale });
		}
		return locale;
	}

	/** A member's time zone: an IANA name the runtime knows, or '' for their browser's. */
	async setTimeZone(auth: Authenticated | null, zone: unknown): Promise<string | null> {
		if (!auth) throw new DomainError('unauthenticated');
		const chosen = zone === '' ? null : isTimeZone(zone) ? zone : undefined;
		if (chosen === undefined) throw new DomainError('invalid_input', 'unknown time zone', { timeZone: 'unknown_time_zone' });
		if (auth.viewer.timeZone !== chosen) await updateUser(this.db, auth.actor.id, { time_zone: chosen, updated_at: this.clock() });
		return chosen;
	}
}

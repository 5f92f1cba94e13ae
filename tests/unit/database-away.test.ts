import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { failureText } from '$lib/i18n/problems';
import { refusalText } from '$lib/realtime/refusals';
import { DomainError } from '$lib/shared/errors';
import { DATABASE_AWAY, isDatabaseAwayRefusal } from '$lib/shared/database-away';

describe('PostgreSQL away, as the clients word it', () => {
	it('says the database cannot be reached, not that the disk is full', () => {
		const said = refusalText({ code: 'unavailable', message: DATABASE_AWAY });
		expect(said).toBe(m.pgmove_database_away());
		expect(said).not.toBe(failureText('unavailable'));
		for (const locale of ['sq', 'en', 'el'] as const) expect(m.pgmove_database_away({}, { locale })).not.toBe(m.error_unavailable({}, { locale }));
	});

	it('is told from the other refusals by its code and message together', () => {
		expect(isDatabaseAwayRefusal(new DomainError('unavailable', DATABASE_AWAY))).toBe(true);
		expect(isDatabaseAwayRefusal(new DomainError('unavailable', 'disk full'))).toBe(false);
		expect(isDatabaseAwayRefusal(new DomainError('conflict', DATABASE_AWAY))).toBe(false);
		expect(isDatabaseAwayRefusal(new Error(DATABASE_AWAY))).toBe(false);
	});
});

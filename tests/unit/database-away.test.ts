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

	// Forms failed with the code alone ('unavailable') and said the disk was full: failFrom gives the refusal its own
	// code, which failureText words (both shown to fail without the mapping in failFrom).
	it('is said so by a refused form, in each language, keeping what was typed', async () => {
		const { failFrom } = await import('$lib/server/forms');
		const failed = failFrom(new DomainError('unavailable', DATABASE_AWAY), { body: 'E shkruar' }) as unknown as { status: number; data: { code: string; values: { body: string } } };
		expect(failed.status).toBe(503);
		expect(failed.data.values.body).toBe('E shkruar');
		expect(failureText(failed.data.code)).toBe(m.pgmove_database_away());
		const full = failFrom(new DomainError('unavailable', 'disk_full'), {}) as unknown as { data: { code: string } };
		expect(failureText(full.data.code)).toBe(m.error_unavailable());
	});

	it('is told from the other refusals by its code and message together', () => {
		expect(isDatabaseAwayRefusal(new DomainError('unavailable', DATABASE_AWAY))).toBe(true);
		expect(isDatabaseAwayRefusal(new DomainError('unavailable', 'disk full'))).toBe(false);
		expect(isDatabaseAwayRefusal(new DomainError('conflict', DATABASE_AWAY))).toBe(false);
		expect(isDatabaseAwayRefusal(new Error(DATABASE_AWAY))).toBe(false);
	});
});

import { isDomainError } from './errors.js';

/**
 * The message of the refusal 'unavailable' when PostgreSQL cannot be reached (server/db/dialect/postgres.ts): the
 * pages and the clients word it themselves, in the reader's language (src/lib/realtime/refusals.ts).
 */
export const DATABASE_AWAY = 'database_away';

export const isDatabaseAwayRefusal = (error: unknown): boolean => isDomainError(error) && error.code === 'unavailable' && error.message === DATABASE_AWAY;

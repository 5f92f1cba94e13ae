import { ZodError } from 'zod';
import type { AppContext } from '../context.js';
import { isDomainError, type Ack } from '../../src/lib/shared/errors.js';

/**
 * Runs a socket handler's work and acknowledges `{ ok: true, ...result }` or `{ ok: false, code, message }`.
 * Handlers never throw: bad input and refusals become acks, anything else is logged as internal. Once the server
 * drains (see server/lifecycle.ts), new work is refused with the code 'restarting'.
 */
export async function respond<T extends object>(ack: unknown, ctx: AppContext, work: () => Promise<T>): Promise<void> {
	const reply = typeof ack === 'function' ? (ack as (res: Ack<T>) => void) : () => undefined;
	try {
		// Refused as 'restarting' once the server is stopping; taken before, it is answered before the stop goes on.
		reply({ ok: true, ...(await ctx.lifecycle.track(work)) });
	} catch (error) {
		if (error instanceof ZodError) return reply({ ok: false, code: 'invalid_input', message: 'invalid payload' });
		if (isDomainError(error)) return reply({ ok: false, code: error.code, message: error.message, ...(Object.keys(error.fields).length ? { fields: error.fields } : {}) });
		ctx.logger.error('socket handler failed', { error });
		reply({ ok: false, code: 'internal', message: 'internal error' });
	}
}

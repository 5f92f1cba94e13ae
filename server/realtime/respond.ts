import { ZodError } from 'zod';
import type { AppContext } from '../context.js';
import { isDomainError, type Ack } from '../../src/lib/shared/errors.js';

/**
 * Runs a socket handler's work and acknowledges `{ ok: true, ...result }` or `{ ok: false, code, message }`.
 * Handlers never throw: bad input and refusals become acks, anything else is logged as internal.
 */
export async function respond<T extends object>(ack: unknown, ctx: AppContext, work: () => Promise<T>): Promise<void> {
	const reply = typeof ack === 'function' ? (ack as (res: Ack<T>) => void) : () => undefined;
	try {
		reply({ ok: true, ...(await work()) });
	} catch (error) {
		if (error instanceof ZodError) return reply({ ok: false, code: 'invalid_input', message: 'invalid payload' });
		if (isDomainError(error)) return reply({ ok: false, code: error.code, message: error.message, ...(Object.keys(error.fields).length ? { fields: error.fields } : {}) });
		ctx.logger.error('socket handler failed', { error });
		reply({ ok: false, code: 'internal', message: 'internal error' });
	}
}

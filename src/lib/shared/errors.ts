/**
 * Error codes every transport understands. Services throw DomainError with one of these; HTTP maps them to a status,
 * socket acks to `{ ok: false, code }`, the Yjs endpoint to a close code. The UI turns a code into a message.
 */
export const ERROR_CODES = {
	unauthenticated: 401,
	forbidden: 403,
	not_found: 404,
	invalid_input: 400,
	invalid_credentials: 400,
	conflict: 409,
	/** A one-time link that cannot be used (never issued, used, voided or expired): the page says so plainly. */
	gone: 410,
	rate_limited: 429,
	/** The server is stopping (a restart): nothing was written; the same request works again in a moment. */
	restarting: 503,
	/** The server cannot write now (its disk is full): nothing was written; the same request works once it can. */
	unavailable: 503,
	internal: 500
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

const BRAND = Symbol.for('kuvend.DomainError');

export class DomainError extends Error {
	readonly [BRAND] = true;
	constructor(
		readonly code: ErrorCode,
		message: string = code,
		/** Per-field problems for forms, as message keys or plain codes. */
		readonly fields: Record<string, string> = {}
	) {
		super(message);
		this.name = 'DomainError';
	}
}

/** Recognises a DomainError even when it comes from another bundled copy of this module (SvelteKit's build). */
export function isDomainError(e: unknown): e is DomainError {
	return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/** The acknowledgement every client→server socket event receives. */
/** A socket acknowledgement: the result, or the refusal with its code, message and per-field problems (as forms get). */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; code: ErrorCode; message: string; fields?: Record<string, string> };

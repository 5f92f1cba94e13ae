import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import type { BestEffort } from '../db/storage-health.js';
import { countApiTokens, deleteApiToken, findApiTokenWithUser, insertApiToken, listApiTokens, touchApiToken } from '../db/repositories/api-token.repository.js';
import { isActiveMember, maySignIn } from '../domain/permissions.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { MAX_TOKEN_NAME, MAX_TOKENS_PER_MEMBER } from '../../src/lib/shared/api/limits.js';
import { sessionIdOf, toActor, toViewer, type Authenticated } from './auth.service.js';

/** A token's last use is written at most this often (a busy script must not turn reads into writes). */
export const LAST_USE_EVERY_MS = 60_000;
/** Every token starts with this, so a leaked one is recognisable (in a repository, in a paste). */
export const TOKEN_PREFIX = 'kuvend_';

export interface ApiTokenView {
	id: number;
	name: string;
	createdAt: number;
	lastUsedAt: number | null;
}

/** Personal API tokens: made and revoked by their member, read by the API as that member (server/http/api). */
export class ApiTokensService {
	constructor(
		private readonly db: Db,
		private readonly clock: () => number = Date.now,
		private readonly bestEffort: BestEffort = (_what, work) => work().then(() => undefined)
	) {}

	#member(auth: Authenticated | null): Authenticated {
		if (!auth) throw new DomainError('unauthenticated');
		if (!isActiveMember(auth.actor)) throw new DomainError('forbidden');
		return auth;
	}

	async list(auth: Authenticated | null): Promise<ApiTokenView[]> {
		const me = this.#member(auth);
		const rows = await listApiTokens(this.db, me.actor.id);
		return rows.map((t) => ({ id: t.id, name: t.name, createdAt: t.created_at, lastUsedAt: t.last_used_at }));
	}

	/** Makes a token and returns it: the only time it is ever shown (only its SHA-256 is kept). */
	async create(auth: Authenticated | null, rawName: string): Promise<{ id: number; token: string }> {
		const me = this.#member(auth);
		const name = rawName.trim().replace(/\s+/g, ' ');
		if (!name) throw new DomainError('invalid_input', 'a token needs a name', { name: 'required' });
		if (name.length > MAX_TOKEN_NAME) throw new DomainError('invalid_input', 'token name too long', { name: 'too_long' });
		const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
		const id = await this.db.transaction().execute(async (trx) => {
			// Counted inside the write: two forms sent at once cannot both pass the bound.
			if ((await countApiTokens(trx, me.actor.id)) >= MAX_TOKENS_PER_MEMBER) throw new DomainError('conflict', 'too many tokens');
			return insertApiToken(trx, { user_id: me.actor.id, token_hash: sessionIdOf(token), name, created_at: this.clock() });
		});
		return { id, token };
	}

	async revoke(auth: Authenticated | null, id: number): Promise<void> {
		const me = this.#member(auth);
		if (!(await deleteApiToken(this.db, me.actor.id, id))) throw new DomainError('not_found', 'no such token');
	}

	/**
	 * The member a bearer token reads as, looked up on every request (a revoked token fails at once, mid-use too);
	 * null for an unknown token or a member who may no longer sign in (suspended, deleted).
	 */
	async authenticate(token: string): Promise<Authenticated | null> {
		if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
		const found = await findApiTokenWithUser(this.db, sessionIdOf(token));
		if (!found || !maySignIn(found.user.status)) return null;
		const now = this.clock();
		const { token: row, user } = found;
		if (row.last_used_at === null || now - row.last_used_at >= LAST_USE_EVERY_MS) await this.bestEffort("an API token's last use", () => touchApiToken(this.db, row.id, now));
		return { actor: toActor(user), viewer: toViewer(user), sessionId: `api-token:${row.id}`, expiresAt: Number.MAX_SAFE_INTEGER, extended: false };
	}
}

import type { Kysely, Transaction } from 'kysely';
import type { Database, WebhookDeliveryRow, WebhookEndpointRow, WebhookLogRow } from '../database.js';
import { dialectOf } from '../dialect/index.js';

type Conn = Kysely<Database> | Transaction<Database>;

export type EndpointWithNames = WebhookEndpointRow & { org_slug: string | null; org_name: string | null; creator_name: string | null; creator_email: string | null; creator_locale: string | null };

function endpointsQuery(db: Conn) {
	return db
		.selectFrom('webhook_endpoints as e')
		.leftJoin('organisations as o', 'o.id', 'e.organisation_id')
		.leftJoin('users as u', 'u.id', 'e.created_by')
		.selectAll('e')
		.select(['o.slug as org_slug', 'o.name as org_name', 'u.display_name as creator_name', 'u.email as creator_email', 'u.locale as creator_locale']);
}

export async function insertEndpoint(db: Conn, row: { organisation_id: number | null; url: string; secret: string; events: string; created_by: number; created_at: number }): Promise<number> {
	return (await db.insertInto('webhook_endpoints').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

/** `organisationId` undefined: every endpoint; null: the network's; a number: that organisation's. */
export function listEndpoints(db: Conn, organisationId?: number | null): Promise<EndpointWithNames[]> {
	let q = endpointsQuery(db);
	if (organisationId === null) q = q.where('e.organisation_id', 'is', null);
	else if (organisationId !== undefined) q = q.where('e.organisation_id', '=', organisationId);
	return q.orderBy('e.id').execute();
}

export function findEndpoint(db: Conn, id: number): Promise<EndpointWithNames | undefined> {
	return endpointsQuery(db).where('e.id', '=', id).executeTakeFirst();
}

export async function countEndpoints(db: Conn, organisationId: number | null): Promise<number> {
	const q = db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n'));
	const row = await (organisationId === null ? q.where('organisation_id', 'is', null) : q.where('organisation_id', '=', organisationId)).executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Endpoints that take events now: not turned off. */
export function activeEndpoints(db: Conn): Promise<WebhookEndpointRow[]> {
	return db.selectFrom('webhook_endpoints').selectAll().where('disabled_at', 'is', null).execute();
}

/**
 * Holds an endpoint for this transaction, so that it cannot be removed before the transaction ends; false if it is
 * gone already. On PostgreSQL a key-share lock on its row: a removal under way is waited for (and then leaves no row),
 * a later one waits for this transaction; updates of the row's other columns are not held up. SQLite's write
 * transactions already run one at a time.
 */
export async function holdEndpoint(trx: Transaction<Database>, id: number): Promise<boolean> {
	const q = trx.selectFrom('webhook_endpoints').select('id').where('id', '=', id);
	return (await (dialectOf(trx) === 'postgres' ? q.forKeyShare() : q).executeTakeFirst()) !== undefined;
}

export async function deleteEndpoint(db: Conn, id: number): Promise<void> {
	await db.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
}

export async function setDisabled(db: Conn, id: number, at: number | null, reason: string | null): Promise<void> {
	await db
		.updateTable('webhook_endpoints')
		.set({ disabled_at: at, disabled_reason: reason, ...(at === null ? { failing_since: null, consecutive_failures: 0 } : {}) })
		.where('id', '=', id)
		.execute();
}

/** Turns an endpoint off for failing, unless it is off already; true if this call did it (so one notice is sent). */
export async function disableForFailures(db: Conn, id: number, at: number): Promise<boolean> {
	const res = await db.updateTable('webhook_endpoints').set({ disabled_at: at, disabled_reason: 'failures' }).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
	return Number(res.numUpdatedRows) === 1;
}

export async function recordSuccess(db: Conn, id: number): Promise<void> {
	await db.updateTable('webhook_endpoints').set({ failing_since: null, consecutive_failures: 0 }).where('id', '=', id).execute();
}

/** Counts a failure; returns the endpoint's failure streak as it now stands. */
export async function recordFailure(db: Conn, id: number, now: number): Promise<{ failing_since: number; consecutive_failures: number } | undefined> {
	await db
		.updateTable('webhook_endpoints')
		.set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1), failing_since: eb.fn.coalesce('failing_since', eb.val(now)) }))
		.where('id', '=', id)
		.execute();
	const row = await db.selectFrom('webhook_endpoints').select(['failing_since', 'consecutive_failures']).where('id', '=', id).executeTakeFirst();
	return row ? { failing_since: row.failing_since ?? now, consecutive_failures: row.consecutive_failures } : undefined;
}

export async function insertDeliveries(db: Conn, rows: { endpoint_id: number; event_id: string; event_type: string; subject: string; body: string; created_at: number; next_attempt_at: number }[]): Promise<void> {
	if (rows.length) await db.insertInto('webhook_deliveries').values(rows).execute();
}

/** Deliveries due by `now` whose endpoint is on, oldest first. */
export function dueDeliveries(db: Conn, now: number, limit: number): Promise<(WebhookDeliveryRow & { url: string; secret: string })[]> {
	return db
		.selectFrom('webhook_deliveries as d')
		.innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
		.selectAll('d')
		.select(['e.url', 'e.secret'])
		.where('d.next_attempt_at', '<=', now)
		.where('e.disabled_at', 'is', null)
		.orderBy('d.next_attempt_at')
		.orderBy('d.id')
		.limit(limit)
		.execute();
}

export async function markDelivered(db: Conn, id: number, now: number): Promise<void> {
	await db.updateTable('webhook_deliveries').set((eb) => ({ attempts: eb('attempts', '+', 1), delivered_at: now, next_attempt_at: null })).where('id', '=', id).execute();
}

/** `next` null: given up. */
export async function markAttemptFailed(db: Conn, id: number, next: number | null, now: number): Promise<void> {
	await db
		.updateTable('webhook_deliveries')
		.set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: next, gave_up_at: next === null ? now : null }))
		.where('id', '=', id)
		.execute();
}

/** Whether a delivery is still queued (a removed endpoint's deliveries go with it). */
export async function deliveryExists(db: Conn, id: number): Promise<boolean> {
	return (await db.selectFrom('webhook_deliveries').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Withdrawn before it went out (what it was about is no longer for visitors). */
export async function deleteDelivery(db: Conn, id: number): Promise<void> {
	await db.deleteFrom('webhook_deliveries').where('id', '=', id).execute();
}

/** Deliveries finished (sent or given up) before `before`: the log keeps what happened. */
export async function pruneDeliveries(db: Conn, before: number): Promise<void> {
	await db.deleteFrom('webhook_deliveries').where('next_attempt_at', 'is', null).where('created_at', '<', before).execute();
}

export async function waitingCounts(db: Conn): Promise<Map<number, number>> {
	const rows = await db
		.selectFrom('webhook_deliveries')
		.select(['endpoint_id', (eb) => eb.fn.countAll<number>().as('n')])
		.where('next_attempt_at', 'is not', null)
		.groupBy('endpoint_id')
		.execute();
	return new Map(rows.map((r) => [r.endpoint_id, Number(r.n)]));
}

/** Writes an attempt into its endpoint's log (the endpoint held by the caller: holdEndpoint). */
export async function logAttempt(trx: Transaction<Database>, row: Omit<WebhookLogRow, 'id'>): Promise<void> {
	await trx.insertInto('webhook_log').values(row).execute();
}

/**
 * Keeps only the newest `keep` attempts of an endpoint's log. Outside the attempt's transaction: on PostgreSQL one
 * that ran beside other attempts of the endpoint would not see theirs, and the log would grow past `keep`.
 */
export async function pruneLog(db: Conn, endpointId: number, keep: number): Promise<void> {
	const edge = await db.selectFrom('webhook_log').select('id').where('endpoint_id', '=', endpointId).orderBy('id', 'desc').offset(keep).limit(1).executeTakeFirst();
	if (edge) await db.deleteFrom('webhook_log').where('endpoint_id', '=', endpointId).where('id', '<=', edge.id).execute();
}

export function logOf(db: Conn, endpointId: number, limit: number): Promise<WebhookLogRow[]> {
	return db.selectFrom('webhook_log').selectAll().where('endpoint_id', '=', endpointId).orderBy('id', 'desc').limit(limit).execute();
}

/** Who started what an event is about (the member whose organisations may count it as their own). */
export async function starterOf(db: Conn, kind: 'meeting' | 'vote' | 'thread' | 'draft', id: number): Promise<number | null> {
	const row =
		kind === 'thread'
			? await db.selectFrom('threads').select('author_id as by').where('id', '=', id).executeTakeFirst()
			: kind === 'meeting'
				? await db.selectFrom('meetings').select('created_by as by').where('id', '=', id).executeTakeFirst()
				: kind === 'vote'
					? await db.selectFrom('votes').select('created_by as by').where('id', '=', id).executeTakeFirst()
					: await db.selectFrom('drafts').select('created_by as by').where('id', '=', id).executeTakeFirst();
	return row?.by ?? null;
}

/** The fingerprint last announced for a subject; undefined if never. */
export async function subjectFingerprint(db: Conn, subject: string): Promise<string | undefined> {
	return (await db.selectFrom('webhook_subjects').select('fingerprint').where('subject', '=', subject).executeTakeFirst())?.fingerprint;
}

export async function setSubjectFingerprint(db: Conn, subject: string, fingerprint: string): Promise<void> {
	await db
		.insertInto('webhook_subjects')
		.values({ subject, fingerprint })
		.onConflict((oc) => oc.column('subject').doUpdateSet({ fingerprint }))
		.execute();
}

import type { Db } from '../db/client.js';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { facilitatesAnyGroup, groupIsArchived, groupRole } from '../db/repositories/group.repository.js';
import { facilitates, hasRole, isActiveMember, runsBusinessOf, type GroupRole } from '../domain/permissions.js';
import type { Authenticated } from './auth.service.js';
import { DomainError } from '../../src/lib/shared/errors.js';

type Conn = Kysely<Database> | Transaction<Database>;

/**
 * Who may do what across features, each question answered in one place and with yes or no (loomio's
 * `app/models/ability/*.rb`): the facts are loaded here, the rules are server/domain/permissions.ts. Feature rules
 * (who may read a draft, chair a meeting) stay with their feature's domain module and service.
 */
export class Abilities {
	constructor(private readonly db: Db) {}

	/** The person's place in a group; null for visitors, outsiders and the network (`groupId` null). */
	async roleIn(auth: Authenticated | null, groupId: number | null, conn: Conn = this.db): Promise<GroupRole | null> {
		if (!auth || groupId === null) return null;
		return groupRole(conn, groupId, auth.actor.id);
	}

	/** Facilitates this group (an active member whose role in it is facilitator). */
	async facilitates(auth: Authenticated | null, groupId: number | null, conn: Conn = this.db): Promise<boolean> {
		return facilitates(auth?.actor ?? null, await this.roleIn(auth, groupId, conn));
	}

	/**
	 * May call and manage votes and meetings in this scope (`null`: the network) — coordinators anywhere, facilitators
	 * in their group. Without a scope: in any scope at all, one cheap check for showing a "new" button.
	 */
	async mayCall(auth: Authenticated | null, groupId?: number | null, conn: Conn = this.db): Promise<boolean> {
		const actor = auth?.actor ?? null;
		if (!isActiveMember(actor)) return false;
		if (hasRole(actor, 'coordinator')) return true;
		if (groupId === undefined) return facilitatesAnyGroup(conn, actor!.id);
		return runsBusinessOf(actor, groupId, await this.roleIn(auth, groupId, conn));
	}

	/**
	 * An archived group keeps its history and takes no new work: no draft, vote or meeting is started in it, whatever
	 * a form sends (its pickers no longer offer it). Told on the form's group field, in the member's language.
	 */
	async refuseArchivedGroup(groupId: number | null | undefined, conn: Conn = this.db): Promise<void> {
		if (groupId != null && (await groupIsArchived(conn, groupId))) throw new DomainError('invalid_input', 'the group is archived', { group: 'group_archived' });
	}
}

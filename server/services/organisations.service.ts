import type { Db } from '../db/client.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import {
	addRepresentative,
	findOrganisationBySlug,
	groupsOfOrganisation,
	isRepresentative,
	listOrganisations,
	organisationFieldSlugs,
	removeRepresentative,
	representativesOf,
	setOrganisationFields,
	updateOrganisation
} from '../db/repositories/organisation.repository.js';
import { fieldIdsBySlug, findUserByEmail } from '../db/repositories/user.repository.js';
import type { OrganisationRow } from '../db/database.js';
import { hasRole, isActiveMember } from '../domain/permissions.js';
import { checkText, checkUrl, collect } from '../domain/validation.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { GroupKind } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';

export interface OrganisationPage {
	slug: string;
	name: string;
	description: string;
	city: string | null;
	website: string | null;
	fields: string[];
	groups: { slug: string; name: string; kind: GroupKind }[];
	/** Only members of the network see who represents an organisation. */
	representatives: { id: number; name: string; city: string | null }[] | null;
	canManage: boolean;
}

/** Organisations of the network: public profiles, managed by their representatives and the coordinators. */
export class OrganisationsService {
	constructor(
		private readonly db: Db,
		private readonly clock: () => number = Date.now
	) {}

	async list() {
		return (await listOrganisations(this.db)).map((o) => ({
			slug: o.slug,
			name: o.name,
			city: o.city,
			description: o.description,
			representatives: Number(o.representatives)
		}));
	}

	async page(auth: Authenticated | null, slug: string): Promise<OrganisationPage> {
		const org = await this.#org(slug);
		const member = isActiveMember(auth?.actor ?? null);
		const [fields, groups, reps] = await Promise.all([
			organisationFieldSlugs(this.db, org.id),
			groupsOfOrganisation(this.db, org.id),
			representativesOf(this.db, org.id)
		]);
		return {
			slug: org.slug,
			name: org.name,
			description: org.description,
			city: org.city,
			website: org.website,
			fields: fields.map((f) => f.slug),
			groups,
			representatives: member ? reps.map((r) => ({ id: r.id, name: r.display_name, city: r.city })) : null,
			canManage: await this.#mayManage(auth, org.id)
		};
	}

	async updateProfile(
		auth: Authenticated | null,
		slug: string,
		input: { name: string; description: string; city: string; website: string; fields: string[] }
	): Promise<void> {
		const org = await this.#org(slug);
		await this.#requireManager(auth, org.id);
		const problems = collect({
			name: checkText(input.name, { max: 160 }),
			description: checkText(input.description, { required: false, max: 4000 }),
			city: checkText(input.city, { required: false, max: 80 }),
			website: checkUrl(input.website)
		});
		if (Object.keys(problems).length) throw new DomainError('invalid_input', 'organisation has problems', problems);
		await this.db.transaction().execute(async (trx) => {
			await updateOrganisation(trx, org.id, {
				name: input.name.trim(),
				description: input.description.trim(),
				city: input.city.trim() || null,
				website: input.website.trim() || null
			});
			await setOrganisationFields(trx, org.id, await fieldIdsBySlug(trx, input.fields));
		});
	}

	/** Adds an active member, named by email, as a representative. */
	async addRepresentative(auth: Authenticated | null, slug: string, email: string): Promise<void> {
		const org = await this.#org(slug);
		const actor = await this.#requireManager(auth, org.id);
		const user = await findUserByEmail(this.db, email);
		if (!user || user.status !== 'active') throw new DomainError('invalid_input', 'no such member', { email: 'member_unknown' });
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			await addRepresentative(trx, org.id, user.id, now);
			await insertAudit(trx, { actor_id: actor.id, action: 'organisation.representative_added', subject_type: 'organisation', subject_id: org.slug, data: { userId: user.id }, created_at: now });
		});
	}

	async removeRepresentative(auth: Authenticated | null, slug: string, userId: number): Promise<void> {
		const org = await this.#org(slug);
		const actor = await this.#requireManager(auth, org.id);
		const now = this.clock();
		await this.db.transaction().execute(async (trx) => {
			await removeRepresentative(trx, org.id, userId);
			await insertAudit(trx, { actor_id: actor.id, action: 'organisation.representative_removed', subject_type: 'organisation', subject_id: org.slug, data: { userId }, created_at: now });
		});
	}

	async #org(slug: string): Promise<OrganisationRow> {
		const org = await findOrganisationBySlug(this.db, slug);
		if (!org) throw new DomainError('not_found');
		return org;
	}

	async #mayManage(auth: Authenticated | null, organisationId: number): Promise<boolean> {
		if (!auth || !isActiveMember(auth.actor)) return false;
		return hasRole(auth.actor, 'coordinator') || (await isRepresentative(this.db, organisationId, auth.actor.id));
	}

	async #requireManager(auth: Authenticated | null, organisationId: number) {
		if (!auth) throw new DomainError('unauthenticated');
		if (!(await this.#mayManage(auth, organisationId))) throw new DomainError('forbidden');
		return auth.actor;
	}
}

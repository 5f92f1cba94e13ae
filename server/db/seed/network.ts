import type { Db } from '../client.js';
import type { GroupKind, Locale, Role } from '../../../src/lib/shared/types.js';
import { storeLocalized, type Localized } from '../../../src/lib/shared/localized.js';
import { hashPassword } from '../../services/passwords.js';
import { ensureGroupCategories } from '../repositories/forum.repository.js';
import { ensureFieldCategories, insertField } from '../repositories/field.repository.js';
import { saveNetworkProfile } from '../repositories/network-profile.repository.js';

/** The password of every seeded account; the README lists them. */
export const DEMO_PASSWORD = 'demo-kuvend';

/** The texts of a network's profile, each in its languages (the columns of network_profile). */
export type ProfileTexts = Record<'name' | 'short_name' | 'tagline' | 'about' | 'goals' | 'founded', Localized>;

export interface SeedPerson {
	email: string;
	name: string;
	city: string;
	role?: Role;
	locale?: Locale;
	fields: string[];
	org?: string;
	groups: string[];
	facilitates?: string[];
}

/**
 * A whole network as a seed writes it: nothing about a network is in the code but its seed (issue #15: a second
 * network proves nothing is hard-wired). `SEED=demo` is the Independent Cultural Scene, `SEED=inclust` the InClust
 * clusters.
 */
export interface NetworkSeed {
	profile: { texts: ProfileTexts; primaryLocale: Locale; contactEmail?: string; website?: string };
	fields: { slug: string; name: Localized }[];
	organisations: { slug: string; name: string; city: string; fields: string[]; description: string }[];
	groups: { slug: string; name: string; kind: GroupKind; city?: string | null; join: 'open' | 'request'; description: Localized }[];
	people: SeedPerson[];
}

/** Fills a new database with a network, in one transaction. */
export async function seedNetwork(db: Db, network: NetworkSeed, now: number = Date.now()): Promise<{ people: number }> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	await db.transaction().execute(async (trx) => {
		const { profile } = network;
		await saveNetworkProfile(trx, {
			...(Object.fromEntries(Object.entries(profile.texts).map(([column, value]) => [column, storeLocalized(value)])) as Record<keyof ProfileTexts, string>),
			primary_locale: profile.primaryLocale,
			contact_email: profile.contactEmail ?? null,
			website: profile.website ?? null,
			updated_at: now
		});
		const fieldIds = new Map<string, number>();
		for (const [i, f] of network.fields.entries()) {
			fieldIds.set(f.slug, await insertField(trx, { slug: f.slug, name: storeLocalized(f.name), position: i + 1 }));
		}
		await ensureFieldCategories(trx);
		const orgIds = new Map<string, number>();
		for (const o of network.organisations) {
			const { id } = await trx
				.insertInto('organisations')
				.values({ slug: o.slug, name: o.name, city: o.city, description: o.description, website: null, created_at: now })
				.returning('id')
				.executeTakeFirstOrThrow();
			orgIds.set(o.slug, id);
			await trx
				.insertInto('organisation_fields')
				.values(o.fields.map((f) => ({ organisation_id: id, field_id: fieldIds.get(f)! })))
				.execute();
		}
		const groupIds = new Map<string, number>();
		for (const g of network.groups) {
			const { id } = await trx
				.insertInto('groups')
				.values({ slug: g.slug, name: g.name, kind: g.kind, city: g.city ?? null, join_policy: g.join, description: storeLocalized(g.description), created_at: now })
				.returning('id')
				.executeTakeFirstOrThrow();
			groupIds.set(g.slug, id);
		}
		await ensureGroupCategories(trx);
		for (const p of network.people) {
			const { id } = await trx
				.insertInto('users')
				.values({
					email: p.email,
					password_hash: passwordHash,
					display_name: p.name,
					role: p.role ?? 'member',
					status: 'active',
					locale: p.locale ?? profile.primaryLocale,
					city: p.city,
					bio: null,
					created_at: now,
					updated_at: now
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			if (p.fields.length) {
				await trx
					.insertInto('user_fields')
					.values(p.fields.map((f) => ({ user_id: id, field_id: fieldIds.get(f)! })))
					.execute();
			}
			if (p.org) {
				await trx.insertInto('organisation_representatives').values({ organisation_id: orgIds.get(p.org)!, user_id: id, created_at: now }).execute();
			}
			if (p.groups.length) {
				await trx
					.insertInto('group_members')
					.values(
						p.groups.map((g) => ({
							group_id: groupIds.get(g)!,
							user_id: id,
							role: p.facilitates?.includes(g) ? ('facilitator' as const) : ('member' as const),
							joined_at: now
						}))
					)
					.execute();
			}
		}
	});
	return { people: network.people.length };
}

import type { RunningApp } from '../../../server/app.js';
import type { Config } from '../../../server/config.js';
import { makePeople, type Person } from './votes.js';

let floors = 0;

/**
 * A body of its own for two-chamber votes: a new group of `members` new people, and `organisations` new
 * organisations, each represented by `repsPerOrganisation` of them (the first ones, in turn). A group vote's
 * electorate is then exactly these: the members, and the organisations with a representative among them.
 */
export async function chamberFloor(app: RunningApp & { config: Config }, members: number, organisations: number, repsPerOrganisation = 1) {
	const { db } = app.ctx;
	const now = Date.now();
	floors++;
	const people = await makePeople(app, members);
	const group = await db
		.insertInto('groups')
		.values({ slug: `dhoma-${floors}-${now}`, name: `Dhomat ${floors}`, kind: 'working_group', city: null, created_at: now, archived_at: null })
		.returning('id')
		.executeTakeFirstOrThrow();
	await db
		.insertInto('group_members')
		.values(people.map((p) => ({ group_id: group.id, user_id: p.id, joined_at: now })))
		.execute();
	const orgs: { id: number; name: string; reps: Person[] }[] = [];
	let next = 0;
	for (let i = 0; i < organisations; i++) {
		const name = `Organizata ${floors}.${i + 1}`;
		const org = await db.insertInto('organisations').values({ slug: `org-${floors}-${i}-${now}`, name, city: 'Korçë', website: null, created_at: now }).returning('id').executeTakeFirstOrThrow();
		const reps = people.slice(next, next + repsPerOrganisation);
		next += repsPerOrganisation;
		await db
			.insertInto('organisation_representatives')
			.values(reps.map((r) => ({ organisation_id: org.id, user_id: r.id, created_at: now })))
			.execute();
		orgs.push({ id: org.id, name, reps });
	}
	return { groupId: group.id, people, orgs };
}

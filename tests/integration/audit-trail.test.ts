import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAudit } from '../../server/db/repositories/membership.repository.js';
import { VOTE_DEFAULTS } from '../../src/lib/shared/vote-input.js';
import { DEMO_PASSWORD } from '../../server/db/seed/demo.js';
import type { AuditEntryView } from '../../src/lib/shared/audit.js';
import { getPage, signInAs, startTestApp, type TestApp } from './helpers/app.js';

let app: TestApp;

beforeAll(async () => {
	app = await startTestApp();
});
afterAll(async () => {
	await app?.dispose();
});

const userId = async (email: string) => (await app.ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

describe('the audit trail in words', () => {
	let coordinator: Awaited<ReturnType<typeof signInAs>>;
	let entries: AuditEntryView[];
	let voteId: number;
	let blerina: number;

	beforeAll(async () => {
		coordinator = await signInAs(app, 'coordinator@demo.test');
		const s = app.ctx.services;
		blerina = await userId('member3@demo.test');
		await s.coordination.setRole(coordinator.auth, blerina, 'moderator');
		await s.coordination.suspend(coordinator.auth, await userId('member4@demo.test'), 'Shkeli rregullat e forumit');
		await s.fields.rename(coordinator.auth, 'music', { sq: 'Muzika dhe tingulli', en: 'Music and sound' });
		voteId = await s.votes.create(coordinator.auth, { ...VOTE_DEFAULTS, title: 'Buxheti i festivalit', method: 'yes_no' }, {}, true);
		await s.votes.close(coordinator.auth, voteId);
		// An action a later version may write, which this one has no words for.
		await insertAudit(app.ctx.db, { actor_id: blerina, action: 'thread.teleported', subject_type: 'thread', subject_id: '9', data: {}, created_at: Date.now() });
		entries = await s.coordination.auditTrail(coordinator.auth, 'sq');
	});

	const entry = (action: string) => entries.find((e) => e.action === action)!;

	it('names the actor and the subject with links, never by id', () => {
		const role = entry('role.changed');
		expect(role.actor).toEqual({ kind: 'member', person: { name: 'Elira Hoxha', href: `/members/${coordinator.auth.actor.id}` } });
		expect(role.subject).toEqual({ name: 'Blerina Shehu', href: `/members/${blerina}` });
		expect(role.change).toEqual({ from: { kind: 'role', role: 'member' }, to: { kind: 'role', role: 'moderator' } });
		expect(JSON.stringify(entries)).not.toMatch(/"user:\d+"/);
	});

	it('keeps old → new values, counts and the reason', () => {
		const renamed = entry('field.renamed');
		expect(renamed.change).toEqual({ from: { kind: 'name', name: 'Muzikë' }, to: { kind: 'name', name: 'Muzika dhe tingulli' } });
		expect(renamed.subject).toEqual({ name: 'Muzika dhe tingulli', href: '/coordination/fields' });
		expect(entry('account.suspended').reason).toBe('Shkeli rregullat e forumit');
		const eligible = entry('vote.opened').count!;
		expect(eligible).toBeGreaterThan(1);
		const closed = entry('vote.closed');
		expect(closed.subject).toEqual({ name: 'Buxheti i festivalit', href: `/votes/${voteId}` });
		expect([closed.count, closed.of]).toEqual([0, eligible]);
	});

	it('reads a kind it does not know as a generic line, not as nothing', () => {
		const unknown = entry('thread.teleported');
		expect(unknown.known).toBe(false);
		expect(unknown.actor).toMatchObject({ kind: 'member', person: { name: 'Blerina Shehu' } });
	});

	it('names a deleted account as a former member, without a link', async () => {
		const member5 = await signInAs(app, 'member5@demo.test');
		await app.ctx.services.account.deleteAccount(member5.auth, DEMO_PASSWORD);
		const after = await app.ctx.services.coordination.auditTrail(coordinator.auth, 'sq');
		const deleted = after.find((e) => e.action === 'account.deleted')!;
		expect(deleted.actor).toEqual({ kind: 'former' });
		expect(deleted.subject).toBeNull();
		expect(deleted.subjectType).toBe('user');
	});

	it('is for coordinators only', async () => {
		const member = await signInAs(app, 'member1@demo.test');
		await expect(app.ctx.services.coordination.auditTrail(member.auth, 'sq')).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('reads in the page language on the coordinators’ page', async () => {
		const sq = await (await getPage(app.url, '/coordination/audit', coordinator.cookie)).text();
		expect(sq).toContain('Ndryshoi rolin: Anëtar → Moderator');
		expect(sq).toContain('Riemërtoi një fushë veprimi: Muzikë → Muzika dhe tingulli');
		expect(sq).toContain('Mbylli votimin: morën pjesë 0 nga');
		expect(sq).toContain('Një veprim që ky version i Kuvend-it nuk e përshkruan (thread.teleported)');
		expect(sq).toContain(`href="/members/${blerina}"`);
		expect(sq).not.toMatch(/>\s*(user|vote|field):\d+\s*</);
		// A member's own language setting decides the page's language.
		await app.ctx.db.updateTable('users').set({ locale: 'el' }).where('id', '=', coordinator.auth.actor.id).execute();
		const el = await (await getPage(app.url, '/coordination/audit', coordinator.cookie)).text();
		expect(el).toContain('Άλλαξε ρόλο: Μέλος → Μέλος εποπτείας');
		// No Greek name given: the network's primary language (Albanian) stands in.
		expect(el).toContain('Μετονόμασε πεδίο δράσης: Μουσική → Muzika dhe tingulli');
	});
});

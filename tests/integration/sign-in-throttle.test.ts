import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { postFormFrom } from './helpers/address.js';
import { DEMO_PASSWORD } from '../../server/db/seed/demo.js';

let app: TestApp;

// Issue #14 point 5: nobody can lock a member out. Failed sign-ins count per (account, address), per address, and
// per account from anywhere with a far higher ceiling (server/services/rate-limits.ts). Each client below connects
// from its own loopback address, so the server sees real, different client addresses.
beforeAll(async () => {
	app = await startTestApp({ RATE_LIMITS: 'standard' });
});
afterAll(async () => app?.dispose());

const login = (email: string, password: string, address: string) => postFormFrom(app.url, '/login', { email, password }, address);

describe('sign-in throttling', () => {
	it("does not let a stranger's failures refuse the member's right password from their own address", async () => {
		// Without the (account, address) count — failures keyed by the account alone, as before — the member's right
		// password from B is answered 429 here.
		const stranger = '127.0.0.2';
		const member = '127.0.0.3';
		const answers: number[] = [];
		for (let i = 0; i < 50; i++) answers.push((await login('member1@demo.test', `guess-${i}`, stranger)).status);
		expect(answers.slice(0, 6)).toEqual(Array(6).fill(400));
		expect(answers.slice(6).every((s) => s === 429)).toBe(true);
		expect((await login('member1@demo.test', DEMO_PASSWORD, member)).status).toBe(303);
		// The stranger's address stays refused, even with the right password.
		const refused = await login('member1@demo.test', DEMO_PASSWORD, stranger);
		expect(refused.status).toBe(429);
		expect(refused.text).toContain('Shumë përpjekje.');
	});

	it("refuses everyone once failures from many addresses pass the account's ceiling", async () => {
		// Without the per-account ceiling, the right password from a fresh address is answered 303 at the end.
		const email = 'member2@demo.test';
		let failures = 0;
		for (let host = 10; failures < 100; host++) {
			for (let i = 0; i < 6 && failures < 100; i++) {
				expect((await login(email, `guess-${host}-${i}`, `127.0.1.${host}`)).status).toBe(400);
				failures++;
			}
		}
		expect((await login(email, `one-more-guess`, '127.0.2.1')).status).toBe(429);
		expect((await login(email, DEMO_PASSWORD, '127.0.2.2')).status).toBe(429);
		// Other accounts are not touched.
		expect((await login('member3@demo.test', DEMO_PASSWORD, '127.0.2.2')).status).toBe(303);
	});

	it('tries no more guesses sent all at once than sent one after another', async () => {
		// Shown to fail without the reservation: with the limit checked before the password hash and counted after it
		// (limits.check, then limits.hit), the 30 guesses below were all tried and all answered 400.
		const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login('member4@demo.test', `together-${i}`, '127.0.3.1')));
		const statuses = answers.map((a) => a.status);
		expect(statuses.filter((s) => s === 400)).toHaveLength(6);
		expect(statuses.filter((s) => s === 429)).toHaveLength(24);
		// The right password from another address still signs in: the refused guesses counted nothing more.
		expect((await login('member4@demo.test', DEMO_PASSWORD, '127.0.3.2')).status).toBe(303);
	});
});

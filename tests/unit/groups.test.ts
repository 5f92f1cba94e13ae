import { describe, expect, it } from 'vitest';
import { checkGroup, freeSlug, sameGroupName } from '../../server/domain/groups.js';
import { canPost } from '../../server/domain/forum.js';

const valid = { name: '  Grupi   i teatrit ', kind: 'working_group', city: '', description: { sq: 'Teatër', en: '', el: ' ' }, joinPolicy: 'request', visibility: 'public', facilitators: [3, 3, 5] };

describe('group rules', () => {
	it('normalises a valid form: one space between words, empty languages left out, facilitators once', () => {
		const { problems, values } = checkGroup(valid);
		expect(problems).toEqual({});
		expect(values).toEqual({ name: 'Grupi i teatrit', kind: 'working_group', city: null, description: '{"sq":"Teatër"}', joinPolicy: 'request', visibility: 'public', facilitators: [3, 5] });
	});

	it('names each problem by its form field', () => {
		const { problems, values } = checkGroup({
			...valid,
			name: '',
			kind: 'castle',
			city: 'c'.repeat(101),
			description: { el: 'λ'.repeat(2001) },
			joinPolicy: 'maybe',
			visibility: 'secret',
			facilitators: Array.from({ length: 21 }, (_, i) => i + 1)
		});
		expect(values).toBeNull();
		expect(problems).toEqual({ name: 'required', kind: 'choose_one', city: 'too_long', description_el: 'too_long', joinPolicy: 'choose_one', visibility: 'choose_one', facilitators: 'too_long' });
	});

	it('takes names that differ only in case and spacing for the same name', () => {
		expect(sameGroupName('Aleanca Kulturore', ' aleanca   KULTURORE')).toBe(true);
		expect(sameGroupName('Ομάδα Φεστιβάλ', 'ομάδα φεστιβάλ')).toBe(true);
		expect(sameGroupName('Aleanca Kulturore', 'Aleanca Kulturore e Re')).toBe(false);
	});

	it('makes a free slug from the name, in ASCII', () => {
		expect(freeSlug('Klasteri i Korçës', () => false)).toBe('klasteri-i-korces');
		expect(freeSlug('Ομάδα φεστιβάλ', () => false)).toBe('omada-festival');
		const taken = new Set(['grupi', 'grupi-2']);
		expect(freeSlug('Grupi', (s) => taken.has(s))).toBe('grupi-3');
		expect(freeSlug('!!!', () => false)).toBe('group');
	});

	it('closes an archived group space to every new post, even for moderators', () => {
		const moderator = { id: 1, role: 'moderator' as const, status: 'active' as const };
		expect(canPost(moderator, { visibility: 'members', groupId: 4 }, new Set())).toBe(true);
		expect(canPost(moderator, { visibility: 'members', groupId: 4, archived: true }, new Set([4]))).toBe(false);
	});
});

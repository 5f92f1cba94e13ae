import { describe, expect, it } from 'vitest';
import { hideOneTimeLinks, oneTimeLink, oneTimeTokensIn } from '../../server/domain/one-time-links.js';
import { nameFromEmail } from '../../server/domain/people.js';

describe('one-time links', () => {
	const link = oneTimeLink('https://kuvend.example.org', 'password', 'Ab-_09xyz');

	it('are built from the declared kinds', () => {
		expect(link).toBe('https://kuvend.example.org/forgot/Ab-_09xyz');
	});

	it('lose their token wherever they stand in a text, the rest of the text kept', () => {
		const text = `Hello,\n\n${link}\n\nor (${link}). See https://kuvend.example.org/forgot and /forum/t/3.`;
		const hidden = hideOneTimeLinks(text);
		expect(hidden).not.toContain('Ab-_09xyz');
		expect(hidden).toBe(
			'Hello,\n\nhttps://kuvend.example.org/forgot/••••••••\n\nor (https://kuvend.example.org/forgot/••••••••). See https://kuvend.example.org/forgot and /forum/t/3.'
		);
	});

	it('hide the setup link of a new network too', () => {
		const setup = oneTimeLink('https://kuvend.example.org', 'setup', 'Set-up_42');
		expect(setup).toBe('https://kuvend.example.org/setup/Set-up_42');
		expect(hideOneTimeLinks(`Open ${setup} to begin.`)).toBe('Open https://kuvend.example.org/setup/•••••••• to begin.');
	});

	it('give up their tokens for checking', () => {
		expect(oneTimeTokensIn(`${link} and ${oneTimeLink('http://x', 'password', 'second')}`)).toEqual(['Ab-_09xyz', 'second']);
		expect(oneTimeTokensIn('no links here: /forum/t/1')).toEqual([]);
	});
});

describe('a name from an email', () => {
	it('reads the local part as words', () => {
		expect(nameFromEmail('ana.hoxha@example.org')).toBe('Ana Hoxha');
		expect(nameFromEmail('dimitris_k+kuvend@example.gr')).toBe('Dimitris K Kuvend');
		expect(nameFromEmail('ëndrit@example.al')).toBe('Ëndrit');
	});
});

import { describe, expect, it } from 'vitest';
import { EventBus } from '../../server/events/bus.js';
import { PageCache, visitorKey } from '../../server/http/page-cache.js';

const page = (text: string) => ({ status: 200, headers: [['content-type', 'text/html']] as [string, string][], body: new TextEncoder().encode(text) });

describe('the visitors page cache', () => {
	it('keeps a page until the content changes', () => {
		const bus = new EventBus(() => {});
		const cache = new PageCache();
		cache.follow(bus);
		cache.set('sq /forum/t/1', cache.version, page('a'));
		expect(cache.get('sq /forum/t/1')?.body).toEqual(page('a').body);
		bus.emit('forum.post_created', { threadId: 1, postId: 2, categoryId: 1, membersOnly: false });
		expect(cache.get('sq /forum/t/1')).toBeUndefined();
		cache.set('sq /forum/t/1', cache.version, page('b'));
		bus.emit('user.profile_changed', { userId: 3 });
		expect(cache.get('sq /forum/t/1')).toBeUndefined();
	});

	// A page's times are rendered in the visitor's zone: without the zone cookie in the key, a visitor in Arta was
	// served the page rendered for one in Tirana (the keys below were equal).
	it('keeps one copy per language and per time zone, none for a session', () => {
		const key = (cookie: string) => visitorKey('/forum', cookie, 'sq');
		expect(key('PARAGLIDE_LOCALE=el; kuvend_tz=Europe/Athens')).not.toBe(key('PARAGLIDE_LOCALE=el; kuvend_tz=Europe/Tirane'));
		expect(key('PARAGLIDE_LOCALE=el')).not.toBe(key('PARAGLIDE_LOCALE=en'));
		expect(key('kuvend_session=abc; kuvend_tz=Europe/Athens')).toBeNull();
	});

	it('does not keep a page rendered while the content changed', () => {
		const cache = new PageCache();
		const before = cache.version;
		cache.invalidate(); // a reply landed during the render
		cache.set('k', before, page('stale'));
		expect(cache.get('k')).toBeUndefined();
	});

	it('lets entries expire and stays within its size, least recently used out first', () => {
		let now = 1_700_000_000_000;
		// Each entry counts its key too: 10 bytes of page and 1 or 2 of key, 12 at most (an eighth of 96).
		const cache = new PageCache(96, 1000, () => now);
		cache.set('a', 0, page('x'.repeat(10)));
		cache.set('b', 0, page('x'.repeat(10)));
		expect(cache.get('a')).toBeDefined(); // a is now the most recent
		for (let i = 0; i < 7; i++) cache.set(`c${i}`, 0, page('x'.repeat(10)));
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('a')).toBeDefined();
		now += 2000;
		expect(cache.get('a')).toBeUndefined();
		// A key alone longer than an entry may be is not kept, whatever its page.
		cache.set('k'.repeat(13), 0, page(''));
		expect(cache.get('k'.repeat(13))).toBeUndefined();
	});
});

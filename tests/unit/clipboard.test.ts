import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyText } from '$lib/components/clipboard';

describe('copyText', () => {
	afterEach(() => vi.unstubAllGlobals());

	it('says it copied when the clipboard took the text', async () => {
		const writeText = vi.fn(async () => undefined);
		vi.stubGlobal('navigator', { clipboard: { writeText } });
		expect(await copyText('ABCD-EFGH')).toBe(true);
		expect(writeText).toHaveBeenCalledWith('ABCD-EFGH');
	});

	it('says it failed when the browser refuses, so the page can tell the member', async () => {
		vi.stubGlobal('navigator', { clipboard: { writeText: async () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } });
		expect(await copyText('ABCD-EFGH')).toBe(false);
	});

	it('says it failed when there is no clipboard (an insecure page)', async () => {
		vi.stubGlobal('navigator', {});
		expect(await copyText('ABCD-EFGH')).toBe(false);
	});
});

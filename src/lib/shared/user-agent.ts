/** A readable "browser, system" pair from a User-Agent header, for the list of signed-in sessions. */
export function describeUserAgent(ua: string | null): { browser: string; os: string } | null {
	if (!ua) return null;
	const browser =
		/Edg\//.test(ua) ? 'Edge'
		: /OPR\//.test(ua) ? 'Opera'
		: /Firefox\//.test(ua) ? 'Firefox'
		: /(Chrome|Chromium|CriOS)\//.test(ua) ? 'Chrome'
		: /Safari\//.test(ua) ? 'Safari'
		: null;
	const os =
		/Android/.test(ua) ? 'Android'
		: /iPhone|iPad|iPod/.test(ua) ? 'iOS'
		: /Windows/.test(ua) ? 'Windows'
		: /Mac OS X|Macintosh/.test(ua) ? 'macOS'
		: /CrOS/.test(ua) ? 'ChromeOS'
		: /Linux/.test(ua) ? 'Linux'
		: null;
	return browser && os ? { browser, os } : null;
}

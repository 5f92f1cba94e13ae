/**
 * Pure input rules shared by the services. Each check returns a problem code (shown to the user through the
 * message catalogue as `form_error_<code>`) or null.
 */
export type Problem =
	| 'required'
	| 'too_long'
	| 'too_short'
	| 'email_invalid'
	| 'email_taken'
	| 'password_short'
	| 'password_common'
	| 'password_like_email'
	| 'password_mismatch'
	| 'password_wrong'
	| 'choose_one'
	| 'url_invalid'
	| 'member_unknown'
	| 'name_taken'
	| 'not_active_member'
	| 'logo_too_large'
	| 'logo_type'
	| 'group_archived';

export type Problems = Record<string, Problem>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const COMMON_PASSWORDS = new Set([
	'password',
	'password1',
	'password123',
	'1234567890',
	'12345678910',
	'qwertyuiop',
	'iloveyou123',
	'fjalekalimi',
	'fjalëkalimi',
	'kodikos123',
	'demo-kuvend',
	'kuvend12345',
	'shqiperia1',
	'tirana12345'
]);

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 200;

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

export function checkEmail(email: string): Problem | null {
	const e = normaliseEmail(email);
	if (!e) return 'required';
	if (e.length > 254) return 'too_long';
	return EMAIL.test(e) ? null : 'email_invalid';
}

export function checkPassword(password: string, email = ''): Problem | null {
	if (!password) return 'required';
	if (password.length < MIN_PASSWORD) return 'password_short';
	if (password.length > MAX_PASSWORD) return 'too_long';
	if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'password_common';
	const local = normaliseEmail(email).split('@')[0];
	if (local && local.length >= 4 && password.toLowerCase().includes(local)) return 'password_like_email';
	return null;
}

/**
 * Text as it may be stored: without NUL characters. PostgreSQL's text cannot hold U+0000 (the statement fails), and no
 * title, body, name or query means anything by one; SQLite would keep it, so both databases keep the same text. The
 * database drivers apply this to every string they are given (server/db/storable.ts): nothing typed anywhere reaches
 * either database with a NUL, whichever form, socket, API or document sent it.
 */
export function withoutNul(value: string): string {
	return value.includes('\0') ? value.replaceAll('\0', '') : value;
}

export function checkText(value: string, { required = true, min = 0, max = 200 } = {}): Problem | null {
	// Measured as it will be stored: a title of NULs is empty.
	const v = withoutNul(value).trim();
	if (!v) return required ? 'required' : null;
	if (v.length < min) return 'too_short';
	if (v.length > max) return 'too_long';
	return null;
}

export function checkUrl(value: string): Problem | null {
	const v = value.trim();
	if (!v) return null;
	try {
		const u = new URL(v);
		return u.protocol === 'http:' || u.protocol === 'https:' ? null : 'url_invalid';
	} catch {
		return 'url_invalid';
	}
}

/** Collects the problems of named checks, dropping the ones that passed. */
export function collect(checks: Record<string, Problem | null>): Problems {
	return Object.fromEntries(Object.entries(checks).filter(([, p]) => p !== null)) as Problems;
}

/** A URL-safe slug from a name, for organisation and group pages: Albanian and Greek letters are folded to ASCII. */
export function slugify(name: string, fallback = 'organisation'): string {
	const greek: Record<string, string> = {
		α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x',
		ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o'
	};
	const folded = name
		.toLowerCase()
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(/[α-ω]/g, (c) => greek[c] ?? '');
	return folded.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '') || fallback;
}

import { sanitizeHtml } from '../render/sanitize-html.js';
import { localizedSchema, type Localized } from '../../src/lib/shared/localized.js';
import { LOCALES, isLocale, type Locale } from '../../src/lib/shared/types.js';
import { checkEmail, checkUrl, type Problems } from './validation.js';
import { MAX_GOALS, MAX_LOGO_BYTES, MAX_WEBSITE, PROFILE_TEXTS, PROFILE_TEXT_KEYS, type ProfileText } from '../../src/lib/shared/network.js';

export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

/** What a coordinator sends to save the profile (texts as typed, before checking). */
export interface ProfileInput {
	texts: Record<ProfileText, Localized>;
	contactEmail: string;
	website: string;
	primaryLocale: string;
}

/** A checked profile, ready to store. */
export interface CheckedProfile {
	texts: Record<ProfileText, Localized>;
	contactEmail: string | null;
	website: string | null;
	primaryLocale: Locale;
}

/**
 * Checks a profile. Problems are keyed by form field (`name_sq`, `website`, ...): the name needs words in the primary
 * language or any other, each text has its own bound, the website must be http(s), the contact address an email.
 */
export function checkProfile(input: ProfileInput): { profile: CheckedProfile } | { problems: Problems } {
	const problems: Problems = {};
	const primaryLocale = isLocale(input.primaryLocale) ? input.primaryLocale : null;
	if (!primaryLocale) problems.primary_locale = 'choose_one';
	const texts = {} as Record<ProfileText, Localized>;
	for (const key of PROFILE_TEXT_KEYS) {
		const parsed = localizedSchema(PROFILE_TEXTS[key], key === 'name').safeParse(input.texts[key] ?? {});
		if (parsed.success) {
			texts[key] = parsed.data;
			continue;
		}
		for (const issue of parsed.error.issues) {
			const locale = issue.path[0];
			if (isLocale(locale)) problems[`${key}_${locale}`] = issue.code === 'too_big' ? 'too_long' : 'required';
			else problems[`${key}_${primaryLocale ?? 'sq'}`] = 'required';
		}
	}
	for (const locale of LOCALES) {
		if (goalsOf(texts.goals?.[locale] ?? '').length > MAX_GOALS && !problems[`goals_${locale}`]) problems[`goals_${locale}`] = 'too_long';
	}
	const email = input.contactEmail.trim();
	const emailProblem = email ? checkEmail(email) : null;
	if (emailProblem) problems.contact_email = emailProblem;
	const website = input.website.trim();
	if (website.length > MAX_WEBSITE) problems.website = 'too_long';
	else if (checkUrl(website)) problems.website = 'url_invalid';
	if (Object.keys(problems).length || !primaryLocale) return { problems };
	return { profile: { texts, contactEmail: email ? email.toLowerCase() : null, website: website ? new URL(website).href : null, primaryLocale } };
}

/** The goals written one a line, without empty lines. */
export function goalsOf(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter(Boolean);
}

/** An uploaded logo, checked: its type comes from its bytes, never from its name or the browser's word. */
export type CheckedLogo = { ok: true; type: LogoType; bytes: Buffer } | { ok: false; problem: 'logo_too_large' | 'logo_type' };

export function checkLogo(bytes: Buffer): CheckedLogo {
	if (bytes.length > MAX_LOGO_BYTES) return { ok: false, problem: 'logo_too_large' };
	const type = sniffImage(bytes);
	if (!type) return { ok: false, problem: 'logo_type' };
	if (type !== 'image/svg+xml') return { ok: true, type, bytes };
	const clean = sanitiseSvg(bytes.toString('utf8'));
	return clean ? { ok: true, type, bytes: Buffer.from(clean, 'utf8') } : { ok: false, problem: 'logo_type' };
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

/** PNG and JPEG by their magic bytes; SVG when the text (after a prolog, comments and a doctype) opens with <svg. */
export function sniffImage(bytes: Buffer): LogoType | null {
	const starts = (magic: number[]) => bytes.length > magic.length && magic.every((b, i) => bytes[i] === b);
	if (starts(PNG)) return 'image/png';
	if (starts(JPEG)) return 'image/jpeg';
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return null;
	}
	const head = text.replace(/^\uFEFF/, '').replace(/^(\s+|<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>)*/i, '');
	return /^<svg[\s>]/.test(head) ? 'image/svg+xml' : null;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

const SVG_TAGS = [
	'svg', 'g', 'defs', 'title', 'desc', 'symbol', 'use', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon',
	'text', 'tspan', 'linearGradient', 'radialGradient', 'stop', 'clipPath', 'mask', 'pattern'
];
const SVG_ATTRIBUTES = [
	'xmlns', 'xmlns:xlink', 'version', 'id', 'class', 'viewBox', 'preserveAspectRatio', 'width', 'height', 'x', 'y', 'x1', 'y1', 'x2', 'y2',
	'cx', 'cy', 'r', 'rx', 'ry', 'fx', 'fy', 'd', 'points', 'transform', 'fill', 'fill-opacity', 'fill-rule', 'clip-rule', 'stroke',
	'stroke-width', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin', 'stroke-miterlimit', 'stroke-dasharray', 'stroke-dashoffset',
	'opacity', 'clip-path', 'mask', 'offset', 'stop-color', 'stop-opacity', 'gradientUnits', 'gradientTransform', 'spreadMethod',
	'patternUnits', 'patternContentUnits', 'patternTransform', 'clipPathUnits', 'maskUnits', 'maskContentUnits', 'font-family',
	'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'letter-spacing', 'dx', 'dy', 'visibility', 'display',
	'href', 'xlink:href'
];

/** A reference inside the same file (`#id`) is the only link a logo may hold. */
const isLocalRef = (value: string) => /^#[\w.:-]*$/.test(value.trim());
/** `url(...)` in a paint or clip value may only point inside the file (`url(#id)`). */
const hasOutsideUrl = (value: string) => /url\s*\(\s*(?!['"]?#)/i.test(value) || /(javascript|data|vbscript)\s*:/i.test(value);

/**
 * Keeps the drawing of an SVG and nothing that runs or fetches: an allowlist of shapes, paint and text (no script,
 * no style, no foreignObject, no animation), no on* attributes, links only to `#ids` in the file, `url()` only to
 * `#ids`. Null when no svg element is left.
 */
export function sanitiseSvg(svg: string): string | null {
	const clean = sanitizeHtml(svg, {
		allowedTags: SVG_TAGS,
		allowedAttributes: { '*': SVG_ATTRIBUTES },
		allowedSchemes: [],
		allowedSchemesAppliedToAttributes: [],
		allowProtocolRelative: false,
		nonTextTags: ['script', 'style', 'foreignObject', 'foreignobject', 'textarea', 'noscript', 'iframe'],
		parser: { lowerCaseTags: false, lowerCaseAttributeNames: false },
		transformTags: {
			'*': (tagName, attribs) => {
				const kept: Record<string, string> = {};
				for (const [name, value] of Object.entries(attribs)) {
					if (name === 'href' || name === 'xlink:href') {
						if (isLocalRef(value)) kept[name] = value.trim();
					} else if (name === 'xmlns') kept[name] = SVG_NS;
					else if (name === 'xmlns:xlink') kept[name] = XLINK_NS;
					else if (!hasOutsideUrl(value)) kept[name] = value;
				}
				if (tagName === 'svg') kept.xmlns = SVG_NS;
				return { tagName, attribs: kept };
			}
		}
	}).trim();
	return clean.startsWith('<svg') ? clean : null;
}

import type { Db } from '../db/client.js';
import { findNetworkProfile, saveNetworkProfile } from '../db/repositories/network-profile.repository.js';
import { insertAudit } from '../db/repositories/membership.repository.js';
import type { NetworkProfileRow } from '../db/database.js';
import { hasRole, type Actor } from '../domain/permissions.js';
import { checkLogo, checkProfile, goalsOf, type LogoType, type ProfileInput } from '../domain/network-profile.js';
import type { EventBus } from '../events/bus.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import { localized, parseLocalized, storeLocalized, type Localized } from '../../src/lib/shared/localized.js';
import { LOGO_PATH, PRODUCT_NAME, PROFILE_TEXT_KEYS, type NetworkView, type ProfileText } from '../../src/lib/shared/network.js';
import { isLocale, type Locale } from '../../src/lib/shared/types.js';
import { createHash } from 'node:crypto';
import type { Authenticated } from './auth.service.js';

/** The profile as a coordinator edits it: every language of every text, as stored. */
export interface ProfileDraft {
	texts: Record<ProfileText, Localized>;
	contactEmail: string;
	website: string;
	primaryLocale: Locale;
	logoUrl: string | null;
}

/** What to do with the logo on a save: keep it, replace it with an upload, or remove it. */
export type LogoChange = { kind: 'keep' } | { kind: 'remove' } | { kind: 'upload'; bytes: Buffer };

interface Loaded {
	texts: Record<ProfileText, Localized>;
	contactEmail: string | null;
	website: string | null;
	primaryLocale: Locale;
	logo: { bytes: Buffer; type: LogoType; etag: string } | null;
}

const EMPTY: Loaded = {
	texts: Object.fromEntries(PROFILE_TEXT_KEYS.map((k) => [k, {}])) as Record<ProfileText, Localized>,
	contactEmail: null,
	website: null,
	primaryLocale: 'sq',
	logo: null
};

/**
 * The network's profile: anyone reads it (every page's title and footer do), only coordinators change it. It is
 * read once at start and kept in memory, so pages and mail pay no query; a save replaces the copy after commit.
 */
export class NetworkProfileService {
	#loaded: Loaded = EMPTY;

	constructor(
		private readonly db: Db,
		private readonly bus: EventBus,
		private readonly clock: () => number = Date.now
	) {}

	/** Reads the stored profile into memory (at start, and after each save). */
	async load(): Promise<void> {
		this.#loaded = toLoaded(await findNetworkProfile(this.db));
	}

	/** The profile in `locale`: an empty language falls back to the primary one; no profile reads as neutral texts. */
	view(locale: Locale): NetworkView {
		const p = this.#loaded;
		const text = (key: ProfileText) => localized(p.texts[key], locale, p.primaryLocale);
		const name = text('name');
		return {
			name: name || PRODUCT_NAME,
			shortName: text('short_name') || name || PRODUCT_NAME,
			named: name !== '',
			tagline: text('tagline'),
			about: text('about'),
			goals: goalsOf(text('goals')),
			founded: text('founded'),
			contactEmail: p.contactEmail,
			website: p.website,
			logoUrl: p.logo ? `${LOGO_PATH}?v=${p.logo.etag}` : null,
			primaryLocale: p.primaryLocale
		};
	}

	/** The language the network writes first (and its fallback). */
	get primaryLocale(): Locale {
		return this.#loaded.primaryLocale;
	}

	/** The logo's bytes and checked type, or null. */
	logo(): Loaded['logo'] {
		return this.#loaded.logo;
	}

	/** The profile with all its languages, for the coordinators' form. */
	draft(auth: Authenticated | null): ProfileDraft {
		this.#coordinator(auth);
		const p = this.#loaded;
		return {
			texts: p.texts,
			contactEmail: p.contactEmail ?? '',
			website: p.website ?? '',
			primaryLocale: p.primaryLocale,
			logoUrl: this.view(p.primaryLocale).logoUrl
		};
	}

	/**
	 * Saves the profile (audited). Bad input changes nothing and names each field's problem; an uploaded logo is
	 * checked by its bytes (PNG, JPEG or SVG, at most 1 MB) and an SVG is kept only as sanitised.
	 */
	async save(auth: Authenticated | null, input: ProfileInput, logo: LogoChange = { kind: 'keep' }): Promise<void> {
		const coordinator = this.#coordinator(auth);
		const checked = checkProfile(input);
		const problems = 'problems' in checked ? { ...checked.problems } : {};
		const upload = logo.kind === 'upload' ? checkLogo(logo.bytes) : null;
		if (upload && !upload.ok) problems.logo = upload.problem;
		if (!('profile' in checked) || (upload && !upload.ok) || Object.keys(problems).length) {
			throw new DomainError('invalid_input', 'the profile was refused', problems);
		}
		const { profile } = checked;
		const now = this.clock();
		const logoColumns =
			upload?.ok === true
				? { logo: upload.bytes.toString('base64'), logo_mime: upload.type, logo_etag: etagOf(upload.bytes) }
				: logo.kind === 'remove'
					? { logo: null, logo_mime: null, logo_etag: null }
					: {};
		await this.db.transaction().execute(async (trx) => {
			await saveNetworkProfile(trx, {
				...(Object.fromEntries(PROFILE_TEXT_KEYS.map((k) => [k, storeLocalized(profile.texts[k])])) as Record<ProfileText, string>),
				contact_email: profile.contactEmail,
				website: profile.website,
				primary_locale: profile.primaryLocale,
				...logoColumns,
				updated_at: now,
				updated_by: coordinator.id
			});
			await insertAudit(trx, {
				actor_id: coordinator.id,
				action: 'network.profile_saved',
				subject_type: 'network',
				subject_id: '1',
				data: { logo: upload?.ok ? upload.type : logo.kind === 'remove' ? 'removed' : 'kept' },
				created_at: now
			});
		});
		await this.load();
		this.bus.emit('network.profile_changed', { by: coordinator.id });
	}

	#coordinator(auth: Authenticated | null): Actor {
		if (!auth) throw new DomainError('unauthenticated');
		if (!hasRole(auth.actor, 'coordinator')) throw new DomainError('forbidden');
		return auth.actor;
	}
}

/** A strong validator for the logo's bytes: the same file always gets the same tag. */
const etagOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 32);

function toLoaded(row: NetworkProfileRow | undefined): Loaded {
	if (!row) return EMPTY;
	const type = row.logo_mime as LogoType | null;
	const bytes = row.logo ? Buffer.from(row.logo, 'base64') : null;
	return {
		texts: Object.fromEntries(PROFILE_TEXT_KEYS.map((k) => [k, parseLocalized(row[k])])) as Record<ProfileText, Localized>,
		contactEmail: row.contact_email,
		website: row.website,
		primaryLocale: isLocale(row.primary_locale) ? row.primary_locale : 'sq',
		logo: bytes && type ? { bytes, type, etag: row.logo_etag ?? etagOf(bytes) } : null
	};
}

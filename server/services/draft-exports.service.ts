import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import * as repo from '../db/repositories/draft.repository.js';
import { confirmations, translationVersions } from '../db/repositories/draft-translation.repository.js';
import { SlidingWindow } from '../domain/rate-limit.js';
import { slugify } from '../domain/validation.js';
import { ExportPool } from '../render/export-pool.js';
import type { BesideJob, ExportJob } from '../render/export.renderer.js';
import { jsonOf, withoutSuggestions } from '../render/prosemirror-json.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { ExportFormat } from '../../src/lib/shared/drafts.js';
import { translationDocName } from '../../src/lib/shared/translations.js';
import { isLocale, type Locale } from '../../src/lib/shared/types.js';
import type { Authenticated } from './auth.service.js';
import { besideWords } from './draft-export-words.js';
import type { DraftTranslations } from './draft-translations.service.js';
import { docNameOf, type DraftParts } from './drafts.service.js';

export interface ExportFile {
	filename: string;
	contentType: string;
	body: Buffer | string;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
	md: 'text/markdown; charset=utf-8',
	html: 'text/html; charset=utf-8',
	pdf: 'application/pdf'
};

/** What `beside` may name: the text a translation is printed beside (the only one, for now: its source). */
const BESIDE_SOURCE = 'source';

/** Exports one address may ask for in a minute: a person downloads a few; a loop asking for PDFs is stopped. */
const PER_ADDRESS = { limit: 30, windowMs: 60_000 };
/** Rendered files kept for the next download of the same text (bytes). */
const CACHE_BYTES = 64 * 1024 * 1024;

type Version = NonNullable<Awaited<ReturnType<typeof repo.findVersion>>>;
/** One language's text as ProseMirror JSON, and its hash. */
type Text = { content: string; hash: string };

/**
 * A draft as a file to download: Markdown, HTML or PDF, of a version or of the text as it is now, in its source
 * language, in one translation, or (a PDF) a translation beside its source. Files are rendered in worker threads
 * (ExportPool) and kept by what they are made of, so the same text in the same format and language is rendered once.
 */
export class DraftExports {
	readonly #pool = new ExportPool();
	readonly #perAddress = new SlidingWindow(PER_ADDRESS);
	readonly #cache = new LRUCache<string, Buffer>({ maxSize: CACHE_BYTES, sizeCalculation: (body) => Math.max(1, body.byteLength) });

	constructor(
		private readonly p: DraftParts,
		private readonly translations: DraftTranslations
	) {}

	/**
	 * `text`: a translation's language, to export it instead of the source (null: the source). `beside`: 'source' to
	 * print that translation beside the source, paragraph by paragraph (a PDF only). `lang`: the reader's language.
	 */
	async file(
		auth: Authenticated | null,
		id: number,
		format: ExportFormat,
		versionNumber: number | null,
		lang: string,
		address: string,
		text: string | null = null,
		beside: string | null = null
	): Promise<ExportFile> {
		const { draft } = await this.p.readable(auth, id);
		if (text !== null && (!isLocale(text) || !(await this.translations.languages(draft.id)).includes(text))) throw new DomainError('not_found');
		// Nothing else is printed beside anything: a side-by-side file of the source alone, or in Markdown, is no file.
		if (beside !== null && (beside !== BESIDE_SOURCE || text === null || format !== 'pdf')) throw new DomainError('not_found');
		this.#limit(address);
		const version = versionNumber ? ((await repo.findVersion(this.p.db, draft.id, versionNumber)) ?? null) : null;
		if (versionNumber && !version) throw new DomainError('not_found');
		const translation = text ? await this.#text(draft.id, version, text as Locale) : null;
		const source = !translation || beside ? await this.#text(draft.id, version, null) : null;
		const subtitle = version ? `v${version.number}` : new Date(this.p.clock()).toISOString().slice(0, 10);
		const base = `${slugify(draft.title) || 'draft'}${version ? `-v${version.number}` : ''}`;
		let job: ExportJob;
		let name: string;
		if (translation && source) {
			const from = await this.translations.source(draft.id);
			const besideJob = await this.#beside(draft.id, version !== null, [from, text as Locale], [source, translation], lang);
			job = { format, content: source.content, title: draft.title, subtitle, lang, beside: besideJob };
			name = `${base}-${from}-${text}`;
		} else {
			const { content, hash } = (translation ?? source)!;
			job = { format, content, title: draft.title, subtitle: version ? `${subtitle} · ${hash.slice(0, 12)}` : subtitle, lang };
			name = text ? `${base}-${text}` : base;
		}
		// Kept by everything printed in it: the texts, the title, the date or version, the words around them.
		const key = createHash('sha256').update(JSON.stringify(job)).digest('hex');
		let body = this.#cache.get(key);
		if (!body) {
			body = await this.#pool.render(job);
			this.#cache.set(key, body);
		}
		return { filename: `${name}.${format}`, contentType: CONTENT_TYPES[format], body };
	}

	/** A translation to print beside its source: its text, the confirmations its paragraphs are marked by, the words around. */
	async #beside(draftId: number, hashed: boolean, [from, to]: [Locale, Locale], texts: [Text, Text], reader: string): Promise<BesideJob> {
		const words = besideWords(isLocale(reader) ? reader : from, from, to);
		// A version keeps no confirmations of its own: its paragraphs are marked against those that stand now (a
		// translation confirmed against the very text the version has is up to date in it). Sorted, so the same
		// confirmations make the same job, and hit the cache, whatever order the rows came in.
		const confirmed = [...(await confirmations(this.p.db, draftId, to))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		const columns = texts.map((t, i) => ({ label: words.columns[i], ...(hashed ? { hash: t.hash } : {}) }));
		return { content: texts[1].content, confirmed, columns: [columns[0], columns[1]], marks: words.marks };
	}

	/** One language's text (null: the source) as ProseMirror JSON with its hash: as the version took it, or as it is now. */
	async #text(draftId: number, version: Version | null, lang: Locale | null): Promise<Text> {
		if (version) {
			if (!lang) return version;
			const translated = (await translationVersions(this.p.db, version.id)).find((t) => t.lang === lang);
			if (!translated) throw new DomainError('not_found');
			return translated;
		}
		const content = JSON.stringify(withoutSuggestions(jsonOf(await this.p.documents.state(lang ? translationDocName(draftId, lang) : docNameOf(draftId)))));
		return { content, hash: createHash('sha256').update(content).digest('hex') };
	}

	#limit(address: string): void {
		const now = this.p.clock();
		this.#perAddress.sweep(now);
		const wait = this.#perAddress.waitFor(address, now);
		if (wait > 0) throw new DomainError('rate_limited', 'too many exports', { retryAfter: String(Math.ceil(wait / 1000)) });
		this.#perAddress.hit(address, now);
	}
}

import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import * as repo from '../db/repositories/draft.repository.js';
import { SlidingWindow } from '../domain/rate-limit.js';
import { slugify } from '../domain/validation.js';
import { ExportPool } from '../render/export-pool.js';
import type { ExportJob } from '../render/export.renderer.js';
import { jsonOf } from '../render/prosemirror-json.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { ExportFormat } from '../../src/lib/shared/drafts.js';
import type { Authenticated } from './auth.service.js';
import { listTranslations, translationVersions } from '../db/repositories/draft-translation.repository.js';
import { translationDocName } from '../../src/lib/shared/translations.js';
import { isLocale, type Locale } from '../../src/lib/shared/types.js';
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

/** Exports one address may ask for in a minute: a person downloads a few; a loop asking for PDFs is stopped. */
const PER_ADDRESS = { limit: 30, windowMs: 60_000 };
/** Rendered files kept for the next download of the same text (bytes). */
const CACHE_BYTES = 64 * 1024 * 1024;

/**
 * A draft as a file to download: Markdown, HTML or PDF, of a version or of the text as it is now. Files are
 * rendered in worker threads (ExportPool) and kept by what they are made of, so the same version in the same
 * format and language is rendered once.
 */
export class DraftExports {
	readonly #pool = new ExportPool();
	readonly #perAddress = new SlidingWindow(PER_ADDRESS);
	readonly #cache = new LRUCache<string, Buffer>({ maxSize: CACHE_BYTES, sizeCalculation: (body) => Math.max(1, body.byteLength) });

	constructor(private readonly p: DraftParts) {}

	/** `text`: a translation's language, to export it instead of the source (null: the source). */
	async file(auth: Authenticated | null, id: number, format: ExportFormat, versionNumber: number | null, lang: string, address: string, text: string | null = null): Promise<ExportFile> {
		const { draft } = await this.p.readable(auth, id);
		if (text !== null && (!isLocale(text) || !(await listTranslations(this.p.db, draft.id)).includes(text))) throw new DomainError('not_found');
		this.#limit(address);
		let job: ExportJob;
		let identity: string;
		if (versionNumber) {
			const row = await repo.findVersion(this.p.db, draft.id, versionNumber);
			if (!row) throw new DomainError('not_found');
			const translated = text ? (await translationVersions(this.p.db, row.id)).find((t) => t.lang === text) : null;
			if (text && !translated) throw new DomainError('not_found');
			const { content, hash } = translated ?? row;
			job = { format, content, title: draft.title, subtitle: `v${row.number} · ${hash.slice(0, 12)}`, lang };
			identity = hash;
		} else {
			const content = JSON.stringify(jsonOf(await this.p.documents.state(text ? translationDocName(draft.id, text as Locale) : docNameOf(draft.id))));
			job = { format, content, title: draft.title, subtitle: new Date(this.p.clock()).toISOString().slice(0, 10), lang };
			identity = createHash('sha256').update(content).digest('hex');
		}
		// The title and date are printed in the file, so they are part of what it is made of.
		const key = JSON.stringify([identity, format, lang, job.title, job.subtitle]);
		let body = this.#cache.get(key);
		if (!body) {
			body = await this.#pool.render(job);
			this.#cache.set(key, body);
		}
		const base = `${slugify(draft.title) || 'draft'}${versionNumber ? `-v${versionNumber}` : ''}${text ? `-${text}` : ''}`;
		return { filename: `${base}.${format}`, contentType: CONTENT_TYPES[format], body };
	}

	#limit(address: string): void {
		const now = this.p.clock();
		this.#perAddress.sweep(now);
		const wait = this.#perAddress.waitFor(address, now);
		if (wait > 0) throw new DomainError('rate_limited', 'too many exports', { retryAfter: String(Math.ceil(wait / 1000)) });
		this.#perAddress.hit(address, now);
	}
}

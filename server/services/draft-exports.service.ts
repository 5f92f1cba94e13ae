import * as repo from '../db/repositories/draft.repository.js';
import { slugify } from '../domain/validation.js';
import { toHtml } from '../render/html.renderer.js';
import { escapeMd, toMarkdown } from '../render/markdown.renderer.js';
import { toPdf } from '../render/pdf.renderer.js';
import { jsonOf, type PmNode } from '../render/prosemirror-json.js';
import { DomainError } from '../../src/lib/shared/errors.js';
import type { ExportFormat } from '../../src/lib/shared/drafts.js';
import type { Authenticated } from './auth.service.js';
import { docNameOf, type DraftParts } from './drafts.service.js';

export interface ExportFile {
	filename: string;
	contentType: string;
	body: Buffer | string;
}

/** A draft as a file to download: Markdown, HTML or PDF, of a version or of the text as it is now. */
export class DraftExports {
	constructor(private readonly p: DraftParts) {}

	async file(auth: Authenticated | null, id: number, format: ExportFormat, versionNumber: number | null, lang: string): Promise<ExportFile> {
		const { draft } = await this.p.readable(auth, id);
		let json: PmNode;
		let subtitle: string;
		if (versionNumber) {
			const row = await repo.findVersion(this.p.db, draft.id, versionNumber);
			if (!row) throw new DomainError('not_found');
			json = JSON.parse(row.content) as PmNode;
			subtitle = `v${row.number} · ${row.hash.slice(0, 12)}`;
		} else {
			json = jsonOf(await this.p.documents.state(docNameOf(draft.id)));
			subtitle = new Date(this.p.clock()).toISOString().slice(0, 10);
		}
		const base = `${slugify(draft.title) || 'draft'}${versionNumber ? `-v${versionNumber}` : ''}`;
		if (format === 'md') return { filename: `${base}.md`, contentType: 'text/markdown; charset=utf-8', body: `# ${escapeMd(draft.title)}\n\n${toMarkdown(json)}` };
		if (format === 'html') return { filename: `${base}.html`, contentType: 'text/html; charset=utf-8', body: toHtml(json, { title: draft.title, lang }) };
		return { filename: `${base}.pdf`, contentType: 'application/pdf', body: await toPdf(json, { title: draft.title, subtitle, lang }) };
	}
}

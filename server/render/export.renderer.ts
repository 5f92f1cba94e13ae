import { pairBlocks } from './bilingual-rows.js';
import { toHtml } from './html.renderer.js';
import { escapeMd, toMarkdown } from './markdown.renderer.js';
import { toBilingualPdf, type BilingualOptions } from './pdf-bilingual.renderer.js';
import { toPdf } from './pdf.renderer.js';
import type { PmNode } from './prosemirror-json.js';
import type { ExportFormat } from '../../src/lib/shared/drafts.js';

/** A translation printed beside the text, paragraph by paragraph (in a PDF). */
export interface BesideJob {
	/** The translation as ProseMirror JSON. */
	content: string;
	/** Block id → the source text its translation was confirmed against. */
	confirmed: [string, string][];
	columns: BilingualOptions['columns'];
	marks: BilingualOptions['marks'];
}

/** What an export is made from: the text as ProseMirror JSON (a string, so it crosses to a worker cheaply) and its heading. */
export interface ExportJob {
	format: ExportFormat;
	content: string;
	title: string;
	subtitle: string;
	lang: string;
	beside?: BesideJob;
}

/** A draft as the bytes of a file in one format. */
export async function renderExport({ format, content, title, subtitle, lang, beside }: ExportJob): Promise<Buffer> {
	const json = JSON.parse(content) as PmNode;
	if (beside) {
		const rows = pairBlocks(json, JSON.parse(beside.content) as PmNode, new Map(beside.confirmed));
		return toBilingualPdf(rows, { title, subtitle, lang, columns: beside.columns, marks: beside.marks });
	}
	if (format === 'md') return Buffer.from(`# ${escapeMd(title)}\n\n${toMarkdown(json)}`);
	if (format === 'html') return Buffer.from(toHtml(json, { title, lang }));
	return toPdf(json, { title, subtitle, lang });
}

import { toHtml } from './html.renderer.js';
import { escapeMd, toMarkdown } from './markdown.renderer.js';
import { toPdf } from './pdf.renderer.js';
import type { PmNode } from './prosemirror-json.js';
import type { ExportFormat } from '../../src/lib/shared/drafts.js';

/** What an export is made from: the text as ProseMirror JSON (a string, so it crosses to a worker cheaply) and its heading. */
export interface ExportJob {
	format: ExportFormat;
	content: string;
	title: string;
	subtitle: string;
	lang: string;
}

/** A draft as the bytes of a file in one format. */
export async function renderExport({ format, content, title, subtitle, lang }: ExportJob): Promise<Buffer> {
	const json = JSON.parse(content) as PmNode;
	if (format === 'md') return Buffer.from(`# ${escapeMd(title)}\n\n${toMarkdown(json)}`);
	if (format === 'html') return Buffer.from(toHtml(json, { title, lang }));
	return toPdf(json, { title, subtitle, lang });
}

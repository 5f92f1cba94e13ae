import * as Y from 'yjs';
import { docNameOf } from '../../../server/services/drafts.service.js';
import type { TestApp } from './app.js';
import type { Person } from './votes.js';
import { writeParagraphs } from './yjs.js';

const b64 = (rel: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rel)).toString('base64');

/** Anchors for characters [from, to) of paragraph `i` of a draft's text as the server holds it. */
export async function anchorsIn(app: TestApp, draftId: number, i: number, from: number, to: number) {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, await app.ctx.services.documents.state(docNameOf(draftId)));
	const text = (doc.getXmlFragment('default').get(i) as Y.XmlElement).get(0) as Y.XmlText;
	return { anchorStart: b64(Y.createRelativePositionFromTypeIndex(text, from)), anchorEnd: b64(Y.createRelativePositionFromTypeIndex(text, to, -1)) };
}

/** A members' draft by `author` whose text is these paragraphs. */
export async function draftWith(app: TestApp, author: Person, texts: string[], title = 'Rregullorja e festivalit'): Promise<number> {
	const id = await app.ctx.services.drafts.create(author.auth, { title, summary: '', group: '', field: 'music', visibility: 'members' });
	await app.ctx.services.documents.change(docNameOf(id), (doc) => writeParagraphs(doc, texts));
	return id;
}

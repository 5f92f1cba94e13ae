import * as Y from 'yjs';
import type { Db } from '../client.js';
import type { DocumentsService } from '../../services/documents.service.js';
import { docNameOf, type DraftsService } from '../../services/drafts.service.js';
import { actingAs } from './forum.js';

type Block = { h: 1 | 2 | 3; text: string } | { p: string } | { ul: string[] } | { table: string[][] };

/** Writes blocks as the editor's binding stores them: ProseMirror nodes as Y.XmlElements, text in Y.XmlText. */
function write(doc: Y.Doc, blocks: Block[]): void {
	const fragment = doc.getXmlFragment('default');
	const paragraph = (text: string, name = 'paragraph', attrs: Record<string, string> = {}) => {
		const el = new Y.XmlElement(name);
		for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
		el.insert(0, [new Y.XmlText(text)]);
		return el;
	};
	const wrap = (name: string, children: Y.XmlElement[]) => {
		const el = new Y.XmlElement(name);
		el.insert(0, children);
		return el;
	};
	for (const b of blocks) {
		if ('h' in b) fragment.push([paragraph(b.text, 'heading', { level: String(b.h) })]);
		else if ('p' in b) fragment.push([paragraph(b.p)]);
		else if ('ul' in b) fragment.push([wrap('bulletList', b.ul.map((t) => wrap('listItem', [paragraph(t)])))]);
		else fragment.push([wrap('table', b.table.map((row, r) => wrap('tableRow', row.map((cell) => wrap(r === 0 ? 'tableHeader' : 'tableCell', [paragraph(cell)])))))]);
	}
}

/** Anchors (base64 relative positions) around the first occurrence of `words` in the document, as the editor makes them. */
function anchorsOf(doc: Y.Doc, words: string): { anchorStart: string; anchorEnd: string; quote: string } {
	const texts: Y.XmlText[] = [];
	const walk = (node: Y.XmlElement | Y.XmlFragment) =>
		node.toArray().forEach((child) => (child instanceof Y.XmlText ? texts.push(child) : walk(child as Y.XmlElement)));
	walk(doc.getXmlFragment('default'));
	for (const t of texts) {
		const at = t.toString().indexOf(words);
		if (at < 0) continue;
		const b64 = (rel: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rel)).toString('base64');
		return {
			anchorStart: b64(Y.createRelativePositionFromTypeIndex(t, at)),
			anchorEnd: b64(Y.createRelativePositionFromTypeIndex(t, at + words.length, -1)),
			quote: words
		};
	}
	throw new Error(`"${words}" is not in the demo text`);
}

/** Demo drafts: the network's position on the culture law (in review, with comments), a charter being drafted, and
 * internal rules frozen for a vote with an amendment. Written through the real services. */
export async function seedDemoDrafts(db: Db, drafts: DraftsService, documents: DocumentsService): Promise<void> {
	const elira = await actingAs(db, 'coordinator@demo.test');
	const arben = await actingAs(db, 'member1@demo.test');
	const maria = await actingAs(db, 'member2@demo.test');
	const nikos = await actingAs(db, 'moderator@demo.test');

	const law = await drafts.create(elira, {
		title: 'Qëndrimi i rrjetit për ligjin e ri të kulturës',
		summary: 'Dokumenti që rrjeti do t’i dërgojë Ministrisë në konsultimin publik.',
		group: '',
		field: 'cultural-policy',
		visibility: 'public'
	});
	const lawText = new Y.Doc();
	await documents.change(docNameOf(law), (doc) => {
		write(doc, [
			{ h: 1, text: 'Qëndrimi i rrjetit për ligjin e ri të kulturës' },
			{ p: 'Rrjeti i organizatave të pavarura kulturore mirëpret konsultimin publik dhe paraqet këto propozime.' },
			{ h: 2, text: 'Parimet' },
			{ ul: ['Akses i barabartë në fondet publike për organizatat e pavarura.', 'Kritere të hapura dhe juri të pavarura.', 'Mbështetje shumëvjeçare për hapësirat kulturore.'] },
			{ h: 2, text: 'Fondet' },
			{ p: 'Propozojmë që të paktën 30% e buxhetit të programeve kombëtare të shkojë te skena e pavarur.' },
			{ table: [['Programi', 'Sot', 'Propozimi'], ['Festivalet', '12%', '20%'], ['Rezidencat', '3%', '10%']] }
		]);
		Y.applyUpdate(lawText, Y.encodeStateAsUpdate(doc));
	});
	await drafts.saveVersion(elira, law, 'Drafti i parë');
	await drafts.setStatus(elira, law, 'review');
	const first = await drafts.comment(maria, law, { body: 'A kemi të dhëna për 30%? Do të ishte mirë ta argumentojmë.', ...anchorsOf(lawText, 'të paktën 30%') });
	await drafts.comment(elira, law, { body: 'Po, nga raporti i vitit të kaluar. E shtoj në shënim.', parentId: first });
	await drafts.comment(arben, law, { body: 'Të shtojmë edhe bashkitë, jo vetëm ministrinë.', ...anchorsOf(lawText, 'juri të pavarura') });

	await drafts.create(arben, {
		title: 'Karta e etikës së rrjetit',
		summary: 'Si punojmë së bashku: transparencë, kujdes, vendime të hapura.',
		group: '',
		field: 'cultural-policy',
		visibility: 'members'
	});

	const rules = await drafts.create(nikos, {
		title: 'Rregullorja e brendshme e rrjetit',
		summary: 'Si mblidhemi, si votojmë, si ndajmë përgjegjësitë.',
		group: '',
		field: 'cultural-policy',
		visibility: 'members'
	});
	const rulesText = new Y.Doc();
	await documents.change(docNameOf(rules), (doc) => {
		write(doc, [
			{ h: 1, text: 'Rregullorja e brendshme' },
			{ p: 'Asambleja e rrjetit mblidhet dy herë në vit, një herë në Shqipëri dhe një herë në Greqi.' },
			{ p: 'Vendimet merren me shumicë të thjeshtë të votave të dhëna, përveç ndryshimeve të kësaj rregulloreje.' }
		]);
		Y.applyUpdate(rulesText, Y.encodeStateAsUpdate(doc));
	});
	await drafts.setStatus(nikos, rules, 'frozen');
	const passage = anchorsOf(rulesText, 'dy herë në vit');
	await drafts.propose(maria, rules, { anchorStart: passage.anchorStart, anchorEnd: passage.anchorEnd, replacement: 'tri herë në vit, njëra prej tyre në internet', reason: 'Që të marrin pjesë edhe anëtarët larg Tiranës dhe Athinës.' });
}

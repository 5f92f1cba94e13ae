import * as Y from 'yjs';
import type { Db } from '../client.js';
import type { DocumentsService } from '../../services/documents.service.js';
import { docNameOf, type DraftsService } from '../../services/drafts.service.js';
import { actingAs } from './forum.js';
import { appendBlocks as write, type Block } from '../../services/doc-blocks.js';

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

import type { Db } from '../client.js';
import type { ForumWritingService } from '../../services/forum-writing.service.js';
import { toActor, toViewer, type Authenticated } from '../../services/auth.service.js';

/** Acting as a demo member, for seeding through the real services (counters, search index, notifications). */
export async function actingAs(db: Db, email: string): Promise<Authenticated & { id: number; name: string }> {
	const u = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
	return {
		id: u.id,
		name: u.display_name,
		actor: toActor(u),
		viewer: toViewer(u),
		sessionId: 'seed',
		expiresAt: 0,
		extended: false
	};
}

const mention = (p: { id: number; name: string }) => `@[${p.name}](member:${p.id})`;

/** A few debates in the demo network: a public one on cultural policy, a members-only one, a group's own. */
export async function seedDemoForum(db: Db, forum: ForumWritingService): Promise<void> {
	await db.updateTable('categories').set({ visibility: 'public' }).where('slug', 'in', ['cultural-policy', 'cultural-heritage']).execute();
	const elira = await actingAs(db, 'coordinator@demo.test');
	const nikos = await actingAs(db, 'moderator@demo.test');
	const arben = await actingAs(db, 'member1@demo.test');
	const maria = await actingAs(db, 'member2@demo.test');
	const blerina = await actingAs(db, 'member3@demo.test');
	const gentian = await actingAs(db, 'member5@demo.test');

	const law = await forum.createThread(elira, {
		category: 'cultural-policy',
		title: 'Propozim: qëndrimi i rrjetit për ligjin e ri të kulturës',
		tags: 'ligji, advokim',
		body: [
			'Ministria ka hapur konsultimin për **ligjin e ri për artin dhe kulturën**. Propozoj që rrjeti të dërgojë një qëndrim të përbashkët deri më 15 dhjetor.',
			'',
			'Pikat që sugjeroj:',
			'1. Akses i barabartë në fondet publike për organizatat e pavarura;',
			'2. Kritere të hapura dhe juri të pavarura;',
			'3. Hapësira publike për veprimtari kulturore.',
			'',
			`${mention(arben)}, ${mention(maria)}: a mund të ndani përvojën nga Vlora dhe Arta?`
		].join('\n')
	});
	const r1 = await forum.reply(arben, law, null, 'Dakord me pikën 1. Në Vlorë, mungesa e lehtësirave është problemi kryesor: shumica e shfaqjeve bëhen në hapësira private.');
	await forum.reply(maria, law, r1, 'Στην Άρτα έχουμε παρόμοια εμπειρία· ο δήμος δίνει χώρους μόνο σε δημόσιους φορείς. Μπορούμε να προσθέσουμε ένα παράδειγμα από τη συνεργασία Interreg.');
	await forum.reply(elira, law, r1, `Faleminderit! ${mention(blerina)}, a mund ta shtosh edhe përvojën e Korçës?`);
	await forum.reply(gentian, law, null, 'I suggest we also ask for **multi-year funding**: one-year grants make planning impossible for small publishers.');

	const budget = await forum.createThread(blerina, {
		category: 'legislation-advocacy',
		title: 'Buxheti 2027: çfarë kërkojmë nga bashkitë',
		tags: 'buxheti',
		body: 'Bashkitë po hartojnë buxhetin e vitit 2027. Le të mbledhim këtu kërkesat e çdo qyteti para mbledhjes së muajit të ardhshëm.'
	});
	await forum.reply(nikos, budget, null, 'Από την Κέρκυρα: χρειαζόμαστε ένα μικρό ταμείο για φεστιβάλ γειτονιάς και στέγη για το μουσικό εργαστήρι.');

	await forum.createThread(blerina, {
		category: 'group-klasteri-korce',
		title: 'Takimi i klasterit në Korçë, janar',
		tags: 'takim',
		body: 'Propozoj të takohemi në fillim të janarit në hapësirën e bashkëpunimit. Cilat data ju përshtaten?'
	});
}

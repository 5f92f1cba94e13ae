import type { Db } from '../client.js';
import type { ForumWritingService } from '../../services/forum-writing.service.js';
import { actingAs } from './forum.js';
import { seedNetwork, type NetworkSeed } from './network.js';

/**
 * The InClust network (Interreg IPA CBC Greece–Albania 2014-2020), seeded as its own network by `SEED=inclust`
 * from ../shared/seeds/001_*.txt: four local cultural and creative clusters (Arta, Corfu, Vlora, Korça), the
 * Greek–Albanian meta-cluster, a Cultural Alliance, a Consortium and a Research Community. Primary language Greek.
 * Organisations and people are fictional.
 */
const TEXTS: NetworkSeed['profile']['texts'] = {
	name: {
		el: 'InClust — Δίκτυο Πολιτιστικών και Δημιουργικών Συμπλεγμάτων Ελλάδας–Αλβανίας',
		en: 'InClust — Greek–Albanian Network of Cultural and Creative Clusters',
		sq: 'InClust — Rrjeti greko-shqiptar i grupimeve kulturore dhe krijuese'
	},
	short_name: { el: 'InClust', en: 'InClust', sq: 'InClust' },
	tagline: {
		el: 'Οι πολιτιστικές και δημιουργικές βιομηχανίες ως μοχλός για τις πόλεις μας.',
		en: 'Cultural and creative industries as a lever for our cities.',
		sq: 'Industritë kulturore dhe krijuese si levë për qytetet tona.'
	},
	about: {
		el: 'Τέσσερα τοπικά πολιτιστικά και δημιουργικά συμπλέγματα σε Άρτα, Κέρκυρα, Αυλώνα και Κορυτσά, με τους χώρους συνεργασίας τους, ένα ελληνοαλβανικό μετα-σύμπλεγμα, μια Πολιτιστική Συμμαχία, μια Κοινοπραξία και μια Ερευνητική Κοινότητα. Οι δημιουργοί τέχνης και πολιτισμού συνεργάζονται στενά για να κερδίσουν από την ομαδική δουλειά και τις οικονομίες κλίμακας.',
		en: 'Four local cultural and creative clusters in Arta, Corfu, Vlora and Korça, with their co-working spaces, a Greek–Albanian meta-cluster, a Cultural Alliance, a Consortium and a Research Community. Producers of art and culture work closely together to gain from teamwork and economies of scale.',
		sq: 'Katër grupime lokale kulturore dhe krijuese në Artë, Korfuz, Vlorë dhe Korçë, me hapësirat e tyre të bashkëpunimit, një meta-klaster greko-shqiptar, një Aleancë Kulturore, një Konsorcium dhe një Komunitet Kërkimesh. Prodhuesit e artit dhe kulturës bashkëpunojnë ngushtë për të përfituar nga puna në ekip dhe ekonomitë e shkallës.'
	},
	goals: {
		el: 'Στήριξη της πολιτιστικής επιχειρηματικότητας: προώθηση και δικτύωση, καινοτόμες συμπράξεις δημόσιου και ιδιωτικού τομέα, κοινωνικές επιχειρήσεις.\nΚοινωνική συνοχή και ίσες ευκαιρίες για άτομα και ομάδες που κινδυνεύουν με αποκλεισμό.\nΜόνιμες και εποχικές θέσεις εργασίας, οικονομίες κλίμακας και τοπική ανάπτυξη.\nΠερισσότεροι επισκέπτες, από τη χώρα και το εξωτερικό, στις τοπικές εκδηλώσεις.',
		en: 'Support cultural entrepreneurship: promotion and networking, innovative public–private partnerships, social enterprises.\nSocial cohesion and equal opportunities for people and groups at risk of exclusion.\nPermanent and seasonal jobs, economies of scale and local growth.\nMore national and foreign visitors at local events.',
		sq: 'Mbështetja e sipërmarrjes kulturore: promovim dhe rrjetëzim, partneritete inovative publike-private, ndërmarrje shoqërore.\nKohezion shoqëror dhe mundësi të barabarta për individë dhe grupe të cenueshme.\nVende pune të përhershme dhe sezonale, ekonomi të shkallës dhe rritje ekonomike lokale.\nMë shumë vizitorë vendas dhe të huaj në ngjarjet lokale.'
	},
	founded: {
		el: 'Συγχρηματοδοτείται από την Ευρωπαϊκή Ένωση και εθνικούς πόρους της Ελλάδας και της Αλβανίας μέσω του Προγράμματος Interreg IPA CBC «Ελλάδα – Αλβανία 2014-2020».',
		en: 'Co-funded by the European Union and national funds of Greece and Albania through the Interreg IPA CBC Programme “Greece – Albania 2014-2020”.',
		sq: 'Bashkëfinancohet nga Bashkimi Evropian dhe fonde kombëtare të Greqisë dhe Shqipërisë përmes Programit Interreg IPA CBC “Greqi – Shqipëri 2014-2020”.'
	}
};

const FIELDS: NetworkSeed['fields'] = [
	{ slug: 'entrepreneurship', name: { el: 'Πολιτιστική επιχειρηματικότητα', en: 'Cultural entrepreneurship', sq: 'Sipërmarrje kulturore' } },
	{ slug: 'co-working', name: { el: 'Χώροι συνεργασίας', en: 'Co-working spaces', sq: 'Hapësira bashkëpunuese' } },
	{ slug: 'social-cohesion', name: { el: 'Κοινωνική συνοχή και ίσες ευκαιρίες', en: 'Social cohesion and equal opportunities', sq: 'Kohezion shoqëror dhe mundësi të barabarta' } },
	{ slug: 'local-events', name: { el: 'Τοπικές εκδηλώσεις και επισκέπτες', en: 'Local events and visitors', sq: 'Ngjarje lokale dhe vizitorë' } },
	{ slug: 'training', name: { el: 'Εκπαίδευση και κατάρτιση', en: 'Education and training', sq: 'Arsim dhe aftësim' } }
];

const GROUPS: NetworkSeed['groups'] = [
	{ slug: 'arta', name: 'Σύμπλεγμα Άρτας', kind: 'city_cluster', city: 'Άρτα', join: 'open',
		description: { el: 'Το τοπικό πολιτιστικό και δημιουργικό σύμπλεγμα της Άρτας και ο χώρος συνεργασίας του.', en: 'The local cultural and creative cluster of Arta and its co-working space.', sq: 'Grupimi lokal kulturor dhe krijues i Artës dhe hapësira e tij bashkëpunuese.' } },
	{ slug: 'kerkyra', name: 'Σύμπλεγμα Κέρκυρας', kind: 'city_cluster', city: 'Κέρκυρα', join: 'open',
		description: { el: 'Το τοπικό πολιτιστικό και δημιουργικό σύμπλεγμα της Κέρκυρας και ο χώρος συνεργασίας του.', en: 'The local cultural and creative cluster of Corfu and its co-working space.', sq: 'Grupimi lokal kulturor dhe krijues i Korfuzit dhe hapësira e tij bashkëpunuese.' } },
	{ slug: 'vlore', name: 'Klasteri i Vlorës', kind: 'city_cluster', city: 'Vlorë', join: 'open',
		description: { sq: 'Grupimi lokal kulturor dhe krijues i Vlorës dhe hapësira e tij bashkëpunuese.', en: 'The local cultural and creative cluster of Vlora and its co-working space.', el: 'Το τοπικό πολιτιστικό και δημιουργικό σύμπλεγμα της Αυλώνας και ο χώρος συνεργασίας του.' } },
	{ slug: 'korce', name: 'Klasteri i Korçës', kind: 'city_cluster', city: 'Korçë', join: 'open',
		description: { sq: 'Grupimi lokal kulturor dhe krijues i Korçës dhe hapësira e tij bashkëpunuese.', en: 'The local cultural and creative cluster of Korça and its co-working space.', el: 'Το τοπικό πολιτιστικό και δημιουργικό σύμπλεγμα της Κορυτσάς και ο χώρος συνεργασίας του.' } },
	{ slug: 'meta-cluster', name: 'Ελληνοαλβανικό μετα-σύμπλεγμα · Meta-klasteri greko-shqiptar', kind: 'meta_cluster', city: null, join: 'request',
		description: { el: 'Ενώνει τα τέσσερα τοπικά συμπλέγματα σε μια κοινή διασυνοριακή δομή.', en: 'Joins the four local clusters in one cross-border structure.', sq: 'Bashkon katër grupimet lokale në një strukturë të përbashkët ndërkufitare.' } },
	{ slug: 'alliance', name: 'Πολιτιστική Συμμαχία · Aleanca Kulturore', kind: 'alliance', city: null, join: 'request',
		description: { el: 'Στον χώρο του πολιτισμού: οργανισμοί και καλλιτέχνες που δρουν μαζί.', en: 'In culture: organisations and artists acting together.', sq: 'Në fushën e kulturës: organizata dhe artistë që veprojnë së bashku.' } },
	{ slug: 'consortium', name: 'Κοινοπραξία · Konsorciumi', kind: 'consortium', city: null, join: 'request',
		description: { el: 'Στον κόσμο των επιχειρήσεων: πολιτιστικές επιχειρήσεις και συμπράξεις δημόσιου και ιδιωτικού τομέα.', en: 'In business: cultural enterprises and public–private partnerships.', sq: 'Në botën e biznesit: sipërmarrje kulturore dhe partneritete publike-private.' } },
	{ slug: 'research', name: 'Ερευνητική Κοινότητα · Komuniteti i Kërkimeve', kind: 'research_community', city: null, join: 'open',
		description: { el: 'Στην εκπαίδευση και την κατάρτιση: έρευνα και δεξιότητες για τον δημιουργικό τομέα.', en: 'In education and training: research and skills for the creative sector.', sq: 'Në arsim dhe aftësim: kërkim dhe aftësi për sektorin krijues.' } }
];

const ORGANISATIONS: NetworkSeed['organisations'] = [
	{ slug: 'ergastirio-artas', name: 'Δημιουργικό Εργαστήρι Άρτας', city: 'Άρτα', fields: ['entrepreneurship', 'co-working'], description: 'Χώρος συνεργασίας για νέους δημιουργούς, σχεδιαστές και τεχνίτες.' },
	{ slug: 'corfu-sound', name: 'Corfu Sound Collective', city: 'Κέρκυρα', fields: ['local-events'], description: 'Συναυλίες, ηχογραφήσεις και καλοκαιρινό φεστιβάλ στην παλιά πόλη.' },
	{ slug: 'vlora-hub', name: 'Vlora Creative Hub', city: 'Vlorë', fields: ['co-working', 'entrepreneurship'], description: 'Hapësirë bashkëpunuese për dizajnerë, fotografë dhe sipërmarrës të rinj.' },
	{ slug: 'korca-zanat', name: 'Shoqata Zanatet e Korçës', city: 'Korçë', fields: ['social-cohesion', 'training'], description: 'Punëtori zanatesh për të rinj dhe gra nga grupe të cenueshme.' }
];

const PEOPLE: NetworkSeed['people'] = [
	{ email: 'coordinator@inclust.test', name: 'Eleni Papadaki', city: 'Άρτα', role: 'coordinator', locale: 'el', fields: ['entrepreneurship'], org: 'ergastirio-artas', groups: ['arta', 'meta-cluster', 'consortium'], facilitates: ['arta', 'meta-cluster'] },
	{ email: 'spyros@inclust.test', name: 'Spyros Theodorou', city: 'Κέρκυρα', role: 'moderator', locale: 'el', fields: ['local-events'], org: 'corfu-sound', groups: ['kerkyra', 'alliance'], facilitates: ['kerkyra', 'alliance'] },
	{ email: 'klea@inclust.test', name: 'Klea Hysa', city: 'Vlorë', locale: 'sq', fields: ['co-working', 'entrepreneurship'], org: 'vlora-hub', groups: ['vlore', 'meta-cluster', 'consortium'], facilitates: ['vlore', 'consortium'] },
	{ email: 'besnik@inclust.test', name: 'Besnik Llazari', city: 'Korçë', locale: 'sq', fields: ['social-cohesion', 'training'], org: 'korca-zanat', groups: ['korce', 'research'], facilitates: ['korce', 'research'] },
	{ email: 'anna@inclust.test', name: 'Anna Rigopoulou', city: 'Άρτα', locale: 'en', fields: ['training'], groups: ['arta', 'research'] },
	{ email: 'andi@inclust.test', name: 'Andi Muça', city: 'Vlorë', locale: 'sq', fields: ['local-events'], groups: ['vlore', 'alliance'] }
];

/** The InClust clusters as their own network: Greek first, their own fields, groups and profile. */
export const INCLUST_NETWORK: NetworkSeed = {
	profile: { texts: TEXTS, primaryLocale: 'el', contactEmail: 'info@inclust.test', website: 'https://inclust.test' },
	fields: FIELDS,
	organisations: ORGANISATIONS,
	groups: GROUPS,
	people: PEOPLE
};

export const seedInclustNetwork = (db: Db, now: number = Date.now()): Promise<{ people: number }> => seedNetwork(db, INCLUST_NETWORK, now);

/** A first public debate, so that the forum shows the network's own words. */
export async function seedInclustForum(db: Db, forum: ForumWritingService): Promise<void> {
	await db.updateTable('categories').set({ visibility: 'public' }).where('slug', 'in', ['entrepreneurship', 'local-events']).execute();
	const eleni = await actingAs(db, 'coordinator@inclust.test');
	const klea = await actingAs(db, 'klea@inclust.test');
	const thread = await forum.createThread(eleni, {
		category: 'entrepreneurship',
		title: 'Κοινό πρόγραμμα για τους τέσσερις χώρους συνεργασίας',
		tags: 'συνεργασία, χώροι',
		body: 'Προτείνω οι χώροι συνεργασίας σε Άρτα, Κέρκυρα, Αυλώνα και Κορυτσά να ανοίγουν τις ίδιες ώρες και να μοιράζονται ένα ημερολόγιο εργαστηρίων. Τι χρειάζεται κάθε πόλη;'
	});
	await forum.reply(klea, thread, null, 'Në Vlorë hapësira është e hapur çdo ditë nga ora 10. Do të donim dy punëtori në muaj për fotografinë dhe dizajnin.');
}

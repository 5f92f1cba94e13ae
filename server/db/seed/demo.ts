import type { Db } from '../client.js';
import { DEMO_PROFILE } from './profile.js';
import { seedNetwork, type NetworkSeed } from './network.js';

export { DEMO_PASSWORD } from './network.js';

/** The SPK's fields of action, named in its founding text, in its order; each gets its forum space. */
const FIELDS: NetworkSeed['fields'] = [
	{ slug: 'cultural-policy', name: { sq: 'Politika kulturore', en: 'Cultural policy', el: 'Πολιτιστική πολιτική' } },
	{ slug: 'research-statistics', name: { sq: 'Kërkim, statistika dhe tregues kulturorë', en: 'Research, statistics and cultural indicators', el: 'Έρευνα, στατιστική και πολιτιστικοί δείκτες' } },
	{ slug: 'creative-industries', name: { sq: 'Industri krijuese', en: 'Creative industries', el: 'Δημιουργικές βιομηχανίες' } },
	{ slug: 'cultural-heritage', name: { sq: 'Trashëgimi kulturore', en: 'Cultural heritage', el: 'Πολιτιστική κληρονομιά' } },
	{ slug: 'cultural-tourism', name: { sq: 'Turizëm kulturor', en: 'Cultural tourism', el: 'Πολιτιστικός τουρισμός' } },
	{ slug: 'cinema', name: { sq: 'Kinema', en: 'Cinema', el: 'Κινηματογράφος' } },
	{ slug: 'visual-arts', name: { sq: 'Arte pamore', en: 'Visual arts', el: 'Εικαστικές τέχνες' } },
	{ slug: 'music', name: { sq: 'Muzikë', en: 'Music', el: 'Μουσική' } },
	{ slug: 'performing-arts', name: { sq: 'Arte skenike', en: 'Performing arts', el: 'Παραστατικές τέχνες' } },
	{ slug: 'legislation-advocacy', name: { sq: 'Legjislacion, konsultim dhe advokim', en: 'Legislation, consultation and advocacy', el: 'Νομοθεσία, διαβούλευση και συνηγορία' } },
	{ slug: 'cultural-marketing', name: { sq: 'Marketing kulturor', en: 'Cultural marketing', el: 'Πολιτιστικό μάρκετινγκ' } },
	{ slug: 'arts-management', name: { sq: 'Menaxhim arti', en: 'Arts management', el: 'Διαχείριση τεχνών' } },
	{ slug: 'digital-culture', name: { sq: 'Kulturë e dixhitalizuar', en: 'Digital culture', el: 'Ψηφιακός πολιτισμός' } },
	{ slug: 'cultural-diversity', name: { sq: 'Diversitet kulturor', en: 'Cultural diversity', el: 'Πολιτιστική πολυμορφία' } },
	{ slug: 'intercultural-cooperation', name: { sq: 'Bashkëpunim ndërkulturor', en: 'Intercultural cooperation', el: 'Διαπολιτισμική συνεργασία' } },
	{ slug: 'media', name: { sq: 'Media', en: 'Media', el: 'Μέσα ενημέρωσης' } },
	{ slug: 'publishing', name: { sq: 'Botime', en: 'Publishing', el: 'Εκδόσεις' } }
];

const ORGANISATIONS: NetworkSeed['organisations'] = [
	{ slug: 'skena-8', name: 'Teatri i Pavarur Skena 8', city: 'Tiranë', fields: ['performing-arts', 'cultural-policy'],
		description: 'Një trupë teatrale e pavarur që prodhon shfaqje bashkëkohore dhe punëtori për të rinjtë.' },
	{ slug: 'vlora-art', name: 'Qendra Kulturore Vlora Art', city: 'Vlorë', fields: ['visual-arts', 'cultural-tourism'],
		description: 'Hapësirë ekspozimi dhe rezidenca artistike pranë bregdetit.' },
	{ slug: 'arkivi-korces', name: 'Arkivi Fotografik i Korçës', city: 'Korçë', fields: ['cultural-heritage', 'digital-culture'],
		description: 'Ruan dhe digjitalizon fotografi historike të qytetit dhe rrethinave.' },
	{ slug: 'therino-artas', name: 'Θερινός Κινηματογράφος Άρτας', city: 'Άρτα', fields: ['cinema', 'intercultural-cooperation'],
		description: 'Θερινό σινεμά και φεστιβάλ ταινιών μικρού μήκους από τα Βαλκάνια.' },
	{ slug: 'kerkyra-music-lab', name: 'Μουσικό Εργαστήρι Κέρκυρας', city: 'Κέρκυρα', fields: ['music', 'creative-industries'],
		description: 'Εργαστήρι σύγχρονης μουσικής, ηχογραφήσεις και συναυλίες στην πόλη.' },
	{ slug: 'botime-fleta', name: 'Shtëpia Botuese Fleta', city: 'Tiranë', fields: ['publishing', 'media'],
		description: 'Botime të pavarura letërsie dhe eseistike, me fokus autorët e rinj.' },
	{ slug: 'lab-dixhital', name: 'Laboratori Dixhital Kulturor', city: 'Shkodër', fields: ['digital-culture', 'research-statistics'],
		description: 'Mjete dixhitale dhe të dhëna të hapura për sektorin kulturor.' },
	{ slug: 'jon-nderkulturor', name: 'Rrjeti Ndërkulturor Jon', city: 'Vlorë', fields: ['intercultural-cooperation', 'cultural-diversity'],
		description: 'Shkëmbime artistike mes bregdetit shqiptar dhe ishujve jonianë.' }
];

const GROUPS: NetworkSeed['groups'] = [
	{ slug: 'klasteri-arta', name: 'Klasteri kulturor i Artës · Πολιτιστικό σύμπλεγμα Άρτας', kind: 'city_cluster', city: 'Άρτα', join: 'open',
		description: {
			sq: 'Grupimi lokal kulturor dhe krijues i Artës, me hapësirën e tij të bashkëpunimit.',
			en: 'The local cultural and creative cluster of Arta, with its own space for working together.',
			el: 'Το τοπικό πολιτιστικό και δημιουργικό σύμπλεγμα της Άρτας, με τον δικό του χώρο συνεργασίας.' } },
	{ slug: 'klasteri-korfuz', name: 'Klasteri kulturor i Korfuzit · Πολιτιστικό σύμπλεγμα Κέρκυρας', kind: 'city_cluster', city: 'Κέρκυρα', join: 'open',
		description: {
			sq: 'Grupimi lokal kulturor dhe krijues i Korfuzit.',
			en: 'The local cultural and creative cluster of Corfu.',
			el: 'Το τοπικό πολιτιστικό και δημιουργικό σύμπλεγμα της Κέρκυρας.' } },
	{ slug: 'klasteri-vlore', name: 'Klasteri kulturor i Vlorës', kind: 'city_cluster', city: 'Vlorë', join: 'open',
		description: {
			sq: 'Grupimi lokal kulturor dhe krijues i Vlorës.',
			en: 'The local cultural and creative cluster of Vlora.',
			el: 'Το τοπικό πολιτιστικό και δημιουργικό σύμπλεγμα της Αυλώνας.' } },
	{ slug: 'klasteri-korce', name: 'Klasteri kulturor i Korçës', kind: 'city_cluster', city: 'Korçë', join: 'open',
		description: {
			sq: 'Grupimi lokal kulturor dhe krijues i Korçës.',
			en: 'The local cultural and creative cluster of Korça.',
			el: 'Το τοπικό πολιτιστικό και δημιουργικό σύμπλεγμα της Κορυτσάς.' } },
	{ slug: 'meta-klasteri', name: 'Meta-klasteri greko-shqiptar', kind: 'meta_cluster', join: 'request',
		description: {
			sq: 'Bashkon katër klasterët lokalë në një strukturë të përbashkët ndërkufitare.',
			en: 'Brings the four local clusters together in one cross-border structure.',
			el: 'Ενώνει τα τέσσερα τοπικά συμπλέγματα σε μια κοινή διασυνοριακή δομή.' } },
	{ slug: 'aleanca-kulturore', name: 'Aleanca Kulturore', kind: 'alliance', join: 'request',
		description: {
			sq: 'Në fushën e kulturës: organizata dhe artistë që veprojnë së bashku.',
			en: 'In the field of culture: organisations and artists acting together.',
			el: 'Στον χώρο του πολιτισμού: οργανισμοί και καλλιτέχνες που δρουν μαζί.' } },
	{ slug: 'konsorciumi', name: 'Konsorciumi', kind: 'consortium', join: 'request',
		description: {
			sq: 'Në botën e biznesit: sipërmarrje kulturore dhe partneritete publike-private.',
			en: 'In the business world: cultural enterprises and public–private partnerships.',
			el: 'Στον κόσμο των επιχειρήσεων: πολιτιστικές επιχειρήσεις και συμπράξεις δημόσιου και ιδιωτικού τομέα.' } },
	{ slug: 'komuniteti-kerkimor', name: 'Komuniteti i Kërkimeve', kind: 'research_community', join: 'open',
		description: {
			sq: 'Në arsim dhe aftësim: kërkim, statistika dhe tregues kulturorë.',
			en: 'In education and training: research, statistics and cultural indicators.',
			el: 'Στην εκπαίδευση και την κατάρτιση: έρευνα, στατιστικές και πολιτιστικοί δείκτες.' } },
	{ slug: 'grupi-politikave', name: 'Grupi i punës për politikat kulturore', kind: 'working_group', join: 'open',
		description: {
			sq: 'Harton qëndrimet e rrjetit për ligjin e kulturës dhe fondet publike.',
			en: 'Drafts the network\'s positions on the culture law and public funding.',
			el: 'Συντάσσει τις θέσεις του δικτύου για τον νόμο για τον πολιτισμό και τη δημόσια χρηματοδότηση.' } }
];

const PEOPLE: NetworkSeed['people'] = [
	{ email: 'coordinator@demo.test', name: 'Elira Hoxha', city: 'Tiranë', role: 'coordinator', fields: ['cultural-policy', 'legislation-advocacy'], org: 'skena-8', groups: ['meta-klasteri', 'aleanca-kulturore', 'grupi-politikave'], facilitates: ['grupi-politikave', 'meta-klasteri'] },
	{ email: 'moderator@demo.test', name: 'Nikos Papadopoulos', city: 'Κέρκυρα', role: 'moderator', locale: 'el', fields: ['music', 'media'], org: 'kerkyra-music-lab', groups: ['klasteri-korfuz', 'meta-klasteri'], facilitates: ['klasteri-korfuz'] },
	{ email: 'member1@demo.test', name: 'Arben Krasniqi', city: 'Vlorë', fields: ['visual-arts'], org: 'vlora-art', groups: ['klasteri-vlore', 'aleanca-kulturore'], facilitates: ['klasteri-vlore'] },
	{ email: 'member2@demo.test', name: 'Maria Georgiou', city: 'Άρτα', locale: 'el', fields: ['cinema', 'intercultural-cooperation'], org: 'therino-artas', groups: ['klasteri-arta', 'meta-klasteri'], facilitates: ['klasteri-arta'] },
	{ email: 'member3@demo.test', name: 'Blerina Shehu', city: 'Korçë', fields: ['cultural-heritage'], org: 'arkivi-korces', groups: ['klasteri-korce', 'komuniteti-kerkimor'], facilitates: ['klasteri-korce'] },
	{ email: 'member4@demo.test', name: 'Dimitra Kostopoulou', city: 'Κέρκυρα', locale: 'el', fields: ['creative-industries', 'cultural-marketing'], groups: ['klasteri-korfuz', 'konsorciumi'] },
	{ email: 'member5@demo.test', name: 'Gentian Dervishi', city: 'Tiranë', locale: 'en', fields: ['publishing'], org: 'botime-fleta', groups: ['grupi-politikave', 'aleanca-kulturore'] },
	{ email: 'sokol.marku@demo.test', name: 'Sokol Marku', city: 'Shkodër', fields: ['digital-culture', 'research-statistics'], org: 'lab-dixhital', groups: ['komuniteti-kerkimor'], facilitates: ['komuniteti-kerkimor'] },
	{ email: 'anila.berisha@demo.test', name: 'Anila Berisha', city: 'Vlorë', fields: ['intercultural-cooperation'], org: 'jon-nderkulturor', groups: ['klasteri-vlore', 'meta-klasteri'] },
	{ email: 'eleni.vlachou@demo.test', name: 'Eleni Vlachou', city: 'Άρτα', locale: 'el', fields: ['cultural-tourism'], groups: ['klasteri-arta'] },
	{ email: 'ilir.gjoni@demo.test', name: 'Ilir Gjoni', city: 'Korçë', fields: ['music', 'performing-arts'], groups: ['klasteri-korce'] },
	{ email: 'katerina.nikolaou@demo.test', name: 'Katerina Nikolaou', city: 'Κέρκυρα', locale: 'el', fields: ['cultural-heritage', 'cultural-tourism'], groups: ['klasteri-korfuz', 'komuniteti-kerkimor'] },
	{ email: 'ermal.leka@demo.test', name: 'Ermal Leka', city: 'Tiranë', fields: ['cinema', 'media'], org: 'skena-8', groups: ['aleanca-kulturore'] },
	{ email: 'sofia.alexiou@demo.test', name: 'Sofia Alexiou', city: 'Άρτα', locale: 'el', fields: ['arts-management'], org: 'therino-artas', groups: ['klasteri-arta', 'konsorciumi'] },
	{ email: 'dritan.kola@demo.test', name: 'Dritan Kola', city: 'Vlorë', fields: ['creative-industries'], groups: ['klasteri-vlore', 'konsorciumi'], facilitates: ['konsorciumi'] },
	{ email: 'alketa.musai@demo.test', name: 'Alketa Musai', city: 'Korçë', fields: ['cultural-diversity', 'legislation-advocacy'], groups: ['klasteri-korce', 'grupi-politikave'] },
	{ email: 'giorgos.makris@demo.test', name: 'Giorgos Makris', city: 'Κέρκυρα', locale: 'el', fields: ['visual-arts'], groups: ['klasteri-korfuz'] },
	{ email: 'mirela.topi@demo.test', name: 'Mirela Topi', city: 'Tiranë', fields: ['cultural-marketing', 'arts-management'], org: 'botime-fleta', groups: ['aleanca-kulturore'], facilitates: ['aleanca-kulturore'] },
	{ email: 'vasilis.tsakalos@demo.test', name: 'Vasilis Tsakalos', city: 'Άρτα', locale: 'el', fields: ['research-statistics'], groups: ['komuniteti-kerkimor', 'meta-klasteri'] },
	{ email: 'ornela.duka@demo.test', name: 'Ornela Duka', city: 'Durrës', fields: ['performing-arts', 'cultural-diversity'], groups: ['grupi-politikave'] }
];

/** The Independent Cultural Scene (Skena e Pavarur Kulturore), from ../shared/seeds/000_*.txt; people are fictional. */
export const DEMO_NETWORK: NetworkSeed = {
	profile: { texts: DEMO_PROFILE, primaryLocale: 'sq' },
	fields: FIELDS,
	organisations: ORGANISATIONS,
	groups: GROUPS,
	people: PEOPLE
};

/** Fills a new database with the demo network, in one transaction. */
export const seedDemoNetwork = (db: Db, now: number = Date.now()): Promise<{ people: number }> => seedNetwork(db, DEMO_NETWORK, now);

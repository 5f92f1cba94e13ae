import { fold } from '../../server/domain/forum.js';
import { rng } from './lib.js';

/**
 * Albanian-like forum text with a known word distribution, so search benchmarks can pick terms by how many posts
 * hold them: COMMON words are in most posts, the vocabulary follows Zipf's law (ordinary terms sit in its middle),
 * RARE words are planted in a handful of posts only.
 */

/** In most posts (each sentence carries each with some probability). */
export const COMMON = ['dhe', 'për', 'është'];

/** Planted in RARE_POSTS posts each, never produced otherwise. */
export const RARE = ['xhufkë', 'çiflig', 'gjergjef', 'qëndisjeve', 'rrëzëllim', 'kështjellave', 'dëgjesë', 'zhgunë', 'bylmet', 'çerdhëza'];
export const RARE_POSTS = 8;

const REAL = `kulturë kulturore artit artistë teatër teatri muzikë muzikës festival festivali bashkia bashkisë ministria ligji ligjit
	buxheti buxhetit fondet fondeve publike organizatat pavarura qytetit qytetarët hapësira hapësirë shfaqje shfaqjet
	koncert koncerti ekspozitë ekspozita galeria muzeu muzeut trashëgimia trashëgimisë bibliotekë libri librave botime
	botuesit shkrimtarë poezi kinema filmi filmit regjisori aktorët skena skenës publiku publikut spektatorët bileta
	programi programit projekti projektit propozim propozimi vendim vendimi mbledhje mbledhjes takim takimi konsultim
	konsultimi qëndrim qëndrimi kërkesë kërkesat rrjeti rrjetit anëtarët anëtarëve grupi grupit klasteri bashkëpunim
	bashkëpunimi partnerët partneritet fushata advokim politika politikave strategji strategjia zhvillim zhvillimi
	arsim arsimi shkolla shkollave fëmijët rinia të rinjtë vullnetarë vullnetarët komuniteti komunitetit lagjja lagjes
	sheshi rruga ndërtesa godina restaurim restaurimi monument monumentet arkivi arkivit dokumente dokumentet dixhitale
	internet faqja lajme njoftim njoftimi ftesë ftesa raport raporti vlerësim vlerësimi kritere juria juri çmimi çmime
	grant granti financim financimi shpenzime kosto pagesa kontrata afati afatet data janar shkurt mars prill maj qershor
	korrik gusht shtator tetor nëntor dhjetor vera dimri pranvera vjeshta viti vitin muaji javën sot nesër dje shpejt
	ngadalë mirë keq shumë pak gjithë secili askush dikush çdo asgjë diçka këtu atje brenda jashtë para pas gjatë
	sepse prandaj megjithatë ndërsa kur nëse ose por edhe gjithashtu vetëm ende tashmë mendoj propozoj sugjeroj
	dakord kundër pro pyetje përgjigje mendim mendimi ide idetë zgjidhje problem problemi sfidë sfidat mundësi mundësitë
	përvojë përvoja shembull shembuj praktikë praktikat rregull rregullore procedurë procesi hapi hapat rezultat
	rezultatet ndikim ndikimi qëllim qëllimi objektiv prioritet prioritetet zë zëri dëgjim diskutim diskutimi debat
	debati takohemi flasim shkruajmë lexojmë dërgojmë mbledhim ndajmë organizojmë përgatitim hapim mbyllim ftojmë`
	.split(/\s+/)
	.filter(Boolean);

const SYLLABLES = ['ba', 'bë', 'ça', 'dhë', 'fa', 'gje', 'gji', 'ho', 'ja', 'kë', 'ku', 'la', 'llë', 'më', 'ni', 'po', 'qe', 'ra', 'rrë', 'sa', 'shë', 'ta', 'thë', 've', 'ze', 'zhë', 'ço', 'do', 'ri', 'mi', 'tu', 'ka', 'ne', 'ro', 'li', 'vu', 'së', 'ma'];
const ENDINGS = ['a', 'ë', 'i', 't', 's', 'n', 'së', 've', 'ja', 'ri', 'shëm', 'im', 'je', 'ës', 'ia', 'në'];

/** Real words interleaved with made-up ones built from Albanian syllables: about 4,000 distinct words. */
function vocabulary(): string[] {
	const random = rng(7);
	const forbidden = new Set([...COMMON, ...RARE].map(fold));
	const words = new Set(REAL);
	while (words.size < 4000) {
		let w = '';
		for (let n = 2 + Math.floor(random() * 2); n > 0; n--) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
		w += ENDINGS[Math.floor(random() * ENDINGS.length)];
		// Keep the planted and common terms exactly as rare or as common as designed, prefixes included.
		if (![...forbidden].some((f) => fold(w).startsWith(f))) words.add(w);
	}
	// Real words take the 50 most frequent ranks (as real text is led by real words); the rest are shuffled
	// together so that real words also land all along the Zipf ranks.
	const shuffle = (list: string[]) => {
		for (let i = list.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[list[i], list[j]] = [list[j], list[i]];
		}
		return list;
	};
	const real = shuffle([...REAL]);
	return [...real.slice(0, 50), ...shuffle([...words].filter((w) => !real.slice(0, 50).includes(w)))];
}

export const VOCABULARY = vocabulary();

/** Words of Zipf rank 300–1,500, each in roughly 0.3–1.5% of posts: what people usually search for. */
export const ORDINARY = VOCABULARY.slice(300, 1500).filter((w) => w.length >= 5);

const foldCache = new Map<string, string>();
/** fold() of one word, memoised: folding 100,000 posts character by character would dominate the set-up. */
const foldWord = (w: string) => foldCache.get(w) ?? (foldCache.set(w, fold(w)), foldCache.get(w)!);

export interface Text {
	body: string;
	/** fold(body), built word by word from the same tokens. */
	folded: string;
}

export class TextGenerator {
	readonly #random: () => number;
	readonly #cumulative: Float64Array;

	constructor(seed: number) {
		this.#random = rng(seed);
		// Zipf weights 1/rank, as cumulative sums for sampling by binary search.
		this.#cumulative = new Float64Array(VOCABULARY.length);
		let sum = 0;
		for (let i = 0; i < VOCABULARY.length; i++) this.#cumulative[i] = sum += 1 / (i + 1);
	}

	random(): number {
		return this.#random();
	}

	#word(): string {
		const x = this.#random() * this.#cumulative[this.#cumulative.length - 1];
		let lo = 0;
		let hi = this.#cumulative.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.#cumulative[mid] < x) lo = mid + 1;
			else hi = mid;
		}
		return VOCABULARY[lo];
	}

	/** 20–80 words in sentences of 5–16 words; `extra` words are placed in the first sentence. */
	text(extra: string[] = []): Text {
		const target = 20 + Math.floor(this.#random() * 61);
		const body: string[] = [];
		const folded: string[] = [];
		let count = 0;
		while (count < target) {
			const n = Math.min(target - count, 5 + Math.floor(this.#random() * 12));
			const words = Array.from({ length: n }, () => this.#word());
			// The common words replace ordinary ones, so the length stays within 20–80.
			COMMON.forEach((c, i) => {
				if (this.#random() < 0.6 - i * 0.1) words[Math.floor(this.#random() * n)] = c;
			});
			if (count === 0) extra.forEach((w) => (words[Math.floor(this.#random() * n)] = w));
			if (n > 7 && this.#random() < 0.5) words[3] += ',';
			const first = words[0][0].toUpperCase() + words[0].slice(1);
			body.push([first, ...words.slice(1)].join(' ') + '.');
			folded.push(words.map((w) => (w.endsWith(',') ? foldWord(w.slice(0, -1)) + ',' : foldWord(w))).join(' ') + '.');
			count += n;
		}
		return { body: body.join(' '), folded: folded.join(' ') };
	}

	/** A thread title of 4–9 words. */
	title(): Text {
		const t = this.text();
		const words = t.body.replace(/[.,]/g, '').split(' ').slice(0, 4 + Math.floor(this.#random() * 6));
		const body = words.join(' ');
		return { body, folded: fold(body) };
	}
}

import type { ProfileTexts } from './network.js';

/** The demo network's profile (Skena e Pavarur Kulturore), in its three languages. */
export const DEMO_PROFILE: ProfileTexts = {
	name: {
		sq: 'Skena e Pavarur Kulturore',
		en: 'Independent Cultural Scene',
		el: 'Ανεξάρτητη Πολιτιστική Σκηνή'
	},
	short_name: {
		sq: 'SPK'
	},
	tagline: {
		sq: 'Një rrjet i hapur jo-formal organizatash dhe individësh të pavarur në kulturë. Këtu anëtarët diskutojnë propozime, shkruajnë politika së bashku dhe votojnë në mbledhje të drejtpërdrejta.',
		en: 'An open, non-formal network of independent cultural organisations and individuals. Here members discuss proposals, write policy together and vote in live meetings.',
		el: 'Ένα ανοιχτό, άτυπο δίκτυο ανεξάρτητων πολιτιστικών οργανισμών και ατόμων. Εδώ τα μέλη συζητούν προτάσεις, γράφουν πολιτικές από κοινού και ψηφίζουν σε ζωντανές συνελεύσεις.'
	},
	about: {
		sq: 'Organizata dhe individë që veprojnë në art dhe kulturë bashkuan forcat për të nxitur energjitë krijuese, për të mbështetur prodhimin dhe inovacionin kulturor, për të forcuar kapacitetet menaxheriale dhe për të zhvilluar dialogun kulturor brenda dhe jashtë vendit — sepse kultura e pavarur vuan nga mungesa e lehtësirave, mosfinancimi dhe pabarazia e aksesit ndaj fondeve publike. Qëllimi ynë kryesor: kushte të barabarta veprimtarie me institucionet publike dhe një pozitë më e mirë për njerëzit e artit dhe kulturës.',
		en: 'Organisations and individuals working in arts and culture joined forces to foster creative energy, support cultural production and innovation, strengthen management skills and build cultural dialogue at home and abroad — because independent culture lacks facilities and funding, and has unequal access to public funds. Our main aim is equal operating conditions with public institutions and a better position for people in arts and culture.',
		el: 'Οργανισμοί και άτομα που δραστηριοποιούνται στις τέχνες και τον πολιτισμό ένωσαν τις δυνάμεις τους για να ενισχύσουν τη δημιουργική ενέργεια, να στηρίξουν την πολιτιστική παραγωγή και καινοτομία, να ενδυναμώσουν τις διαχειριστικές ικανότητες και να αναπτύξουν τον πολιτιστικό διάλογο εντός και εκτός συνόρων — επειδή ο ανεξάρτητος πολιτισμός στερείται υποδομών και χρηματοδότησης και έχει άνιση πρόσβαση στους δημόσιους πόρους. Κύριος στόχος μας: ίσοι όροι λειτουργίας με τους δημόσιους φορείς και καλύτερη θέση για τους ανθρώπους των τεχνών και του πολιτισμού.'
	},
	goals: {
		sq: "Një rrjet që përfshin organizata kulturore dhe individë.\nDemokratizimin e pjesëmarrjes dhe vendimmarrjes së të gjithë aktorëve të rrjetit.\nNjë rrjet dinamik që vepron në Shqipëri, në mbarë hapësirën shqiptare e më gjerë.\nPolitika kulturore më të mira për një zhvillim më të shpejtë kulturor.",
		en: "A network that brings together cultural organisations and individuals.\nDemocratic participation and decision-making for everyone in the network.\nA dynamic network acting in Albania, across the Albanian-speaking space and beyond.\nBetter cultural policies for faster cultural development.",
		el: "Ένα δίκτυο που ενώνει πολιτιστικούς οργανισμούς και άτομα.\nΔημοκρατική συμμετοχή και λήψη αποφάσεων για όλους στο δίκτυο.\nΈνα δυναμικό δίκτυο που δρα στην Αλβανία, σε όλο τον αλβανόφωνο χώρο και πέρα από αυτόν.\nΚαλύτερες πολιτιστικές πολιτικές για ταχύτερη πολιτιστική ανάπτυξη."
	},
	founded: {
		sq: 'U krijua më 4 maj 2013, pas një sërë takimesh dhe konsultimesh, si një rrjet i hapur jo-formal me dimension publik.',
		en: 'Founded on 4 May 2013, after a series of meetings and consultations, as an open, non-formal network with a public dimension.',
		el: 'Ιδρύθηκε στις 4 Μαΐου 2013, μετά από σειρά συναντήσεων και διαβουλεύσεων, ως ανοιχτό, άτυπο δίκτυο με δημόσια διάσταση.'
	}
};

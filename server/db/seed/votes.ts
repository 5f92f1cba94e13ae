import type { Db } from '../client.js';
import { VOTE_DEFAULTS } from '../../domain/votes.js';
import { firstProposedAmendment } from '../repositories/vote.repository.js';
import type { VotesService } from '../../services/votes.service.js';
import { actingAs } from './forum.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Demo votes, through the real service: a ranked-choice vote already decided (in the register), an open vote on the
 * amendment to the internal rules, and an open secret vote.
 */
export async function seedDemoVotes(db: Db, votes: VotesService, now = Date.now()): Promise<void> {
	const elira = await actingAs(db, 'coordinator@demo.test');
	const people = await Promise.all(
		['member1', 'member2', 'member3', 'member4', 'member5', 'moderator', 'sokol.marku', 'anila.berisha', 'ilir.gjoni', 'mirela.topi'].map((m) => actingAs(db, `${m}@demo.test`))
	);

	const theme = await votes.create(
		elira,
		{
			...VOTE_DEFAULTS,
			title: 'Tema e takimit vjetor të rrjetit 2027',
			description: 'Renditni temat sipas preferencës. Fiton tema me shumicë pas rinumërimit (instant-runoff).',
			method: 'ranked',
			options: ['Kultura si e drejtë qytetare', 'Hapësirat e pavarura në qytete', 'Bashkëpunimi ndërkufitar Shqipëri–Greqi', 'Kultura dixhitale dhe arkivat'],
			visibility: 'public',
			quorum: { kind: 'share', share: 0.3 }
		},
		{},
		true
	);
	const rankings = [[1, 3], [3, 1], [2, 3, 1], [3], [4, 3], [1, 2], [3, 2], [2, 1, 3], [4, 1], [3, 4]];
	for (const [i, ranking] of rankings.entries()) await votes.cast(people[i], theme, { ballot: { method: 'ranked', ranking } });
	await votes.close(elira, theme);

	const amendmentId = await firstProposedAmendment(db);
	if (amendmentId) {
		const id = await votes.create(
			elira,
			{ ...VOTE_DEFAULTS, title: 'A e pranojmë ndryshimin e rregullores?', method: 'yes_no', threshold: 'two_thirds', quorum: { kind: 'share', share: 0.25 }, closesAt: now + 7 * DAY },
			{ amendmentId },
			true
		);
		for (const [i, choice] of (['yes', 'yes', 'no', 'yes'] as const).entries()) await votes.cast(people[i], id, { ballot: { method: 'yes_no', choice } });
	}

	const secret = await votes.create(
		elira,
		{
			...VOTE_DEFAULTS,
			title: 'Anëtarësimi i rrjetit në Culture Action Europe',
			description: 'Votim i fshehtë: askush nuk mund të shohë si votoi secili. Ruani kodin e dëftesës për ta verifikuar pas mbylljes.',
			method: 'yes_no',
			secret: true,
			results: 'after_close',
			closesAt: now + 5 * DAY
		},
		{},
		true
	);
	for (const [i, choice] of (['yes', 'abstain', 'yes'] as const).entries()) await votes.cast(people[i + 4], secret, { ballot: { method: 'yes_no', choice } });
}

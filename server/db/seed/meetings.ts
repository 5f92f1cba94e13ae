import type { Db } from '../client.js';
import type { MeetingsService } from '../../services/meetings.service.js';
import { actingAs } from './forum.js';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

/** Demo meetings, through the real service: the network's spring assembly (public) and a cluster's online call. */
export async function seedDemoMeetings(db: Db, meetings: MeetingsService, now = Date.now()): Promise<void> {
	const elira = await actingAs(db, 'coordinator@demo.test');
	const arben = await actingAs(db, 'member1@demo.test');
	// Ten in the morning, Tirana time, a week and a half from now.
	const day = new Date(now + 10 * DAY);
	const start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 9, 0);
	await meetings.create(elira, {
		title: 'Asambleja e pranverës e rrjetit',
		description: 'Takimi vjetor i të gjithë anëtarëve: bilanci, buxheti 2027 dhe qëndrimi për ligjin e kulturës.',
		startsAt: start,
		endsAt: start + 4 * HOUR,
		place: 'Korçë, Teatri «Andon Zako Çajupi»',
		onlineUrl: 'https://meet.jit.si/kuvend-asambleja',
		groupId: null,
		visibility: 'public',
		quorum: { kind: 'share', share: 0.3 },
		agenda: ['Hapja dhe miratimi i rendit të ditës', 'Bilanci i vitit', 'Buxheti 2027', 'Qëndrimi për ligjin e ri të kulturës', 'Të ndryshme'],
		chairIds: [arben.id]
	});
	const vlore = await db.selectFrom('groups').select('id').where('slug', '=', 'klasteri-vlore').executeTakeFirst();
	if (vlore) {
		await meetings.create(arben, {
			title: 'Thirrja mujore e klasterit të Vlorës',
			description: '',
			startsAt: start - 7 * DAY + 8 * HOUR,
			endsAt: start - 7 * DAY + 9 * HOUR,
			place: '',
			onlineUrl: 'https://meet.jit.si/kuvend-vlore',
			groupId: vlore.id,
			visibility: 'members',
			quorum: { kind: 'none' },
			agenda: ['Festivali i verës', 'Hapësira e përbashkët'],
			chairIds: []
		});
	}
}

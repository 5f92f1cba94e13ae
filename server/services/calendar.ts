import ical from 'ical-generator';
import type { MeetingSummary } from '../../src/lib/shared/meetings.js';

/**
 * Meetings as iCalendar (RFC 5545): one event per meeting, its time in UTC, the place or the online link as the
 * location, and the meeting's page as its URL. `origin` is the public address of Kuvend.
 */
export function meetingsCalendar(name: string, meetings: (MeetingSummary & { description?: string })[], origin: string): string {
	const cal = ical({ name, prodId: { company: 'Kuvend', product: 'meetings', language: 'SQ' } });
	for (const m of meetings) {
		const url = `${origin}/meetings/${m.id}`;
		cal.createEvent({
			id: `meeting-${m.id}@${new URL(origin).host}`,
			start: new Date(m.startsAt),
			end: new Date(m.endsAt),
			summary: m.title,
			description: [m.description ?? '', m.onlineUrl, url].filter(Boolean).join('\n\n'),
			location: m.place || m.onlineUrl || undefined,
			url
		});
	}
	return cal.toString();
}

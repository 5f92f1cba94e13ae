import type { AppContext } from '../../context.js';
import type { KuvendIo, KuvendSocket } from '../socket-server.js';
import { rooms } from '../rooms.js';
import { respond } from '../respond.js';
import { coalesce } from '../coalesce.js';
import { meetingRoomSchemas } from '../../../src/lib/shared/meeting-schemas.js';

/** Socket events of the live room: enter (presence), leave, and the room's controls. The service decides. */
export function registerMeetingHandlers(io: KuvendIo, socket: KuvendSocket, ctx: AppContext): void {
	const { meetings } = ctx.services;
	const leave = (meetingId?: number) => meetings.leave(socket.id, meetingId).catch((error: unknown) => ctx.logger.error('leaving a meeting room failed', { error }));

	socket.on('meeting:join', (payload, ack) =>
		respond(ack, ctx, async () => {
			const { meetingId, watchOnly } = meetingRoomSchemas.join.parse(payload);
			const state = await meetings.join(socket.data.auth, meetingId, socket.id, watchOnly);
			await socket.join(socket.data.auth ? rooms.meeting(meetingId) : rooms.meetingVisitors(meetingId));
			return { state };
		})
	);

	socket.on('meeting:leave', (payload) => {
		const parsed = meetingRoomSchemas.leave.safeParse(payload);
		if (!parsed.success) return;
		void socket.leave(rooms.meeting(parsed.data.meetingId));
		void socket.leave(rooms.meetingVisitors(parsed.data.meetingId));
		void leave(parsed.data.meetingId);
	});

	socket.on('meeting:act', (payload, ack) =>
		respond(ack, ctx, async () => {
			const { meetingId, action } = meetingRoomSchemas.act.parse(payload);
			await meetings.act(socket.data.auth, meetingId, action);
			return {};
		})
	);

	socket.on('disconnect', () => void leave());
	void io;
}

/**
 * The room's state to everyone in it, after each change: at most one every `intervalMs` per meeting (changes in
 * between are gathered into the next), so a burst of check-ins is one message.
 */
export function attachMeetingBroadcaster(io: KuvendIo, ctx: AppContext, intervalMs = 50): void {
	const { meetings } = ctx.services;
	const failed = (error: unknown) => ctx.logger.error('meeting broadcast failed', { error });
	const send = async (meetingId: number) => {
		const state = await meetings.roomState(meetingId);
		if (state) io.to(rooms.meeting(meetingId)).emit('meeting:state', state.members);
		if (state?.visitors) io.to(rooms.meetingVisitors(meetingId)).emit('meeting:state', state.visitors);
	};
	const states = coalesce<number>({ intervalMs, run: send, name: 'meeting broadcast', logger: ctx.logger });
	ctx.bus.on('meeting.changed', ({ meetingId }) => states.schedule(meetingId));
	ctx.bus.on('app.stopping', () => states.stop());
	// A vote of a meeting opened, was cancelled or closed: the room's list of votes changes.
	const ofVote = ({ voteId }: { voteId: number }) =>
		void meetings
			.meetingOfVote(voteId)
			.then((id) => id !== null && states.schedule(id))
			.catch(failed);
	ctx.bus.on('vote.opened', ofVote);
	ctx.bus.on('vote.cancelled', ofVote);
	ctx.bus.on('vote.closed', ofVote);
}

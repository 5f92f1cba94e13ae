import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Socket } from 'socket.io-client';
import type { WebsocketProvider } from 'y-websocket';
import { docNameOf } from '../../server/services/drafts.service.js';
import type { LiveState, MeetingInput } from '../../src/lib/shared/meetings.js';
import { closeCode, openDocument, synced, writeParagraphs } from './helpers/yjs.js';
import { postForm, startTestApp, type TestApp } from './helpers/app.js';
import { makePeople, memberSocket, personByEmail, type Person } from './helpers/votes.js';

/*
 * Access follows the person on every open connection (issue #14 point 6): after each kind of change, an open socket
 * stops receiving the rooms it may no longer read and hears `access:changed`, and an open Yjs connection loses write
 * (closed 4100, back as a reader) or read (closed 4403, not let back).
 *
 * Shown to fail without the re-check: with the `attachAccessRecheck(ctx, io, yjs)` line removed from server/app.ts,
 * every test below but the last times out waiting for `access:changed` or for the Yjs close. With only its
 * `socket.leave` removed (access-recheck.ts), the sockets still hear the posts of threads they may no longer read
 * ("expected true to be false" in the space test); with only `conn.allow(access)` removed, the Yjs connections keep
 * their access (the waits for 4100 / 4403 time out, the joining member's poll for write fails). The last test (an
 * applicant shown as present) fails on its `people` expectation without the `canTakePart` check in
 * MeetingsService.join.
 */

let app: TestApp;
let base: string;
/** member2 of the demo facilitates the Arta cluster (an open group); moderator facilitates the Corfu cluster. */
let facilitator: Person;
let moderator: Person;
let coordinator: Person;
let arta: number;
const sockets: Socket[] = [];
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
	app = await startTestApp();
	base = app.url;
	[facilitator, moderator, coordinator] = await Promise.all(['member2@demo.test', 'moderator@demo.test', 'coordinator@demo.test'].map((e) => personByEmail(app, e)));
	arta = (await app.ctx.db.selectFrom('groups').select('id').where('slug', '=', 'klasteri-arta').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
	for (const p of providers) p.destroy();
	for (const s of sockets) s.disconnect();
	await app?.dispose();
});

const socketOf = async (p: Person) => {
	const s = await memberSocket(base, p.cookie);
	sockets.push(s);
	return s;
};
const ack = <T = { ok: boolean; code?: string; message?: string }>(s: Socket, event: string, payload: unknown) => new Promise<T>((r) => s.emit(event, payload, r));
/** Resolves at the next `access:changed` on the socket. */
const accessChanged = (s: Socket) => new Promise<void>((r) => s.once('access:changed', () => r()));
/** A round trip on the socket: anything the server sent it before answering has arrived. */
const settled = (s: Socket) => ack(s, 'members:suggest', { q: 'x' });

/** A new post in a thread: whether `watcher` hears it, once `control` (still allowed) has. */
async function hearsPost(watcher: Socket, control: Socket, threadId: number, author: Person): Promise<boolean> {
	const heard: number[] = [];
	const on = (post: { id: number }) => heard.push(post.id);
	watcher.on('post:created', on);
	const controlHeard = new Promise((r) => control.once('post:created', r));
	const postId = await app.ctx.services.forumWriting.reply(author.auth, threadId, null, 'Një fjalë më shumë.');
	await controlHeard;
	await settled(watcher);
	watcher.off('post:created', on);
	return heard.includes(postId);
}

/** Opens a document as `cookie` (a visitor with ''), synced. */
const openDoc = (name: string, cookie: string) => openDocument(base, name, cookie, providers);
const closedWith = (p: WebsocketProvider) => new Promise<number>((r) => p.ws?.addEventListener('close', (e) => r((e as unknown as { code: number }).code)));

/** The text the server stores for a document. */
async function stored(name: string): Promise<string> {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, await app.ctx.services.documents.state(name));
	return doc.getXmlFragment('default').toString();
}

/** After a writer became a reader: its edits are dropped, while a writer's edit sent after them is stored. */
async function editsDropped(reader: Y.Doc, writer: Y.Doc, name: string, mark: string): Promise<void> {
	writeParagraphs(reader, [`${mark} NDËRHYRJE`]);
	writeParagraphs(writer, [`${mark} pas saj`]);
	await expect.poll(() => stored(name)).toContain(`${mark} pas saj`);
	expect(await stored(name)).not.toContain(`${mark} NDËRHYRJE`);
}

const HOUR = 60 * 60 * 1000;
const meetingInput = (over: Partial<MeetingInput>): MeetingInput => ({
	title: 'Takimi i klasterit',
	description: '',
	startsAt: Date.now() + HOUR,
	endsAt: Date.now() + 2 * HOUR,
	place: 'Artë, Kinemaja verore',
	onlineUrl: '',
	groupId: arta,
	visibility: 'members',
	quorum: { kind: 'count', count: 2 },
	agenda: ['Hapja'],
	chairIds: [],
	...over
});

/** A new member of the Arta cluster (joined through the group page), with a group thread and a group draft. */
async function inArta(): Promise<{ me: Person; threadId: number; draftId: number }> {
	const [me] = await makePeople(app, 1);
	expect((await postForm(base, '/groups/klasteri-arta?/join', {}, me.cookie)).status).toBe(200);
	const threadId = await app.ctx.services.forumWriting.createThread(facilitator.auth, { category: 'group-klasteri-arta', title: 'Vetëm për klasterin', body: 'Brenda grupit.', tags: '' });
	const draftId = await app.ctx.services.drafts.create(facilitator.auth, { title: 'Plani i Artës', summary: '', group: 'klasteri-arta', field: '', visibility: 'members' });
	return { me, threadId, draftId };
}

describe('access follows the member on every open connection', () => {
	it('leaving a group: its space leaves the socket, and its drafts turn read-only on the open connection', async () => {
		const { me, threadId, draftId } = await inArta();
		const [mine, control] = await Promise.all([socketOf(me), socketOf(facilitator)]);
		expect(await ack(mine, 'thread:watch', { threadId })).toMatchObject({ ok: true });
		expect(await ack(control, 'thread:watch', { threadId })).toMatchObject({ ok: true });
		expect(await hearsPost(mine, control, threadId, facilitator)).toBe(true);
		const name = docNameOf(draftId);
		const [writer, other] = await Promise.all([openDoc(name, me.cookie), openDoc(name, facilitator.cookie)]);

		const told = accessChanged(mine);
		const closed = closedWith(writer.p);
		expect((await postForm(base, '/groups/klasteri-arta?/leave', {}, me.cookie)).status).toBe(200);
		await told;
		expect(await closed).toBe(4100);
		expect(await hearsPost(mine, control, threadId, facilitator)).toBe(false);
		expect(mine.connected).toBe(true);
		// Back at once as a reader (members read every draft): what it types is no longer taken.
		await synced(writer.p);
		await editsDropped(writer.doc, other.doc, name, 'Pas largimit');
	});

	it("joining a group: a reader of its draft writes on the same connection, without reconnecting", async () => {
		const [me] = await makePeople(app, 1);
		const draftId = await app.ctx.services.drafts.create(facilitator.auth, { title: 'Kalendari i Artës', summary: '', group: 'klasteri-arta', field: '', visibility: 'members' });
		const name = docNameOf(draftId);
		const mine = await socketOf(me);
		const reader = await openDoc(name, me.cookie);
		const ws = reader.p.ws;
		const told = accessChanged(mine);
		expect((await postForm(base, '/groups/klasteri-arta?/join', {}, me.cookie)).status).toBe(200);
		await told;
		// The socket hears first; the document connection is authorised again beside it (nothing tells the client).
		const writes = () => [...app.yjs.connections()].some((c) => c.name === name && c.userId === me.id && c.access === 'write');
		await expect.poll(writes).toBe(true);
		writeParagraphs(reader.doc, ['Shkruar pa u rilidhur.']);
		await expect.poll(() => stored(name)).toContain('Shkruar pa u rilidhur.');
		expect(reader.p.ws).toBe(ws);
	});

	it('removed from a group by its facilitator: the same, at once', async () => {
		const { me, threadId, draftId } = await inArta();
		const [mine, control] = await Promise.all([socketOf(me), socketOf(facilitator)]);
		await Promise.all([ack(mine, 'thread:watch', { threadId }), ack(control, 'thread:watch', { threadId })]);
		const name = docNameOf(draftId);
		const writer = await openDoc(name, me.cookie);
		const told = accessChanged(mine);
		const closed = closedWith(writer.p);
		await expect(app.ctx.services.groups.remove(me.auth, 'klasteri-arta', facilitator.id)).rejects.toMatchObject({ code: 'forbidden' });
		expect((await postForm(base, '/groups/klasteri-arta?/remove', { userId: String(me.id) }, facilitator.cookie)).status).toBe(200);
		await told;
		expect(await closed).toBe(4100);
		expect(await hearsPost(mine, control, threadId, facilitator)).toBe(false);
		expect(await ack(mine, 'thread:watch', { threadId })).toMatchObject({ ok: false, code: 'not_found' });
	});

	it("a facilitator's role taken back: the chair's controls are refused and the page is told at once", async () => {
		const [me] = await makePeople(app, 1);
		expect((await postForm(base, '/groups/klasteri-arta?/join', {}, me.cookie)).status).toBe(200);
		expect((await postForm(base, '/groups/klasteri-arta?/role', { userId: String(me.id), role: 'facilitator' }, facilitator.cookie)).status).toBe(200);
		const meetingId = await app.ctx.services.meetings.create(facilitator.auth, meetingInput({}));
		const mine = await socketOf(me);
		expect(await ack(mine, 'meeting:join', { meetingId })).toMatchObject({ ok: true });
		// As the group's facilitator they chair its meeting: they may check someone else in.
		expect(await ack(mine, 'meeting:act', { meetingId, action: { type: 'check_in', userId: facilitator.id } })).toMatchObject({ ok: true });
		expect((await app.ctx.services.meetings.get(me.auth, meetingId)).can.chair).toBe(true);

		const told = accessChanged(mine);
		expect((await postForm(base, '/groups/klasteri-arta?/role', { userId: String(me.id), role: 'member' }, facilitator.cookie)).status).toBe(200);
		await told;
		expect((await app.ctx.services.meetings.get(me.auth, meetingId)).can.chair).toBe(false);
		expect(await ack(mine, 'meeting:act', { meetingId, action: { type: 'check_out', userId: facilitator.id } })).toMatchObject({ ok: false, message: 'not_chair' });
		// Still a member of the group, they stay in the room.
		const state = new Promise<LiveState>((r) => mine.once('meeting:state', r));
		expect(await ack(mine, 'meeting:act', { meetingId, action: { type: 'check_in' } })).toMatchObject({ ok: true });
		expect((await state).people.some((p) => p.id === me.id)).toBe(true);
	});

	it('a draft narrowed to members: an applicant and a visitor reading it lose it at once', async () => {
		const [author] = await makePeople(app, 1);
		const [applicant] = await makePeople(app, 1, 'applicant');
		const draftId = await app.ctx.services.drafts.create(author.auth, { title: 'Deklarata publike', summary: '', group: '', field: 'music', visibility: 'public' });
		const [theirs, control] = await Promise.all([socketOf(applicant), socketOf(author)]);
		expect(await ack(theirs, 'draft:watch', { draftId })).toMatchObject({ ok: true });
		await ack(control, 'draft:watch', { draftId });
		const name = docNameOf(draftId);
		const [applicantDoc, visitorDoc, writer] = await Promise.all([openDoc(name, applicant.cookie), openDoc(name, ''), openDoc(name, author.cookie)]);

		const told = accessChanged(theirs);
		const closed = [closedWith(applicantDoc.p), closedWith(visitorDoc.p)];
		await expect(app.ctx.services.drafts.setVisibility(applicant.auth, draftId, 'members')).rejects.toMatchObject({ code: 'forbidden' });
		expect((await postForm(base, `/drafts/${draftId}?/visibility`, { visibility: 'members' }, author.cookie)).status).toBe(200);
		await told;
		expect(await Promise.all(closed)).toEqual([4403, 4403]);
		// A change after the narrowing reaches those still allowed only (the narrowing itself may be told first).
		const heard: number[] = [];
		theirs.on('draft:changed', ({ draftId: id }: { draftId: number }) => heard.push(id));
		await app.ctx.services.drafts.saveVersion(author.auth, draftId, 'Pas ngushtimit');
		// Broadcasts of a draft wait out their coalescing interval: the next one the steward hears carries this change.
		await new Promise((r) => control.once('draft:changed', r));
		await settled(theirs);
		expect(heard).toEqual([]);
		// Nor can they come back; the writer goes on.
		expect(await closeCode(base, `/yjs/${name}`, { origin: base })).toBe(4401);
		expect(await closeCode(base, `/yjs/${name}`, { origin: base, cookie: applicant.cookie })).toBe(4403);
		writeParagraphs(writer.doc, ['Vetëm për anëtarët.']);
		await expect.poll(() => stored(name)).toContain('Vetëm për anëtarët.');
	});

	it("a space narrowed to its group: members outside it stop receiving its threads", async () => {
		const [outsider] = await makePeople(app, 1);
		await app.ctx.services.moderation.setSpaceVisibility(coordinator.auth, 'group-klasteri-korfuz', 'members');
		const threadId = await app.ctx.services.forumWriting.createThread(moderator.auth, { category: 'group-klasteri-korfuz', title: 'Hapur për të gjithë anëtarët', body: 'Për pak kohë.', tags: '' });
		const [theirs, control] = await Promise.all([socketOf(outsider), socketOf(moderator)]);
		await Promise.all([ack(theirs, 'thread:watch', { threadId }), ack(control, 'thread:watch', { threadId })]);
		expect(await hearsPost(theirs, control, threadId, moderator)).toBe(true);

		const told = accessChanged(theirs);
		await expect(app.ctx.services.moderation.setSpaceVisibility(moderator.auth, 'group-klasteri-korfuz', 'group')).rejects.toMatchObject({ code: 'forbidden' });
		expect((await postForm(base, '/moderation?/visibility', { space: 'group-klasteri-korfuz', visibility: 'group' }, coordinator.cookie)).status).toBe(200);
		await told;
		expect(await hearsPost(theirs, control, threadId, moderator)).toBe(false);
		expect(await hearsPost(control, control, threadId, moderator)).toBe(true);
	});

	it('a role lowered: the rooms and the write access it gave go, the socket stays', async () => {
		const [me] = await makePeople(app, 1);
		const coordinatorCookie = coordinator.cookie;
		expect((await postForm(base, `/members/${me.id}?/role`, { role: 'coordinator' }, coordinatorCookie)).status).toBe(200);
		// A coordinator reads every group's space and edits every group's draft.
		const threadId = await app.ctx.services.forumWriting.createThread(facilitator.auth, { category: 'group-klasteri-arta', title: 'Puna e grupit', body: 'Vetëm brenda.', tags: '' });
		const draftId = await app.ctx.services.drafts.create(facilitator.auth, { title: 'Programi i Artës', summary: '', group: 'klasteri-arta', field: '', visibility: 'members' });
		const mine = await socketOf(me);
		const control = await socketOf(facilitator);
		expect(await ack(mine, 'thread:watch', { threadId })).toMatchObject({ ok: true });
		await ack(control, 'thread:watch', { threadId });
		const name = docNameOf(draftId);
		const [writer, other] = await Promise.all([openDoc(name, me.cookie), openDoc(name, facilitator.cookie)]);

		const told = accessChanged(mine);
		const closed = closedWith(writer.p);
		expect((await postForm(base, `/members/${me.id}?/role`, { role: 'member' }, coordinatorCookie)).status).toBe(200);
		await told;
		expect(await closed).toBe(4100);
		expect(await hearsPost(mine, control, threadId, facilitator)).toBe(false);
		expect(mine.connected).toBe(true);
		await synced(writer.p);
		await editsDropped(writer.doc, other.doc, name, 'Pas uljes');
	});

	it('lists only those who may take part as present in a live room: an applicant follows it unseen', async () => {
		const [applicant] = await makePeople(app, 1, 'applicant');
		const [member] = await makePeople(app, 1);
		const meetingId = await app.ctx.services.meetings.create(coordinator.auth, meetingInput({ groupId: null, visibility: 'public' }));
		const theirs = await socketOf(applicant);
		const joined = await ack<{ ok: boolean; state: LiveState }>(theirs, 'meeting:join', { meetingId });
		expect(joined.ok).toBe(true);
		expect(joined.state.people.map((p) => p.id)).not.toContain(applicant.id);
		const mine = await socketOf(member);
		const seen = await ack<{ ok: boolean; state: LiveState }>(mine, 'meeting:join', { meetingId });
		expect(seen.state.people.map((p) => p.id)).toEqual([member.id]);
		expect(await ack(theirs, 'meeting:act', { meetingId, action: { type: 'check_in' } })).toMatchObject({ ok: false, code: 'forbidden' });
	});
});

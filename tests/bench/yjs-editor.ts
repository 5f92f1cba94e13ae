/**
 * The y-websocket clients behind drafts.bench.ts, in processes of their own as the issue asks: in the benchmark's
 * process they would share the event loop that measures, and fifty editors in one process would delay each other.
 * The parent drives each process over IPC:
 * - `type`: some of the editors of one document; they connect, add a paragraph each and answer `ready`; on `go` they
 *   type into their paragraphs on a fixed schedule and answer `typed` (what they sent, when); on `converge` they wait
 *   until their documents hold everyone's edits and answer `converged` (content digests and when each edit arrived).
 * - `fill`: gives documents a 2,000-edit history each, answers `filled` once the server has relayed each one back.
 * - `open`: opens documents one connection each, answers `opened` (connect-to-synced times) and holds them until `close`.
 * Any failure answers `error` and exits.
 */
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { TextGenerator } from './albanian.js';
import { failure, now, pool, sleep } from './lib.js';

export interface TypeJob {
	kind: 'type';
	wsBase: string;
	doc: string;
	/** Headers per editor of this process (cookie and origin for Kuvend, none for the reference server). */
	headers: Record<string, string>[];
	/** Index of this process's first editor among all editors: it sets each editor's phase in the schedule. */
	firstEditor: number;
	totalEditors: number;
	/** Time between two edits of one editor. */
	intervalMs: number;
	/** Typing lasts warmupMs + seconds from the time `go` gives; the parent measures only the last `seconds`. */
	seconds: number;
	warmupMs: number;
}

/** A document and the seed of the history it gets (equal seeds, equal histories). */
export interface DocSpec {
	name: string;
	seed: number;
}

export interface DocsJob {
	kind: 'fill' | 'open';
	wsBase: string;
	headers: Record<string, string>;
	docs: DocSpec[];
	concurrency: number;
}

export type ToClient = TypeJob | DocsJob | { kind: 'go'; at: number } | { kind: 'converge'; expected: [number, number][] } | { kind: 'close' };

export type FromClient =
	| { kind: 'ready' }
	/** sends: flat [client, clock, time] per edit; clocks: each editor's client id and final clock. */
	| { kind: 'typed'; sends: number[]; clocks: [number, number][] }
	/** receipts: flat [client, fromClock, toClock, time] per received update and client in it. */
	| { kind: 'converged'; digests: string[]; receipts: number[] }
	| { kind: 'filled'; ms: number[] }
	| { kind: 'opened'; ms: number[] }
	| { kind: 'error'; message: string };

const EDITS_PER_HISTORY = 2_000;
const AUTHORS = 5;
const SYNC_TIMEOUT_MS = 30_000;


/** A WebSocket class that sends the given headers (y-websocket takes the class, not options). */
function withHeaders(headers: Record<string, string>) {
	return class extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	};
}

function connect(wsBase: string, name: string, doc: Y.Doc, headers: Record<string, string>): WebsocketProvider {
	return new WebsocketProvider(wsBase, name, doc, { WebSocketPolyfill: withHeaders(headers) as unknown as typeof globalThis.WebSocket, disableBc: true });
}

function withTimeout<T>(what: string, promise: Promise<T>, ms = SYNC_TIMEOUT_MS): Promise<T> {
	let timer: NodeJS.Timeout;
	return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)))]).finally(() =>
		clearTimeout(timer)
	);
}

const synced = (p: WebsocketProvider) =>
	withTimeout(
		`sync of ${p.roomname}`,
		new Promise<void>((resolve) => {
			if (p.synced) return resolve();
			const onSync = (state: boolean) => {
				if (!state) return;
				p.off('sync', onSync);
				resolve();
			};
			p.on('sync', onSync);
		})
	);

/**
 * Resolves when the server relays an update to this connection: both servers relay each update they apply to every
 * connection of the document, the sender's too, and Kuvend only once it is in the log.
 */
const echoed = (p: WebsocketProvider) =>
	withTimeout(
		`echo from ${p.roomname}`,
		new Promise<void>((resolve) => {
			(p.ws as unknown as WebSocket).on('message', (data: ArrayBuffer) => {
				const bytes = new Uint8Array(data);
				if (bytes[0] === 0 && bytes[1] === 2) resolve(); // messageSync, messageYjsUpdate
			});
		})
	);

/** Characters as people type them, from an endless supply of Albanian prose. */
class Keyboard {
	readonly #gen: TextGenerator;
	#buffer = '';

	constructor(seed: number) {
		this.#gen = new TextGenerator(seed);
	}

	random(): number {
		return this.#gen.random();
	}

	take(n: number): string {
		while (this.#buffer.length < n) this.#buffer += this.#gen.text().body + ' ';
		const out = this.#buffer.slice(0, n);
		this.#buffer = this.#buffer.slice(n);
		return out;
	}
}

function newParagraph(fragment: Y.XmlFragment, index: number): Y.XmlText {
	const text = new Y.XmlText();
	const paragraph = new Y.XmlElement('paragraph');
	paragraph.insert(0, [text]);
	fragment.insert(index, [paragraph]);
	return text;
}

const textOf = (fragment: Y.XmlFragment, i: number) => (fragment.get(i) as Y.XmlElement).get(0) as Y.XmlText;

const histories = new Map<number, { update: Uint8Array; content: string }>();

/**
 * A draft as the editor stores it (paragraphs of text in the XmlFragment 'default') after 2,000 edits by five people
 * taking turns in sessions of about twenty edits: bursts of typed characters, backspaces and new paragraphs, about
 * 5,000 characters in the end. Each person's document gets the others' changes at once, as through a server.
 */
function history(seed: number): { update: Uint8Array; content: string } {
	const known = histories.get(seed);
	if (known) return known;
	const keys = new Keyboard(1_000 + seed);
	const authors = Array.from({ length: AUTHORS }, () => new Y.Doc());
	for (const a of authors) {
		a.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === 'peer') return;
			for (const b of authors) if (b !== a) Y.applyUpdate(b, update, 'peer');
		});
	}
	newParagraph(authors[0].getXmlFragment('default'), 0);
	let edits = 1;
	while (edits < EDITS_PER_HISTORY) {
		const fragment = authors[Math.floor(keys.random() * AUTHORS)].getXmlFragment('default');
		let p = Math.floor(keys.random() * fragment.length);
		let text = textOf(fragment, p);
		let cursor = keys.random() < 0.5 ? text.length : Math.floor(keys.random() * (text.length + 1));
		for (let session = 0; session < 20 && edits < EDITS_PER_HISTORY; session++, edits++) {
			const roll = keys.random();
			if (roll < 0.04) {
				text = newParagraph(fragment, ++p);
				cursor = 0;
			} else if (roll < 0.12 && cursor > 0) {
				const n = Math.min(cursor, 1 + Math.floor(keys.random() * 4));
				text.delete(cursor - n, n);
				cursor -= n;
			} else {
				const typed = keys.take(1 + Math.floor(keys.random() * 5));
				text.insert(cursor, typed);
				cursor += typed.length;
			}
		}
	}
	const made = { update: Y.encodeStateAsUpdate(authors[0]), content: authors[0].getXmlFragment('default').toString() };
	for (const a of authors) a.destroy();
	histories.set(seed, made);
	return made;
}

interface Editor {
	doc: Y.Doc;
	provider: WebsocketProvider;
	text: Y.XmlText;
	keys: Keyboard;
	phase: number;
}

/** State shared by the messages of one `type` job. */
let editors: Editor[] = [];
let typeJob: TypeJob | null = null;
const receipts: number[] = [];
let recording = false;

async function prepareTyping(job: TypeJob): Promise<void> {
	typeJob = job;
	editors = await Promise.all(
		job.headers.map(async (headers, i) => {
			const doc = new Y.Doc();
			const provider = connect(job.wsBase, job.doc, doc, headers);
			// The time each remote update arrives, with the edits (client, clock range) it carries.
			doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (!recording || origin !== provider) return;
				const t = now();
				const { from, to } = Y.parseUpdateMeta(update);
				for (const [client, end] of to) receipts.push(client, from.get(client) ?? 0, end, t);
			});
			await synced(provider);
			const global = job.firstEditor + i;
			const fragment = doc.getXmlFragment('default');
			return { doc, provider, text: newParagraph(fragment, fragment.length), keys: new Keyboard(global), phase: (global / job.totalEditors) * job.intervalMs };
		})
	);
}

/** Each editor types one character at a time into its own paragraph, every intervalMs from its phase on. */
async function type(at: number): Promise<{ sends: number[]; clocks: [number, number][] }> {
	const job = typeJob!;
	const end = at + job.warmupMs + job.seconds * 1000;
	const sends: number[] = [];
	recording = true;
	await Promise.all(
		editors.map(async (e) => {
			for (let k = 0; ; k++) {
				const due = at + e.phase + k * job.intervalMs;
				if (due >= end) break;
				await sleep(due - now());
				const clock = Y.getState(e.doc.store, e.doc.clientID);
				sends.push(e.doc.clientID, clock, now());
				e.text.insert(e.text.length, e.keys.take(1));
			}
		})
	);
	return { sends, clocks: editors.map((e) => [e.doc.clientID, Y.getState(e.doc.store, e.doc.clientID)]) };
}

async function converge(expected: [number, number][]): Promise<string[]> {
	const complete = (doc: Y.Doc) => expected.every(([client, clock]) => Y.getState(doc.store, client) >= clock);
	await withTimeout(
		'convergence',
		(async () => {
			while (!editors.every((e) => complete(e.doc))) await sleep(50);
		})()
	);
	recording = false;
	return editors.map((e) => createHash('sha1').update(e.doc.getXmlFragment('default').toString()).digest('hex'));
}

async function fill(job: DocsJob): Promise<number[]> {
	const ms: number[] = [];
	await pool(job.docs, job.concurrency, async ({ name, seed }) => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, history(seed).update);
		const t0 = now();
		const provider = connect(job.wsBase, name, doc, job.headers);
		try {
			await echoed(provider);
			ms.push(now() - t0);
		} finally {
			provider.destroy();
			doc.destroy();
		}
	});
	return ms;
}

const held: WebsocketProvider[] = [];

async function open(job: DocsJob): Promise<number[]> {
	const ms: number[] = [];
	await pool(job.docs, job.concurrency, async ({ name, seed }) => {
		const doc = new Y.Doc();
		const t0 = now();
		const provider = connect(job.wsBase, name, doc, job.headers);
		held.push(provider);
		await synced(provider);
		ms.push(now() - t0);
		// A document that loads without its history measures nothing.
		if (doc.getXmlFragment('default').toString() !== history(seed).content) throw new Error(`${name} opened without the text it was given`);
	});
	return ms;
}

function reply(message: FromClient, exit = false): void {
	process.send!(message, () => exit && process.exit(message.kind === 'error' ? 1 : 0));
}

function closeAll(): void {
	for (const e of editors) e.provider.destroy();
	for (const p of held) p.destroy();
}

async function handle(message: ToClient): Promise<void> {
	switch (message.kind) {
		case 'type':
			await prepareTyping(message);
			return reply({ kind: 'ready' });
		case 'go':
			return reply({ kind: 'typed', ...(await type(message.at)) });
		case 'converge': {
			const digests = await converge(message.expected);
			closeAll();
			return reply({ kind: 'converged', digests, receipts }, true);
		}
		case 'fill':
			return reply({ kind: 'filled', ms: await fill(message) }, true);
		case 'open':
			return reply({ kind: 'opened', ms: await open(message) });
		case 'close':
			closeAll();
			return process.exit(0);
	}
}

// Each provider listens for the process's exit (to say goodbye to the others); a thousand of them is expected here.
process.setMaxListeners(0);
process.on('message', (message: ToClient) => {
	handle(message).catch((error: unknown) => reply(failure(error), true));
});
// The parent going away ends the clients too.
process.on('disconnect', () => process.exit(0));

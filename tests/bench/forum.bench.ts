/**
 * Forum benchmarks of issue #4: a 5,000-post thread page under load, search over 100,000 posts, and posts/s
 * through the service. Each figure is measured beside a baseline in the same run (see the table's columns).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RunningApp } from '../../server/app.js';
import * as repo from '../../server/db/repositories/forum.repository.js';
import { fold, ftsQuery, queryTerms } from '../../server/domain/forum.js';
import { excerpt, renderMarkdown } from '../../server/services/markdown.js';
import { COMMON, ORDINARY, RARE, RARE_POSTS, TextGenerator } from './albanian.js';
import { SESSION_COOKIE } from '../../src/lib/shared/session.js';
import { actAs, httpLoad, note, percentile, processCpuMs, serveCompiled, startBenchApp, timeEach, type BenchApp, type LoadResult, type Row } from './lib.js';

const THREAD_REPLIES = 5_000;
const SERVICE_REPLIES = 2_000; // the first replies of the big thread go through the service, timed (figure 3)
const SEARCH_POSTS = 100_000;
const POSTS_PER_THREAD = 20;
const QUERIES = 240;
const LOAD_SECONDS = 5;
/** The load client's warm-up before its measured window (load-client.ts). */
const WARMUP_SECONDS = 0.5;
const PUBLIC_CATEGORIES = ['cultural-policy', 'cultural-heritage'];
const MEMBERS = ['coordinator@demo.test', 'member1@demo.test', 'member2@demo.test', 'member3@demo.test', 'member4@demo.test', 'member5@demo.test'];

/** A reply already in the big thread, as pickParent needs it. */
interface Placed {
	id: number;
	depth: number;
	rootId: number;
}

/** Where the next reply goes: a quarter start a new subthread, the rest answer one of the recent posts. */
function pickParent(gen: TextGenerator, posts: Placed[]): Placed | null {
	if (!posts.length || gen.random() < 0.25) return null;
	const recent = Math.min(posts.length, 200);
	return posts[posts.length - 1 - Math.floor(gen.random() * recent)];
}

/** Figure 3 and the set-up of figure 1: a public thread with 5,000 replies, the first 2,000 through the service. */
export async function buildThread(app: RunningApp, gen: TextGenerator): Promise<{ threadId: number; rows: Row[] }> {
	const { forumWriting: forum } = app.ctx.services;
	const people = await Promise.all(MEMBERS.map((m) => actAs(app, m)));
	const threadId = await forum.createThread(people[0], { category: 'cultural-policy', title: 'Ligji i ri i kulturës: qëndrimi i rrjetit', tags: 'ligji', body: gen.text().body });
	const posts: Placed[] = [];
	const texts = Array.from({ length: THREAD_REPLIES }, () => gen.text().body);

	note(`replying ${SERVICE_REPLIES} times through ForumWritingService.reply...`);
	const t0 = performance.now();
	for (let i = 0; i < SERVICE_REPLIES; i++) {
		const parent = pickParent(gen, posts);
		const id = await forum.reply(people[i % people.length], threadId, parent?.id ?? null, texts[i]);
		posts.push({ id, depth: (parent?.depth ?? 0) + 1, rootId: parent?.rootId ?? id });
	}
	const serviceRate = SERVICE_REPLIES / ((performance.now() - t0) / 1000);

	// Baseline: the same number of single-row write transactions on the raw handle, same file and pragmas.
	const raw = app.ctx.sqlite;
	raw.exec('create table bench_scratch (id integer primary key, body text not null)');
	const insert = raw.prepare('insert into bench_scratch (body) values (?)');
	const write = raw.transaction((body: string) => insert.run(body));
	const t1 = performance.now();
	for (let i = 0; i < SERVICE_REPLIES; i++) write.immediate(texts[i]);
	const rawRate = SERVICE_REPLIES / ((performance.now() - t1) / 1000);
	raw.exec('drop table bench_scratch');

	// The rest in one transaction, through the same repository calls the service makes (post, counters, index).
	note(`adding the other ${THREAD_REPLIES - SERVICE_REPLIES} replies in one transaction...`);
	const thread = (await repo.findThread(app.ctx.db, threadId))!;
	const opening = (await repo.openingPost(app.ctx.db, threadId))!;
	await app.ctx.db.transaction().execute(async (trx) => {
		for (let i = SERVICE_REPLIES; i < THREAD_REPLIES; i++) {
			const parent = pickParent(gen, posts);
			const depth = (parent?.depth ?? 0) + 1;
			const now = Date.now();
			const id = await repo.insertPost(trx, {
				thread_id: threadId,
				parent_id: parent?.id ?? opening.id,
				root_id: parent ? parent.rootId : null,
				depth,
				author_id: people[i % people.length].actor.id,
				body: texts[i],
				html: renderMarkdown(texts[i]),
				created_at: now
			});
			await repo.countNewPost(trx, threadId, thread.category_id, id, now, false);
			await repo.indexPost(trx, id, '', fold(excerpt(texts[i], 20_000)));
			posts.push({ id, depth, rootId: parent?.rootId ?? id });
		}
	});
	const count = (await repo.findThread(app.ctx.db, threadId))!.post_count;
	if (count !== THREAD_REPLIES + 1) throw new Error(`the thread has ${count} posts, expected ${THREAD_REPLIES + 1}`);

	return {
		threadId,
		rows: [{ figure: `create a reply through the service (${SERVICE_REPLIES} replies, one transaction each)`, unit: 'posts/s', measured: serviceRate, baseline: rawRate, budget: { min: 2_000 } }]
	};
}

/**
 * Figure 1: GET /forum/t/<id> from the compiled server in its own process (as `npm start` runs it), as a visitor and
 * as a signed-in member (`token`), beside a plain node:http server sending the same bytes. Visitors are served from
 * the page cache after the first render (server/http/page-cache.ts); a member's page is rendered each time (unread
 * marks, their reactions, controls).
 */
async function threadPage(base: string, threadId: number, token: string, serverPid: number): Promise<Row[]> {
	const url = `${base}/forum/t/${threadId}`;
	const headers = { accept: 'text/html' };
	const first = await fetch(url, { headers });
	if (first.status !== 200) throw new Error(`GET ${url} answered ${first.status}`);
	const html = Buffer.from(await first.arrayBuffer());
	const shown = (html.toString().match(/id="post-\d+"/g) ?? []).length;
	note(`thread page: ${html.length.toLocaleString('en-US')} bytes, ${shown} posts shown`);

	const baseline = http.createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': html.length });
		res.end(html);
	});
	await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
	const baseUrl = `http://127.0.0.1:${(baseline.address() as { port: number }).port}/`;

	const rows: Row[] = [];
	try {
		for (const clients of [1, 10, 50]) {
			note(`thread page with ${clients} client(s), ${LOAD_SECONDS} s each for Kuvend and the baseline...`);
			const k: LoadResult = await httpLoad(url, clients, LOAD_SECONDS, headers);
			const b: LoadResult = await httpLoad(baseUrl, clients, LOAD_SECONDS, headers);
			if (k.bytes !== html.length) note(`(the page size changed under load: ${k.bytes} bytes)`);
			const at10 = clients === 10;
			const name = `thread page, ${clients} client${clients > 1 ? 's' : ''}`;
			rows.push(
				{ figure: `${name}: TTFB p50`, unit: 'ms', measured: k.p50, baseline: b.p50, budget: at10 ? { max: 10 } : undefined },
				{ figure: `${name}: TTFB p99`, unit: 'ms', measured: k.p99, baseline: b.p99, budget: at10 ? { max: 30 } : undefined },
				{ figure: `${name}: throughput`, unit: 'req/s', measured: k.rps, baseline: b.rps, budget: at10 ? { min: 500 } : undefined }
			);
		}
		// The same page for a signed-in member, beside the same node:http server sending the visitor's bytes.
		const memberHeaders = { ...headers, cookie: `${SESSION_COOKIE}=${encodeURIComponent(token)}` };
		const mine = await fetch(url, { headers: memberHeaders });
		if (mine.status !== 200) throw new Error(`GET ${url} as a member answered ${mine.status}`);
		note(`member's thread page: ${(await mine.arrayBuffer()).byteLength.toLocaleString('en-US')} bytes`);
		for (const clients of [10, 50]) {
			note(`thread page as a signed-in member with ${clients} clients, ${LOAD_SECONDS} s each for Kuvend and the baseline...`);
			// CPU per page: the server's CPU time (all its threads, from /proc) over the pages it served, the load's
			// warm-up included; robust to a busy machine where latency and pages/s are not. The baseline's is this process's.
			const cpu0 = processCpuMs(serverPid);
			const member: LoadResult = await httpLoad(url, clients, LOAD_SECONDS, memberHeaders);
			const cpu = processCpuMs(serverPid) - cpu0;
			const self0 = processCpuMs('self');
			const b: LoadResult = await httpLoad(baseUrl, clients, LOAD_SECONDS, headers);
			const selfCpu = processCpuMs('self') - self0;
			const served = (r: LoadResult) => (r.requests * (LOAD_SECONDS + WARMUP_SECONDS)) / LOAD_SECONDS;
			const at10 = clients === 10;
			const name = `thread page, signed-in member, ${clients} clients`;
			rows.push(
				{ figure: `${name}: TTFB p50`, unit: 'ms', measured: member.p50, baseline: b.p50 },
				{ figure: `${name}: TTFB p99`, unit: 'ms', measured: member.p99, baseline: b.p99, budget: { max: at10 ? 30 : 150 } },
				{ figure: `${name}: throughput`, unit: 'req/s', measured: member.rps, baseline: b.rps, budget: at10 ? { min: 600 } : undefined },
				{ figure: `${name}: server CPU per page (≈)`, unit: 'ms', measured: cpu / served(member), baseline: selfCpu / served(b) },
				// Every request must have been answered 200 with a whole page (load-client counts the others).
				{ figure: `${name}: failed requests`, unit: 'requests', measured: member.errors, baseline: b.errors, budget: { max: 0 } }
			);
		}
	} finally {
		await new Promise((resolve) => baseline.close(resolve));
	}
	return rows;
}

/** Figure 2 set-up: 100,000 posts in 5,000 public threads, written straight to the tables in large transactions. */
export async function fillSearchCorpus(app: RunningApp, gen: TextGenerator): Promise<void> {
	const raw = app.ctx.sqlite;
	const db = app.ctx.db;
	const categories = await db.selectFrom('categories').select(['id', 'slug']).where('slug', 'in', PUBLIC_CATEGORIES).execute();
	const authors = (await db.selectFrom('users').select('id').execute()).map((u) => u.id);
	const next = raw.prepare<[], { p: number; t: number }>('select (select coalesce(max(id), 0) from posts) + 1 as p, (select coalesce(max(id), 0) from threads) + 1 as t').get()!;
	let postId = next.p;
	let threadId = next.t;

	// Which posts carry the rare words: RARE_POSTS each, spread over the corpus.
	const planted = new Map<number, string>();
	RARE.forEach((word, w) => {
		for (let k = 0; k < RARE_POSTS; k++) planted.set(Math.floor(((k * RARE.length + w) * SEARCH_POSTS) / (RARE.length * RARE_POSTS)) + w, word);
	});

	const insertThread = raw.prepare(
		'insert into threads (id, category_id, author_id, title, tags, post_count, created_at, last_post_at, last_post_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)'
	);
	const insertPost = raw.prepare('insert into posts (id, thread_id, parent_id, root_id, depth, author_id, body, html, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
	const insertIndex = raw.prepare('insert into search_index (rowid, title, body) values (?, ?, ?)');
	const countCategory = raw.prepare('update categories set thread_count = thread_count + ?, post_count = post_count + ?, last_post_at = max(coalesce(last_post_at, 0), ?) where id = ?');
	const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
	const start = Date.now() - 365 * 24 * 3600 * 1000;

	// One thread: opening post (carrying the folded title in the index) and top-level replies, as the service writes.
	const writeThread = (n: number) => {
		const category = categories[n % categories.length].id;
		const title = gen.title();
		const created = start + n * 6_000_000;
		const first = postId;
		const last = first + POSTS_PER_THREAD - 1;
		insertThread.run(threadId, category, authors[n % authors.length], title.body, '[]', POSTS_PER_THREAD, created, created + POSTS_PER_THREAD * 60_000, last);
		for (let i = 0; i < POSTS_PER_THREAD; i++, postId++) {
			const rare = planted.get(n * POSTS_PER_THREAD + i);
			const text = gen.text(rare ? [rare] : []);
			const opening = i === 0;
			insertPost.run(postId, threadId, opening ? null : first, opening ? null : postId, opening ? 0 : 1, authors[(n + i) % authors.length], text.body, `<p>${escape(text.body)}</p>`, created + i * 60_000);
			insertIndex.run(postId, opening ? title.folded : '', text.folded);
		}
		countCategory.run(1, POSTS_PER_THREAD, created + POSTS_PER_THREAD * 60_000, category);
		threadId++;
	};
	const batch = raw.transaction((from: number, to: number) => {
		for (let n = from; n < to; n++) writeThread(n);
	});
	const threads = SEARCH_POSTS / POSTS_PER_THREAD;
	for (let n = 0; n < threads; n += 500) batch.immediate(n, Math.min(threads, n + 500));
	raw.exec("insert into search_index (search_index) values ('optimize')"); // as after any bulk load
}

/**
 * The search figures' queries, as people type them (some with diacritics and capitals, some without), by kind, with
 * SQLite's budgets (issue #4). Also what the search on PostgreSQL is timed with (pgsearch.bench.ts).
 */
export function searchKinds(): [string, string[], { p50?: number; p99: number }][] {
	const cycle = (terms: string[]) => Array.from({ length: QUERIES }, (_, i) => terms[i % terms.length]);
	return [
		['rare term', cycle(RARE.flatMap((w) => [w, w.normalize('NFD').replace(/\p{M}/gu, ''), w.toUpperCase()])), { p50: 2, p99: 20 }],
		['ordinary term', cycle(ORDINARY.filter((_, i) => i % 7 === 0)), { p50: 2, p99: 20 }],
		['very common term', cycle([...COMMON, 'Dhe', 'eshte', 'per']), { p99: 50 }]
	];
}

/** Figure 2: SearchService.search as a visitor, beside the bare FTS5 query on the raw handle. */
async function search(app: RunningApp, gen: TextGenerator): Promise<Row[]> {
	const t0 = performance.now();
	await fillSearchCorpus(app, gen);
	note(`search corpus: ${SEARCH_POSTS.toLocaleString('en-US')} posts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

	const bare = app.ctx.sqlite.prepare('select rowid, bm25(search_index, 4.0, 1.0) as rank from search_index where search_index match ? order by rank limit 21');
	const hits = (q: string) => app.ctx.sqlite.prepare('select count(*) as n from search_index where search_index match ?').get(ftsQuery(queryTerms(q))) as { n: number };
	const rows: Row[] = [];
	for (const [kind, queries, budget] of searchKinds()) {
		const matches = queries.slice(0, 30).map((q) => hits(q).n);
		note(`${kind}: ${Math.min(...matches)}–${Math.max(...matches)} matching posts`);
		// Warm-up: every distinct query once, for both, so that neither is timed on pages the other brought in.
		const distinct = new Set(queries).size;
		const service = await timeEach(queries, (q) => app.ctx.services.search.search(null, { q }), distinct);
		const matchStrings = queries.map((q) => ftsQuery(queryTerms(q)));
		const baseline = await timeEach(matchStrings, (m) => bare.all(m), distinct);
		rows.push(
			{ figure: `search, ${kind}: p50`, unit: 'ms', measured: percentile(service, 50), baseline: percentile(baseline, 50), budget: budget.p50 ? { max: budget.p50 } : undefined },
			{ figure: `search, ${kind}: p99`, unit: 'ms', measured: percentile(service, 99), baseline: percentile(baseline, 99), budget: { max: budget.p99 } }
		);
	}
	// A visitor must find a rare word only in the posts it was planted in (the corpus is what we think it is).
	const found = await app.ctx.services.search.search(null, { q: RARE[0] });
	if (found.hits.length !== RARE_POSTS) throw new Error(`"${RARE[0]}" found ${found.hits.length} times, planted ${RARE_POSTS}`);
	return rows;
}

/** A member's session, made through the service in the bench app; the server process reads it from the database. */
async function memberToken(app: RunningApp): Promise<string> {
	return (await app.ctx.services.auth.signIn({ email: 'member3@demo.test', password: 'demo-kuvend' })).token;
}

/**
 * The thread page figures from the compiled server, started on the bench app's data once the app has stopped (one
 * process per data folder). BENCH_PROFILE=<folder>: that server runs with --cpu-prof and leaves its profile there
 * (summarise it with tests/bench/profile-summary.ts).
 */
async function pagesFromServer(app: BenchApp, threadId: number, token: string): Promise<Row[]> {
	await app.stop();
	const folder = process.env.BENCH_PROFILE;
	const server = await serveCompiled(app.config.dataDir, folder ? ['--cpu-prof', `--cpu-prof-dir=${folder}`] : []);
	try {
		return await threadPage(server.url, threadId, token, server.pid);
	} finally {
		await server.stop();
		if (folder) note(`CPU profile of the server in ${folder}`);
	}
}

export async function run(): Promise<Row[]> {
	const app = await startBenchApp({ pages: true });
	try {
		const gen = new TextGenerator(42);
		// FORUM_BENCH=search runs the search figures alone (quicker while working on search), FORUM_BENCH=service the
		// posts/s through the service alone (the thread is built as for the full run, its page is not loaded).
		if (process.env.FORUM_BENCH === 'search') return await search(app, gen);
		if (process.env.FORUM_BENCH === 'service') return (await buildThread(app, gen)).rows;
		// FORUM_BENCH=page: the thread page alone, for visitors and members (the thread is built as for the full run).
		if (process.env.FORUM_BENCH === 'page') {
			const { threadId, rows: writeRows } = await buildThread(app, gen);
			return [...(await pagesFromServer(app, threadId, await memberToken(app))), ...writeRows];
		}
		const { threadId, rows: writeRows } = await buildThread(app, gen);
		const token = await memberToken(app);
		const searchRows = await search(app, gen);
		const pageRows = await pagesFromServer(app, threadId, token);
		return [...pageRows, ...searchRows, ...writeRows];
	} finally {
		await app.dispose();
	}
}

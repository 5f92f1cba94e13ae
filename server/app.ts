import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import type { RequestHandler } from 'express';
import type { Config } from './config.js';
import { createContext, publishContext, type AppContext } from './context.js';
import { createExpressApp, HOST_HEADER, PROTO_HEADER, securityHeaders } from './http/express-app.js';
import { serveCachedPage } from './http/page-cache.js';
import { apiHandler } from './http/api/router.js';
import { ADDRESS_HEADER } from './http/client-address.js';
import { labelResponse, measureRequests } from './http/metrics-endpoint.js';
import { attachRedisAdapter, attachSocketServer, type KuvendIo } from './realtime/socket-server.js';
import { YjsServer } from './realtime/yjs/yjs-server.js';
import { attachAccessRecheck } from './realtime/access-recheck.js';
import { BUILD_DIR } from './paths.js';
import { lockDataFolder } from './db/data-folder-lock.js';
import { BackupSchedule } from './services/backup-schedule.js';
import { DRAIN_GRACE_MS } from './lifecycle.js';

/** How long an idle kept-alive connection stays open: longer than the proxies' and load balancers' usual 60 s. */
const KEEP_ALIVE_MS = 65_000;

export interface RunningApp {
	ctx: AppContext;
	httpServer: http.Server;
	io: KuvendIo;
	yjs: YjsServer;
	/** Where the server listens, e.g. http://127.0.0.1:41234 */
	url: string;
	/**
	 * Drains and stops: new writes are refused as 'restarting', clients are told, writes already accepted are
	 * answered, then sockets, documents and the database are closed. Idempotent.
	 */
	stop(): Promise<void>;
}

/** Loads the SvelteKit handler built by adapter-node, telling it where to read the public origin from. */
export async function loadSvelteKitHandler(buildDir = BUILD_DIR): Promise<RequestHandler> {
	const file = path.join(buildDir, 'handler.js');
	if (!fs.existsSync(file)) {
		throw new Error(`The web app is not built (${file} is missing). Run "npm run build" or "npm start".`);
	}
	// adapter-node reads these once, when its handler is imported.
	process.env.PROTOCOL_HEADER = PROTO_HEADER;
	process.env.HOST_HEADER = HOST_HEADER;
	// Form bodies up to 2 MB (adapter-node's default is 512 KB): the network's logo may be 1 MB.
	process.env.BODY_SIZE_LIMIT = '2M';
	// getClientAddress() reads the address Express decided (server/http/client-address.ts), never X-Forwarded-For itself.
	process.env.ADDRESS_HEADER = ADDRESS_HEADER;
	const mod = (await import(pathToFileURL(file).href)) as { handler: RequestHandler };
	return mod.handler;
}

/** Wires one Kuvend process: context, Express with SvelteKit, Socket.IO and the Yjs endpoint on one port. */
export async function startApp(config: Config, options: { sveltekit?: RequestHandler | null } = {}): Promise<RunningApp> {
	const sveltekit = options.sveltekit === undefined ? await loadSvelteKitHandler() : options.sveltekit;
	// Before the database is opened: a second process would migrate it, and at its stop overwrite the first one's drafts.
	const lock = lockDataFolder(config.databaseFile);
	let ctx: AppContext;
	try {
		ctx = await createContext(config);
	} catch (error) {
		lock.release();
		throw error;
	}
	publishContext(ctx);
	// File backups copy the SQLite file; PostgreSQL is backed up by its own tools (pg_dump), so none are scheduled.
	const backups = new BackupSchedule(ctx.sqlite, { dir: config.backupDir, everyMs: ctx.dialect === 'sqlite' ? config.backupEveryMs : 0, keep: config.backupKeep }, ctx.logger);

	const app = createExpressApp(ctx, sveltekit);
	const withHeaders = securityHeaders(config);
	// The read API answers every method itself (only GET is served), without Express's cross-site guard.
	const api = apiHandler(ctx, withHeaders);
	// The read API, and a visitor's public page kept in the cache, are answered here, before Express and SvelteKit.
	const measure = measureRequests(ctx.metrics, ['/healthz', '/metrics']);
	const httpServer = http.createServer((req, res) => {
		measure(req, res);
		if (api(req, res)) return;
		if (serveCachedPage(ctx.pageCache, req, res, withHeaders)) labelResponse(res, '(visitor page cache)');
		else app(req, res);
	});
	// A client or proxy keeping a connection for its next request (nginx's upstream keepalive, a load balancer's 60 s)
	// must not send it just as the server closes it: Node's 5 s default lost such a request with a reset connection
	// (seen in the browser tests: ECONNRESET on a form post). Idle connections still close at once on stop.
	httpServer.keepAliveTimeout = KEEP_ALIVE_MS;
	httpServer.headersTimeout = KEEP_ALIVE_MS + 1000;
	const io = attachSocketServer(httpServer, ctx);
	if (ctx.shared) {
		try {
			await attachRedisAdapter(io, ctx.shared);
		} catch (error) {
			await ctx.close();
			lock.release();
			throw error;
		}
	}
	// Socket.IO answers its own path (handshakes, polling, its errors) before the handler above ever sees it.
	httpServer.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
		if (req.url?.startsWith('/socket.io/')) withHeaders(res);
	});
	const yjs = new YjsServer(ctx);
	attachAccessRecheck(ctx, io, yjs);
	ctx.metrics.observeRealtime({
		sockets: () => io.engine.clientsCount,
		yjsConnections: () => [...yjs.connections()].length,
		loadedDocuments: () => ctx.services.documents.loaded
	});
	httpServer.on('upgrade', (req, socket, head) => {
		if (yjs.handleUpgrade(req, socket, head)) return;
		// Socket.IO handles its own path; anything else is not ours.
		if (!req.url?.startsWith('/socket.io/')) socket.destroy();
	});

	await new Promise<void>((resolve, reject) => {
		httpServer.once('error', reject);
		httpServer.listen(config.port, config.host, () => {
			httpServer.off('error', reject);
			resolve();
		});
	});
	const address = httpServer.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
	ctx.setListeningUrl(`http://${host}:${port}`);
	lock.describe(config.origin ?? `http://${host}:${port}`);
	backups.start();

	let stopping: Promise<void> | undefined;
	// The drain: refuse new writes, tell every client, answer what was accepted, then close (see server/lifecycle.ts).
	const stop = () =>
		(stopping ??= (async () => {
			ctx.lifecycle.drain();
			io.emit('server:restarting');
			// Editors' changes are stored as they come, so nothing of theirs waits: closed now, with "restarting".
			yjs.close();
			const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
			httpServer.closeIdleConnections();
			// What clients sent before the notice reached them is answered too: taken if it came first, else refused.
			await ctx.lifecycle.settled(DRAIN_GRACE_MS);
			ctx.bus.emit('app.stopping', {});
			// Now, before Socket.IO's close, which waits for the HTTP server's: a connection busy at the first call went
			// idle since, and kept alive (65 s, below) it would hold the stop that long.
			httpServer.closeAllConnections();
			await io.close();
			await closed;
			await backups.stop();
			await ctx.close();
			lock.release();
			publishContext(null);
		})());
	return { ctx, httpServer, io, yjs, url: `http://${host}:${port}`, stop };
}

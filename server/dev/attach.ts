import type { Server } from 'node:http';
import { loadConfig } from '../config.js';
import { createContext, publishContext } from '../context.js';
import { lockDataFolder } from '../db/data-folder-lock.js';
import { attachSocketServer } from '../realtime/socket-server.js';
import { YjsServer } from '../realtime/yjs/yjs-server.js';
import { attachAccessRecheck } from '../realtime/access-recheck.js';
import { setupLinkLines } from '../services/setup.service.js';

/** Attaches the same context, Socket.IO and Yjs endpoint as production to Vite's dev server. */
export async function attachRealtime(httpServer: Server, port: number): Promise<void> {
	const config = loadConfig({ ...process.env, NODE_ENV: 'development', PORT: String(port) });
	// The dev server serves its data folder like `npm start` does: one process at a time.
	const lock = lockDataFolder(config.databaseFile);
	const ctx = await createContext(config);
	ctx.setListeningUrl(`http://localhost:${port}`);
	lock.describe(`http://localhost:${port}`);
	publishContext(ctx);
	const setup = await ctx.services.setup.linkAtStart(ctx.publicOrigin());
	if (setup) process.stdout.write(`\n${setupLinkLines(setup).join('\n')}\n\n`);
	const io = attachSocketServer(httpServer, ctx);
	const yjs = new YjsServer(ctx);
	attachAccessRecheck(ctx, io, yjs);
	// Vite's HMR socket shares this server: unknown upgrade paths are left alone here.
	httpServer.on('upgrade', (req, socket, head) => void yjs.handleUpgrade(req, socket, head));
	httpServer.once('close', () => {
		yjs.close();
		void io.close();
		void ctx.close().finally(() => lock.release());
	});
}

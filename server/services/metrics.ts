import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/client.js';
import type { EventBus } from '../events/bus.js';
import { databaseSize } from '../db/database-size.js';
import { outboxTotals } from '../db/repositories/outbox.repository.js';
import { MAX_ATTEMPTS } from '../mail/mailer.js';

/** What the realtime layer tells the metrics at each scrape (it is created after the context). */
export interface RealtimeGauges {
	sockets(): number;
	yjsConnections(): number;
	loadedDocuments(): number;
}

/**
 * The process's Prometheus metrics, in a registry of its own (tests run several servers in one process). Labels are
 * bounded: a route's pattern, never its URL; ballots are one number, never a vote or a voter.
 */
export class Metrics {
	readonly registry = new Registry();
	readonly #requests: Histogram<'route' | 'method' | 'status'>;
	#realtime: RealtimeGauges | null = null;

	constructor(db: Db, bus: EventBus, databaseFile: string) {
		const registers = [this.registry];
		collectDefaultMetrics({ register: this.registry });
		this.#requests = new Histogram({
			name: 'kuvend_http_request_duration_seconds',
			help: 'HTTP request durations, by route pattern, method and status class',
			labelNames: ['route', 'method', 'status'],
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
			registers
		});
		const ballots = new Counter({ name: 'kuvend_ballots_cast_total', help: 'Ballots cast (a changed ballot counts again)', registers });
		bus.on('vote.ballots_written', ({ count }) => ballots.inc(count));
		const realtime = () => this.#realtime;
		new Gauge({
			name: 'kuvend_open_sockets',
			help: 'Open Socket.IO connections',
			registers,
			collect() {
				this.set(realtime()?.sockets() ?? 0);
			}
		});
		new Gauge({
			name: 'kuvend_yjs_connections',
			help: 'Open Yjs document connections',
			registers,
			collect() {
				this.set(realtime()?.yjsConnections() ?? 0);
			}
		});
		new Gauge({
			name: 'kuvend_yjs_documents_loaded',
			help: 'Collaborative documents held in memory',
			registers,
			collect() {
				this.set(realtime()?.loadedDocuments() ?? 0);
			}
		});
		new Gauge({
			name: 'kuvend_outbox_mail',
			help: 'Unsent mail in the outbox: pending (still tried) and failed (given up)',
			labelNames: ['state'],
			registers,
			async collect() {
				const { pending, failed } = await outboxTotals(db, MAX_ATTEMPTS);
				this.set({ state: 'pending' }, pending);
				this.set({ state: 'failed' }, failed);
			}
		});
		new Gauge({
			name: 'kuvend_database_bytes',
			help: 'Size on disk of the database: the SQLite file and its write-ahead log, or the PostgreSQL database (file)',
			labelNames: ['part'],
			registers,
			async collect() {
				const bytes = await databaseSize(db, databaseFile);
				this.set({ part: 'file' }, bytes.file);
				this.set({ part: 'wal' }, bytes.wal);
			}
		});
	}

	/** Called once the realtime layer exists. */
	observeRealtime(gauges: RealtimeGauges): void {
		this.#realtime = gauges;
	}

	observeRequest(route: string, method: string, status: number, seconds: number): void {
		this.#requests.observe({ route, method: KNOWN_METHODS.has(method) ? method : 'OTHER', status: `${Math.floor(status / 100)}xx` }, seconds);
	}

	/** The text a Prometheus scrape receives, and its content type. */
	async scrape(): Promise<{ body: string; contentType: string }> {
		return { body: await this.registry.metrics(), contentType: this.registry.contentType };
	}
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

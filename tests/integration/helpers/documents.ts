import { DocumentStore } from '../../../server/db/repositories/document.repository.js';
import { PostgresDocumentStore } from '../../../server/db/repositories/document-postgres.repository.js';
import type { TestApp } from './app.js';

/**
 * How many updates a document's log holds beyond its merged state: read at once on SQLite (so a count taken as an
 * update arrives says what was stored before it was relayed); on PostgreSQL by a query.
 */
export function logLength(app: TestApp, name: string): number | Promise<number> {
	return app.config.databaseUrl ? new PostgresDocumentStore(app.ctx.db).logLength(name) : new DocumentStore(app.ctx.sqlite).logLength(name);
}

import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import { dialectOf } from './index.js';

/**
 * The SQL fragments that are spelled differently on SQLite and PostgreSQL, one function per concern, so that the
 * repositories stay one set. (Insert-or-ignore needs none: Kysely's `onConflict((oc) => oc.doNothing())` compiles on
 * both.)
 */

/** The larger of two values: SQLite's two-argument max(), PostgreSQL's greatest(). */
export function greatest<T>(db: Kysely<any>, a: Expression<T>, b: Expression<T>): RawBuilder<T> {
	return dialectOf(db) === 'postgres' ? sql<T>`greatest(${a}, ${b})` : sql<T>`max(${a}, ${b})`;
}

/**
 * Writes a post's folded title and body into the search index, replacing what it held. On SQLite an FTS5 table
 * (`insert or replace`: an upsert is not allowed on a virtual table); on PostgreSQL a plain table whose tsvector
 * column the server computes (migrations/2026-11-22T1500_forum.ts).
 */
export function upsertSearchRow(db: Kysely<any>, postId: unknown, title: unknown, body: unknown): RawBuilder<unknown> {
	return dialectOf(db) === 'postgres'
		? sql`insert into search_index (rowid, title, body) values (${postId}, ${title}, ${body}) on conflict (rowid) do update set title = excluded.title, body = excluded.body`
		: sql`insert or replace into search_index (rowid, title, body) values (${postId}, ${title}, ${body})`;
}

/** The integers of a JSON array given as one parameter (so the SQL text keeps one shape), as a one-column `value` set. */
export function jsonIntegers(db: Kysely<any>, array: unknown): RawBuilder<{ value: number }> {
	return dialectOf(db) === 'postgres'
		? sql`select value::bigint as value from jsonb_array_elements_text(cast(${array} as jsonb))`
		: sql`select value from json_each(${array})`;
}

/**
 * A condition as a 0/1 integer, as SQLite gives every comparison and `exists`; PostgreSQL gives a boolean, which the
 * rows' types (number) and the code reading them do not expect.
 */
export function flag(db: Kysely<any>, condition: Expression<unknown> | RawBuilder<unknown>): RawBuilder<number> {
	return dialectOf(db) === 'postgres' ? sql<number>`(${condition})::int` : sql<number>`${condition}`;
}

/** The aggregate joining a group's texts with a separator: SQLite's group_concat(), PostgreSQL's string_agg(). */
export function joinedTextFunction(db: Kysely<any>): 'group_concat' | 'string_agg' {
	return dialectOf(db) === 'postgres' ? 'string_agg' : 'group_concat';
}

/** Where a text first occurs in another, from 1 (0: nowhere): SQLite's instr(), PostgreSQL's strpos(). */
export function textPositionFunction(db: Kysely<any>): 'instr' | 'strpos' {
	return dialectOf(db) === 'postgres' ? 'strpos' : 'instr';
}

/**
 * A column as SQLite's planner may not look it up through an index (its unary `+`); PostgreSQL reads it as it is. For
 * a filter that keeps most rows of a list read in the order of another index: without statistics SQLite takes an
 * equality on an indexed column to keep about ten rows and would read them all through that index, then sort them,
 * for every page; PostgreSQL plans from its statistics.
 */
export function notLookedUp<T>(db: Kysely<any>, column: Expression<T>): RawBuilder<T> {
	return dialectOf(db) === 'postgres' ? sql<T>`${column}` : sql<T>`+${column}`;
}

import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Locale, Role, UserStatus, GroupKind } from '../../src/lib/shared/types.js';

/** Times are integer milliseconds since the epoch. */
export interface UsersTable {
	id: Generated<number>;
	email: string;
	password_hash: string | null;
	display_name: string;
	role: Role;
	status: UserStatus;
	locale: Locale;
	city: string | null;
	bio: string | null;
	created_at: number;
	updated_at: number;
	show_email: Generated<number>;
	notify_in_app: Generated<number>;
	notify_email: Generated<NotifyEmail>;
}

export type NotifyEmail = 'now' | 'digest' | 'off';

export interface SessionsTable {
	/** SHA-256 (hex) of the session token; the token itself is never stored. */
	id: string;
	user_id: number;
	created_at: number;
	last_seen_at: number;
	expires_at: number;
	absolute_expires_at: number;
	user_agent: string | null;
	ip: string | null;
}

export interface FieldsOfActionTable {
	id: Generated<number>;
	slug: string;
	position: number;
}

export interface UserFieldsTable {
	user_id: number;
	field_id: number;
}

export interface OrganisationsTable {
	id: Generated<number>;
	slug: string;
	name: string;
	description: Generated<string>;
	city: string | null;
	website: string | null;
	created_at: number;
}

export interface OrganisationFieldsTable {
	organisation_id: number;
	field_id: number;
}

export interface OrganisationRepresentativesTable {
	organisation_id: number;
	user_id: number;
	created_at: number;
}

export interface GroupsTable {
	id: Generated<number>;
	slug: string;
	name: string;
	kind: GroupKind;
	description: Generated<string>;
	city: string | null;
	join_policy: Generated<'open' | 'request'>;
	created_at: number;
}

export interface GroupMembersTable {
	group_id: number;
	user_id: number;
	role: Generated<'member' | 'facilitator'>;
	joined_at: number;
}

export interface AuditLogTable {
	id: Generated<number>;
	actor_id: number | null;
	action: string;
	subject_type: string;
	subject_id: string;
	data: Generated<string>;
	created_at: number;
}

export interface JoinRequestsTable {
	id: Generated<number>;
	user_id: number;
	kind: 'individual' | 'organisation';
	organisation_name: string | null;
	organisation_website: string | null;
	city: string;
	/** JSON array of field-of-action slugs. */
	fields: string;
	motivation: string;
	status: Generated<'pending' | 'approved' | 'rejected'>;
	reason: string | null;
	reviewed_by: number | null;
	reviewed_at: number | null;
	organisation_id: number | null;
	created_at: number;
}

export interface GroupJoinRequestsTable {
	group_id: number;
	user_id: number;
	created_at: number;
}

export interface PasswordResetsTable {
	/** SHA-256 (hex) of the emailed token. */
	id: string;
	user_id: number;
	created_at: number;
	expires_at: number;
	used_at: number | null;
}

export interface OutboxTable {
	id: Generated<number>;
	to_address: string;
	locale: string;
	subject: string;
	body: string;
	created_at: number;
	sent_at: number | null;
	attempts: Generated<number>;
	last_error: string | null;
}

export interface Database {
	users: UsersTable;
	sessions: SessionsTable;
	fields_of_action: FieldsOfActionTable;
	user_fields: UserFieldsTable;
	organisations: OrganisationsTable;
	organisation_fields: OrganisationFieldsTable;
	organisation_representatives: OrganisationRepresentativesTable;
	groups: GroupsTable;
	group_members: GroupMembersTable;
	audit_log: AuditLogTable;
	join_requests: JoinRequestsTable;
	group_join_requests: GroupJoinRequestsTable;
	password_resets: PasswordResetsTable;
	outbox: OutboxTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type NewSession = Insertable<SessionsTable>;
export type GroupRow = Selectable<GroupsTable>;
export type OrganisationRow = Selectable<OrganisationsTable>;
export type JoinRequestRow = Selectable<JoinRequestsTable>;
export type OutboxRow = Selectable<OutboxTable>;

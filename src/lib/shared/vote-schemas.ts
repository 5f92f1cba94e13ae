/**
 * The schemas of what a page or a socket sends about a vote (a ballot, a cast), for the server. Apart from votes.ts
 * so that a page importing votes.ts does not build them (and ship zod) for nothing.
 */
import { z } from 'zod';
import { DEVICE_TOKEN_PATTERN, MAX_SCORE } from './votes.js';

const optionId = z.number().int().min(1).max(1000);

/** A ballot as it arrives from a page or a socket; the vote's own rules are checked after (ballotProblem). */
export const ballotSchema = z.discriminatedUnion('method', [
	z.object({ method: z.literal('yes_no'), choice: z.enum(['yes', 'no', 'abstain']) }),
	z.object({ method: z.literal('single'), option: optionId }),
	z.object({ method: z.literal('approval'), options: z.array(optionId).max(50) }),
	z.object({ method: z.literal('ranked'), ranking: z.array(optionId).max(50) }),
	z.object({ method: z.literal('score'), scores: z.record(z.string().regex(/^\d{1,4}$/), z.number().int().min(0).max(MAX_SCORE)) }),
	z.object({ method: z.literal('consent'), choice: z.enum(['agree', 'abstain', 'object', 'block']), reason: z.string().max(2000).optional() })
]);

/**
 * A cast as a page or a socket sends it. The ballot's shape is checked by the service (ballotSchema, then the vote's
 * own rules), so that a malformed ballot is told as a ballot problem; whether a receipt is needed depends on the vote.
 */
export const castRequestSchema = z.object({
	ballot: z.unknown(),
	/** Change the ballot already cast (open votes until closing). */
	replace: z.boolean().optional(),
	/** Secret votes: the receipt of the ballot to change. */
	receipt: z.string().max(20).optional(),
	/** The cast id this press of "vote" made; a retry sends the same one and gets the first answer back. */
	castId: z.string().regex(DEVICE_TOKEN_PATTERN).optional(),
	/** Secret votes: the change key the device keeps, set with the first ballot and needed to change it. */
	changeKey: z.string().regex(DEVICE_TOKEN_PATTERN).optional(),
	/** Organisation votes, for someone who represents several; two chambers: cast for this organisation. */
	organisationId: z.number().int().positive().optional(),
	/** Cast the ballot of this member, whose proxy the caster holds in this vote. */
	proxyFor: z.number().int().positive().optional()
});
export type CastRequest = z.infer<typeof castRequestSchema>;

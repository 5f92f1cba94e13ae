import { MAX_DEPTH, type PostNode, type PostView, type ReactionView } from '$lib/shared/forum';

/**
 * The posts of one thread page as the browser shows them, patched by live events. Every post is indexed by id,
 * so a post that arrives twice (an event and a catch-up after a reconnect) is applied once.
 */
export class ThreadState {
	opening = $state<PostView>() as PostView;
	replies = $state<PostNode[]>([]);
	/** Highest post id this page has seen: what to ask for after a reconnect. */
	lastId = $state(0);
	/** Replies that arrived for other pages of the thread. */
	elsewhere = $state(0);
	#index = new Map<number, PostNode | PostView>();

	constructor(
		opening: PostView,
		replies: PostNode[],
		private readonly onLastPage: boolean,
		/** Everything up to here is accounted for by the page (shown, on another page, or behind "continue"). */
		lastPostId = 0
	) {
		this.opening = opening;
		this.replies = replies;
		this.#reindex();
		this.lastId = Math.max(this.lastId, lastPostId);
	}

	#reindex() {
		this.#index.clear();
		this.#index.set(this.opening.id, this.opening);
		this.lastId = this.opening.id;
		const walk = (nodes: PostNode[]) => {
			for (const n of nodes) {
				this.#index.set(n.id, n);
				this.lastId = Math.max(this.lastId, n.id);
				walk(n.replies);
			}
		};
		walk(this.replies);
	}

	#find(id: number): PostNode | PostView | undefined {
		// Look up through the reactive tree so that changes are seen by the components showing it.
		if (id === this.opening.id) return this.opening;
		const walk = (nodes: PostNode[]): PostNode | undefined => {
			for (const n of nodes) {
				if (n.id === id) return n;
				const found = walk(n.replies);
				if (found) return found;
			}
		};
		return this.#index.has(id) ? walk(this.replies) : undefined;
	}

	/** Adds a new post or replaces the content of a known one. */
	apply(post: PostView): void {
		this.lastId = Math.max(this.lastId, post.id);
		const known = this.#find(post.id);
		if (known) {
			const mine = new Map(known.reactions.map((r) => [r.emoji, r.mine]));
			Object.assign(known, { ...post, reactions: post.reactions.map((r) => ({ ...r, mine: mine.get(r.emoji) ?? false })) });
			return;
		}
		const node: PostNode = { ...post, replies: [], more: 0 };
		if (post.parentId === this.opening.id) {
			if (!this.onLastPage) {
				this.elsewhere += 1;
				return;
			}
			this.replies.push(node);
		} else {
			const parent = post.parentId === null ? undefined : (this.#find(post.parentId) as PostNode | undefined);
			if (!parent || !('replies' in parent)) return;
			if (post.depth - 1 > MAX_DEPTH) {
				parent.more += 1;
				return;
			}
			parent.replies.push(node);
		}
		this.#index.set(post.id, node);
	}

	setReactions(postId: number, counts: Omit<ReactionView, 'mine'>[]): void {
		const post = this.#find(postId);
		if (!post) return;
		const mine = new Map(post.reactions.map((r) => [r.emoji, r.mine]));
		post.reactions = counts.map((r) => ({ ...r, mine: mine.get(r.emoji) ?? false }));
	}
}

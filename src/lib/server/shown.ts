import { ShownHtml } from '$lib/shared/shown-html';
import type { PostNode, PostView } from '$lib/shared/forum';

/**
 * For a full page render: each post's HTML becomes a ShownHtml, sent once in the markup and taken back from it by
 * the browser (see src/hooks.ts). A data request (client-side navigation) keeps plain strings.
 */
export function showOnce<P extends PostView | PostNode>(posts: P[], isDataRequest: boolean): P[] {
	if (isDataRequest) return posts;
	return posts.map((post) => ({
		...post,
		html: typeof post.html === 'string' ? new ShownHtml(`post-${post.id}`, post.html) : post.html,
		...('replies' in post ? { replies: showOnce(post.replies, false) } : {})
	}));
}

import type { Config } from '../../config.js';

/** What a command gets: its own arguments (after its name), the configuration, and where to write. */
export interface CommandInput {
	args: string[];
	config: Config;
	out: (line: string) => void;
}

/** One `npm run kuvend -- <words…>` command. `run` throws `CliError` for anything the operator must fix. */
export interface Command {
	/** The words that name it, e.g. ['password', 'reset']. */
	words: string[];
	/** One line for the command list. */
	summary: string;
	/** The full `--help` text: usage line first, then what it does and what it changes. */
	help: string;
	run(input: CommandInput): Promise<void>;
}

/** A mistake the operator can fix (wrong arguments, unknown email, unreadable file): one line, exit code 1. */
export class CliError extends Error {}

// managed.mjs - Claude Code's managed policy directory, as the two
// recorders of tests/oracle (run.mjs for subagents, context.mjs for the
// main session) give it a fixture's own.
import fs from 'node:fs';
import path from 'node:path';

// Where Claude Code reads the managed policy on Linux.
export const MANAGED = '/etc/claude-code';

// Runs fn() with the fixture's managed/ (in dir, unpacked) copied to
// MANAGED when its header says `managed: yes`, and removes it after, as
// fn() ends or throws.  It needs root, and refuses to touch a MANAGED
// that is there already (the machine's own policy).
export async function withManaged(dir, head, fn) {
	const managed = head.managed && path.join(dir, 'managed');
	if (managed) {
		if (fs.existsSync(MANAGED)) throw new Error(`${MANAGED} exists: not touching it`);
		fs.cpSync(managed, MANAGED, { recursive: true });
	}
	try {
		return await fn();
	} finally {
		if (managed) fs.rmSync(MANAGED, { recursive: true, force: true });
	}
}

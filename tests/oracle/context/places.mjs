// places.mjs - where the main-session oracle (context.mjs) unpacked each
// fixture, and the commit it made there: what gen-context.mjs and
// gen-settings.mjs take out of a result before its figures are kept.
// Dev-time only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const oracle = path.dirname(here);
const src = fs.readFileSync(path.join(oracle, 'context.mjs'), 'utf8');
const BASE = /const BASE = '([^']+)'/.exec(src)[1];
const PREFIX = /const PREFIX = '([^']+)'/.exec(src)[1];

// A fixture's directory as context.mjs unpacked it.
export const dirOf = (name) => path.posix.join(BASE, PREFIX + name);

// Claude Code's directory of a project's auto memory: the project's path
// with every character but letters and digits made '-'.
export const memDir = (name) => path.posix.join(dirOf(name), 'home/.claude/projects',
	path.posix.join(dirOf(name), 'proj').replace(/[^A-Za-z0-9]/g, '-'), 'memory') + '/';

// The short hash of a fixture's one commit, as context.mjs made it.
export function commitOf(name) {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oracle-commit-'));
	try {
		execFileSync('sh', [path.join(oracle, 'unpack.sh'), path.join(here, 'fixtures', name + '.txt'), tmp]);
		const env = {
			...process.env, GIT_AUTHOR_NAME: 'oracle', GIT_AUTHOR_EMAIL: 'oracle@localhost',
			GIT_COMMITTER_NAME: 'oracle', GIT_COMMITTER_EMAIL: 'oracle@localhost',
			GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
		};
		const proj = path.join(tmp, 'proj');
		const git = (...a) => execFileSync('git', a, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
		git('init', '-q', '-b', 'main', proj);
		git('-C', proj, 'add', '-A');
		git('-C', proj, 'commit', '-q', '--allow-empty', '-m', 'fixture');
		return git('-C', proj, 'rev-parse', '--short=7', 'HEAD').trim();
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

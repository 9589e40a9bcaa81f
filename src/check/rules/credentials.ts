import type { Finding } from '../report-types.js';
import { noDaemon, type Rule, skip } from './rule.js';

function list(ids: readonly number[]): string {
  return ids.length === 0 ? 'none' : ids.join(', ');
}

export const credentials: Rule = {
  id: 'credentials',
  title: "The daemon runs as the user: real, effective and saved ids, and exactly the user's groups",
  reference:
    'A privilege drop is setgid, initgroups, setuid, in that order (systemd daemon(7); the credentials tests of ' +
    "systemd's test-execute.c, judged here from outside). Without initgroups the daemon keeps the caller's " +
    'supplementary groups, root\'s group 0 among them (python-daemon before 2.1; dnscap#208); a saved uid of 0 ' +
    'lets it become root again. The checker plants gid 0 and a trap group in the caller.',
  fix: 'Drop privileges with setgid(gid), initgroups(name, gid), then setuid(uid) (setresgid/setresuid to set the saved ids too), before exec or before serving.',
  judge(context) {
    const { daemon, user, caller } = context;
    if (user === undefined) return skip('no user given (--user)');
    if (!daemon) return noDaemon(context);
    const uids = daemon.uids ?? { real: daemon.uid, effective: daemon.uid, saved: daemon.uid };
    const gids = daemon.gids ?? { real: daemon.gid, effective: daemon.gid, saved: daemon.gid };
    const groups = [...new Set(daemon.groups)].sort((a, b) => a - b);
    const expected = { uids: [user.uid, user.uid, user.uid], gids: [user.gid, user.gid, user.gid], groups: user.groups };
    const actual = { uids: [uids.real, uids.effective, uids.saved], gids: [gids.real, gids.effective, gids.saved], groups };
    const problems: string[] = [];
    const badIds = (what: string, ids: number[], want: number): void => {
      if (ids.some((id) => id !== want)) problems.push(`${what} (real, effective, saved) are ${ids.join(', ')}, not ${want} (${user.name})`);
    };
    badIds('the uids', actual.uids, user.uid);
    badIds('the gids', actual.gids, user.gid);
    const planted = caller.groups ?? [];
    const inherited = groups.filter((g) => planted.includes(g));
    const extra = groups.filter((g) => !user.groups.includes(g));
    const missing = user.groups.filter((g) => !groups.includes(g));
    if (extra.length > 0 || missing.length > 0) {
      const why = inherited.length > 0 ? `; ${list(inherited)} planted in the caller: no initgroups` : '';
      problems.push(`the supplementary groups are ${list(groups)}, not ${user.name}'s ${list(user.groups)}${why}`);
    }
    const findings: Finding[] = inherited.map((g) => ({ what: `supplementary group ${g}`, attribution: 'inherited' }));
    if (problems.length === 0) {
      return { status: 'pass', expected, actual, message: `runs as ${user.name} (uid ${user.uid}, gid ${user.gid}), groups ${list(groups)}`, findings };
    }
    return { status: 'fail', expected, actual, message: problems.join('; '), findings };
  },
};

import type { Privileges } from '../../inspect/privileges.js';
import { emptyMask } from '../../inspect/privileges.js';
import { noDaemon, type Rule, skip } from './rule.js';

/** NoNewPrivs and the core-dump settings: reported with the verdict, never judged. */
function reported(p: Privileges): string {
  const nnp = p.noNewPrivs === null ? `unknown (${p.unknown.noNewPrivs ?? '?'})` : p.noNewPrivs ? '1' : '0';
  const core = p.coreLimit === null ? `unknown (${p.unknown.coreLimit ?? '?'})` : `${p.coreLimit.soft}/${p.coreLimit.hard}`;
  const dump = p.dumpable === null ? `unknown (${p.unknown.dumpable ?? '?'})` : p.dumpable ? 'yes' : 'no';
  return `NoNewPrivs ${nnp}; RLIMIT_CORE ${core}; dumpable ${dump}`;
}

export const noCapabilities: Rule = {
  id: 'no-capabilities',
  title: 'After the privilege drop, no capability is left (CapEff, CapPrm, CapAmb empty)',
  reference:
    'A daemon that drops to a user but keeps capabilities (PR_SET_KEEPCAPS, ambient capabilities, a file ' +
    'capability) is still privileged: CAP_DAC_OVERRIDE reads any file, CAP_SETUID becomes root again. An exec ' +
    'as a non-root uid clears the permitted and effective sets unless ambient ones are set (capabilities(7)); ' +
    "systemd's test-execute.c checks the same sets from inside. NoNewPrivs and the core-dump settings are " +
    'reported, not judged.',
  fix: 'Drop to the user with setuid() after clearing PR_SET_KEEPCAPS and the ambient set (prctl PR_CAP_AMBIENT_CLEAR_ALL), or exec after the drop; keep only what is needed with a service manager (AmbientCapabilities=) on purpose.',
  judge(context) {
    const { daemon, user, privileges } = context;
    if (user === undefined) return skip('no user given (--user)');
    if (!daemon) return noDaemon(context);
    if (privileges === undefined || privileges === null) return skip('the privileges were not read');
    const caps = privileges.capabilities;
    if (caps === null) return skip(`capabilities unknown: ${privileges.unknown.capabilities ?? 'not readable'}; ${reported(privileges)}`);
    const sets = { CapEff: caps.effective, CapPrm: caps.permitted, CapAmb: caps.ambient };
    const actual = { ...sets, NoNewPrivs: privileges.noNewPrivs, coreLimit: privileges.coreLimit, dumpable: privileges.dumpable };
    const held = Object.entries(sets).filter(([, mask]) => !emptyMask(mask));
    const expected = { CapEff: '0', CapPrm: '0', CapAmb: '0' };
    if (held.length === 0) return { status: 'pass', expected, actual, message: `no capability left; ${reported(privileges)}` };
    return {
      status: 'fail',
      expected,
      actual,
      message: `still holds ${held.map(([name, mask]) => `${name} ${mask}`).join(', ')} as ${user.name}; ${reported(privileges)}`,
    };
  },
};

import type { ChainProcess, CheckReport } from '../../check/report-types.js';
import { clip, esc } from './escape.js';

/**
 * The SVG drawing of a check's process chain: the checker, the launcher (the login shell on the
 * fresh pty), the command's original process, and the daemon, each with its ids, inside boxes
 * for their sessions and process groups. A daemon still in the launcher's session is drawn in
 * that session's box: what a reader should see at once.
 */

interface TreeNode {
  title: string;
  lines: string[];
  session: string;
  sessionLabel: string;
  group: string;
  groupLabel: string;
  /** The arrow from the previous node: its label, dashed when processes between are not drawn. */
  edge?: { label: string; dashed: boolean };
  kind: 'plain' | 'daemon-pass' | 'daemon-fail' | 'missing';
}

const WIDTH = 720;
const LINE = 16;
const MAX_CHARS = 78;

function ids(p: { pid: number; ppid: number; pgid: number; sid: number }): string {
  return `pid ${p.pid} · ppid ${p.ppid} · pgid ${p.pgid} · sid ${p.sid}`;
}

function leaderMarks(p: { pid: number; pgid: number; sid: number }): string {
  const marks = [p.pid === p.sid ? 'session leader' : '', p.pid === p.pgid ? 'group leader' : ''].filter(Boolean);
  return marks.length > 0 ? ` (${marks.join(', ')})` : '';
}

function chainNode(role: string, p: ChainProcess, edge?: TreeNode['edge']): TreeNode {
  return {
    title: `${role}: ${p.name ?? '?'}${leaderMarks(p)}`,
    lines: [ids(p), `tty ${p.tty ?? 'none'}`],
    session: `s${p.sid}`,
    sessionLabel: `session ${p.sid}${p.tty ? ` · controlling terminal ${p.tty}` : ' · no controlling terminal'}`,
    group: `g${p.pgid}`,
    groupLabel: `process group ${p.pgid}`,
    ...(edge ? { edge } : {}),
    kind: 'plain',
  };
}

function originalEnd(report: CheckReport): string {
  const l = report.launcher;
  if (l.timedOut) return 'did not exit in time: killed';
  if (l.signal !== null) return `killed by ${l.signal}`;
  return l.exitCode === null ? 'exit not reported' : `exited with status ${l.exitCode}`;
}

function findingCounts(report: CheckReport): string {
  const all = report.results.flatMap((r) => r.findings ?? []);
  const inherited = all.filter((f) => f.attribution === 'inherited').length;
  const chosen = all.length - inherited;
  const failed = report.results.filter((r) => r.status === 'fail' || r.status === 'racy').length;
  return `${failed > 0 ? `✗ ${failed} rule${failed > 1 ? 's' : ''} failed` : '✓ no rule failed'} · ✗ ${inherited} inherited · ℹ ${chosen} chosen`;
}

function nodes(report: CheckReport): TreeNode[] {
  const out: TreeNode[] = [];
  const { checker, launcher } = report.chain ?? { checker: null, launcher: null };
  if (checker) out.push(chainNode('checker', checker));
  const sid = launcher ? `s${launcher.sid}` : 's?';
  if (launcher) {
    out.push(chainNode('launcher', launcher, checker ? { label: 'posix_spawn + setsid: a login shell on a fresh pty, traps set', dashed: false } : undefined));
  }
  out.push({
    title: `original process: ${clip(report.command.join(' '), 60)}`,
    lines: [`pid not recorded · ${originalEnd(report)}`, 'its own process group, in the foreground of the pty (job control)'],
    session: sid,
    sessionLabel: launcher ? `session ${launcher.sid} · controlling terminal ${launcher.tty ?? 'none'}` : 'the launcher’s session (not recorded)',
    group: 'original',
    groupLabel: 'the command’s process group',
    edge: { label: 'runs the command (set -m: a new process group)', dashed: false },
    kind: 'plain',
  });
  const d = report.daemon;
  if (d === null) {
    out.push({
      title: 'no daemon found',
      lines: [clip(report.noDaemon?.reason ?? 'nothing left running', MAX_CHARS)],
      session: 'none',
      sessionLabel: 'no daemon',
      group: 'none',
      groupLabel: '',
      edge: { label: 'nothing judged', dashed: true },
      kind: 'missing',
    });
    return out;
  }
  const tty = d.tty === null ? null : (d.tty.name ?? `tty ${d.tty.device}`);
  out.push({
    title: `daemon: ${d.name ?? d.cmdline[0] ?? '?'}${leaderMarks(d)}`,
    lines: [ids(d), `tty ${tty ?? 'none'} · umask ${d.umask === null ? '?' : `0${d.umask.toString(8).padStart(3, '0')}`} · cwd ${d.cwd ?? '?'}`, findingCounts(report)],
    session: `s${d.sid}`,
    sessionLabel: `session ${d.sid}${tty ? ` · controlling terminal ${tty}` : ' · no controlling terminal'}`,
    group: `g${d.pgid}`,
    groupLabel: `process group ${d.pgid}${d.tpgid !== null && d.tpgid === d.pgid ? ' (foreground of its terminal)' : ''}`,
    edge: { label: `fork(s), then the processes between exit (not recorded); reparented to pid ${d.ppid}`, dashed: true },
    kind: report.verdict === 'pass' ? 'daemon-pass' : 'daemon-fail',
  });
  return out;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  cls: string;
}

function text(x: number, y: number, content: string, cls: string, anchor: 'start' | 'end' = 'start', max = MAX_CHARS): string {
  return `<text x="${x}" y="${y}" class="${cls}"${anchor === 'end' ? ' text-anchor="end"' : ''}>${esc(clip(content, max))}</text>`;
}

/** Places nodes top to bottom; a session (and a group in it) is one box around its consecutive nodes. */
interface Placed {
  node: TreeNode;
  y: number;
  h: number;
  /** Where the label of the arrow into this node sits: in the gap, clear of the box borders and labels. */
  edgeLabelY: number;
}

function layout(list: TreeNode[]): { placed: Placed[]; boxes: Box[]; height: number } {
  const placed: Placed[] = [];
  const boxes: Box[] = [];
  let session: Box | null = null;
  let group: Box | null = null;
  let y = 10;
  list.forEach((node, i) => {
    const prev = list[i - 1];
    const newSession = !prev || prev.session !== node.session || node.session === 'none';
    const newGroup = newSession || prev.group !== node.group;
    let edgeLabelY = 0;
    if (prev) {
      if (newGroup && group) group.h = y + 6 - group.y;
      if (newSession && session) session.h = y + 12 - session.y;
      const gap = newSession ? 44 : newGroup ? 34 : 28;
      edgeLabelY = y + gap / 2 + 6;
      y += gap;
    }
    if (newSession && node.session !== 'none') {
      session = { x: 12, y, w: WIDTH - 24, h: 0, label: node.sessionLabel, cls: 'session' };
      boxes.push(session);
      y += 22;
    } else if (newSession) session = null;
    if (newGroup && node.group !== 'none') {
      group = { x: 28, y, w: WIDTH - 56, h: 0, label: node.groupLabel, cls: 'group' };
      boxes.push(group);
      y += 20;
    } else if (newGroup) group = null;
    const h = 10 + LINE * (1 + node.lines.length);
    placed.push({ node, y, h, edgeLabelY });
    y += h;
  });
  if (group) (group as Box).h = y + 6 - (group as Box).y;
  if (session) (session as Box).h = y + 12 - (session as Box).y;
  return { placed, boxes, height: y + 20 };
}

/** The chain as an inline SVG (no external resources); every mark is text as well as colour. */
export function renderProcessTree(report: CheckReport, id: string): string {
  const { placed, boxes, height } = layout(nodes(report));
  const parts: string[] = [];
  for (const b of boxes) {
    parts.push(`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="6" class="${b.cls}"/>`);
    // On the right, clear of the arrows on the left.
    parts.push(text(b.x + b.w - 8, b.y + 15, b.label, `${b.cls}-label`, 'end', 90));
  }
  placed.forEach(({ node, y, h, edgeLabelY }, i) => {
    const x = 44;
    if (node.edge && i > 0) {
      const from = placed[i - 1]!;
      const top = from.y + from.h;
      parts.push(`<line x1="${x + 24}" y1="${top}" x2="${x + 24}" y2="${y - 2}" class="edge${node.edge.dashed ? ' dashed' : ''}" marker-end="url(#${id}-arrow)"/>`);
      parts.push(text(x + 34, edgeLabelY, node.edge.label, 'edge-label', 'start', 100));
    }
    parts.push(`<rect x="${x}" y="${y}" width="${WIDTH - 2 * x}" height="${h}" rx="4" class="proc ${node.kind}"/>`);
    parts.push(text(x + 8, y + 18, node.title, 'proc-title'));
    node.lines.forEach((line, j) => parts.push(text(x + 8, y + 18 + LINE * (j + 1), line, 'proc-line')));
  });
  return [
    `<svg class="tree" role="img" aria-label="process chain from the checker to the daemon" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

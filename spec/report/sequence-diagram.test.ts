/**
 * The trace's sequence diagram (issue 15.2) as layout: a trace in, lanes, rows and positions out.
 * The trace is strace output captured from a real run (spec/trace/captured/), plus hand-built
 * traces for what one run does not show (threads, a long label, no daemon). What a person sees
 * of a live check's diagram is tested in a browser (html-browser.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPage, renderHtml } from '../../src/report/html/index.js';
import { CHAR, HEADER_PAD, LABEL_CHARS, labelSpan, SANS_CHAR, SMALL_CHAR, sequenceLayout, TARGET_WIDTH, type SequenceLayout } from '../../src/report/html/sequence-layout.js';
import { lifelines } from '../../src/report/html/sequence-lifelines.js';
import { renderSequenceDiagram, renderSequenceSvg } from '../../src/report/html/sequence-svg.js';
import { parseStrace } from '../../src/trace/parse.js';
import { sequence } from '../../src/trace/sequence.js';
import { TRACED_CALLS } from '../../src/trace/strace.js';
import type { Trace, TraceEvent } from '../../src/trace/types.js';
import { mixedReport } from './sample-report.js';

const trace = parseStrace(readFileSync(new URL('../trace/captured/setsid-double-fork.strace', import.meta.url), 'utf8'), TRACED_CALLS);
const DAEMON = 4257;

function call(pid: number, time: number, name: string, args: string[] = [], result: number | null = 0): TraceEvent {
  return { pid, time, kind: 'call', call: name, args, result, errno: null };
}

function exited(pid: number, time: number): TraceEvent {
  return { pid, time, kind: 'exit', call: 'exited', args: [], result: 0, errno: null };
}

function laneOf(layout: SequenceLayout, pid: number): number {
  return layout.lanes.findIndex((l) => l.pid === pid);
}

describe('the lifelines of a trace', () => {
  it('one per process, launcher first, then the chain to the daemon, then the processes off it; each named by its role and programs', () => {
    expect(lifelines(trace, DAEMON)).toEqual([
      { pid: 4246, parent: null, role: 'launcher', programs: ['sh'], ended: true },
      { pid: 4252, parent: 4246, role: 'original', programs: [], ended: true },
      { pid: 4253, parent: 4252, role: 'intermediate', programs: ['setsid', 'sh'], ended: true },
      { pid: 4257, parent: 4253, role: 'daemon', programs: ['sleep'], ended: true },
      { pid: 4254, parent: 4246, role: 'off the chain', programs: ['sleep'], ended: true },
    ]);
  });

  it('without a daemon the launcher’s first child is still the original; a daemon that is the original says so', () => {
    expect(lifelines(trace, null).map((l) => l.role)).toEqual(['launcher', 'original', 'off the chain', 'off the chain', 'off the chain']);
    const single: Trace = { ...trace, processes: trace.processes.slice(0, 2), events: trace.events.filter((e) => e.pid === 4246 || e.pid === 4252) };
    expect(lifelines(single, 4252).map((l) => l.role)).toEqual(['launcher', 'original = daemon']);
  });
});

describe('the layout of the sequence diagram', () => {
  const layout = sequenceLayout(trace, DAEMON);

  it('has a row per step of the text’s sequences (runs folded), in the order of their times', () => {
    const steps = layout.lanes.flatMap((l) => sequence(trace, l.pid).map((s) => s.text));
    expect(layout.rows.map((r) => r.label.full).sort()).toEqual(steps.sort());
    const times = layout.rows.map((r) => r.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const tops = layout.rows.map((r) => r.top);
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
    for (const [i, r] of layout.rows.entries()) if (i > 0) expect(r.top).toBe(layout.rows[i - 1]!.top + layout.rows[i - 1]!.height);
    expect(layout.rows.some((r) => /^rt_sigaction ×\d+$/.test(r.label.full))).toBe(true);
  });

  it('puts each row’s mark on its process’s lane, the lanes left to right in lifeline order', () => {
    const xs = layout.lanes.map((l) => l.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(xs.length);
    const setsid = layout.rows.find((r) => r.label.full === 'setsid() = 4253')!;
    expect(setsid).toMatchObject({ lane: laneOf(layout, 4253), kind: 'milestone' });
    expect(setsid.time).toBeCloseTo(9.907, 3);
    expect(layout.rows.find((r) => r.label.full === 'umask(022) = 0022')).toMatchObject({ lane: laneOf(layout, 4253), kind: 'milestone' });
    expect(layout.rows.find((r) => r.label.full === 'dup2(3, 0)')).toMatchObject({ lane: laneOf(layout, 4253), kind: 'call' });
    for (const r of layout.rows) if (r.kind !== 'fork') expect(r).toMatchObject({ labelX: layout.lanes[r.lane]!.x + 10, anchor: 'start' });
  });

  it('draws each fork as an arrow from the parent’s lane to the child’s, whose line starts there, above all the child’s rows', () => {
    const forks = layout.rows.filter((r) => r.kind === 'fork');
    const pairs = forks.map((r) => [layout.lanes[r.lane]!.pid, layout.lanes[r.to!]!.pid]);
    expect(pairs).toEqual([[4246, 4252], [4252, 4253], [4246, 4254], [4253, 4257]]);
    expect(forks.map((r) => r.label.full)).toEqual(['clone → 4252', 'clone → 4253', 'vfork → 4254', 'clone → 4257']);
    for (const fork of forks) {
      const child = layout.lanes[fork.to!]!;
      expect(child.top).toBe(fork.markY);
      for (const r of layout.rows.filter((x) => x.lane === fork.to)) expect(r.top).toBeGreaterThanOrEqual(fork.top + fork.height);
    }
    expect(layout.lanes[0]!.top).toBe(layout.rows[0]!.top); // the launcher from its exec
  });

  it('ends each process’s line at its end, +++ exited, with nothing of it below', () => {
    for (const [i, lane] of layout.lanes.entries()) {
      const own = layout.rows.filter((r) => r.lane === i);
      const end = own[own.length - 1]!;
      expect(end).toMatchObject({ kind: 'end', label: { full: '+++ exited 0' } });
      expect(lane).toMatchObject({ open: false, bottom: end.markY });
    }
  });

  it('sizes the drawing to what it holds: every label and header inside the width, every row inside the height', () => {
    expect(layout.width).toBeLessThanOrEqual(TARGET_WIDTH);
    for (const r of layout.rows) expect(labelSpan(r)[1]).toBeLessThanOrEqual(layout.width - 12);
    for (const l of layout.lanes) expect(l.x + layout.column / 2).toBeLessThanOrEqual(layout.width);
    for (const l of layout.lanes) {
      const [pid, role, programs] = l.header;
      expect(pid!.text.length * CHAR).toBeLessThanOrEqual(layout.column - HEADER_PAD);
      expect(role!.text.length * SANS_CHAR).toBeLessThanOrEqual(layout.column - HEADER_PAD);
      expect(programs!.text.length * SMALL_CHAR).toBeLessThanOrEqual(layout.column - HEADER_PAD);
    }
    expect(layout.lanes.map((l) => l.header.map((h) => h.text))).toEqual([
      ['pid 4246', 'launcher', 'sh'],
      ['pid 4252', 'original', '(no exec)'],
      ['pid 4253', 'intermediate', 'setsid → sh'],
      ['pid 4257', 'daemon', 'sleep'],
      ['pid 4254', 'off the chain', 'sleep'],
    ]);
    const last = layout.rows[layout.rows.length - 1]!;
    expect(layout.height).toBeGreaterThan(last.top + last.height);
    expect(layout.gutter).toBeGreaterThanOrEqual('+510.673'.length * CHAR);
    expect(layout.lanes[0]!.x - layout.column / 2).toBeGreaterThanOrEqual(layout.gutter);
  });

  it('stops at maxRows and says how many steps it left out; the lines still running go to the bottom', () => {
    const cut = sequenceLayout(trace, DAEMON, 10);
    expect(cut.rows).toHaveLength(10);
    expect(cut.hidden).toBe(layout.rows.length - 10);
    const drawn = cut.rows[cut.rows.length - 1]!.time;
    // The original (4252) ended at +2.194, within the rows drawn; the others end past them.
    expect(cut.lanes.map((l) => [l.pid, l.open])).toEqual([[4246, true], [4252, false], [4253, true], [4257, true], [4254, true]]);
    expect(drawn).toBeLessThan(9.907);
    for (const lane of cut.lanes.filter((l) => l.open)) expect(lane.bottom).toBe(cut.height - 12);
    expect(renderSequenceSvg(cut, 'c0', 'x')).toContain(`… ${cut.hidden} more steps not drawn: the text below has them all`);
  });
});

describe('threads and long labels', () => {
  const long = `"/opt/${'very-long-directory/'.repeat(4)}daemon"`;
  const threaded: Trace = {
    tool: 'strace',
    calls: [...TRACED_CALLS],
    processes: [
      { pid: 10, parent: null, thread: false },
      { pid: 11, parent: 10, thread: false },
      { pid: 12, parent: 11, thread: true },
      { pid: 13, parent: 12, thread: false },
    ],
    events: [
      call(10, 0, 'execve', ['"/bin/sh"']),
      call(10, 1, 'clone', [], 11),
      call(11, 2, 'execve', [long]),
      call(11, 3, 'clone3', [], 12),
      call(12, 4, 'clone', [], 13), // a fork from a thread: drawn from its process's lane
      call(13, 5, 'setsid', [], 13),
      call(12, 6, 'exit', ['0'], null),
      exited(12, 7),
      call(11, 8, 'exit_group', ['0'], null),
      exited(11, 9),
    ],
    omitted: 0,
  };
  const layout = sequenceLayout(threaded, 13);

  it('gives a thread no lane: its start and its end are its process’s rows, named as the thread’s, and do not end the line', () => {
    expect(layout.lanes.map((l) => [l.pid, l.role])).toEqual([[10, 'launcher'], [11, 'original'], [13, 'daemon']]);
    const labels = layout.rows.map((r) => [r.lane, r.kind, r.label.full]);
    expect(labels).toContainEqual([1, 'call', 'clone3 → 12 (thread)']);
    expect(labels).toContainEqual([1, 'fork', 'clone → 13']);
    expect(labels).toContainEqual([1, 'call', 'exit(0) (thread)']);
    expect(labels).toContainEqual([1, 'call', '+++ exited 0 (thread)']);
    expect(labels).toContainEqual([1, 'end', '+++ exited 0']);
    expect(layout.lanes[1]!.bottom).toBe(layout.rows[layout.rows.length - 1]!.markY);
    expect(layout.lanes[2]).toMatchObject({ open: true }); // the daemon outlived the trace
  });

  it(`cuts a label past ${LABEL_CHARS} characters and a program name past its column, keeping the full text as a tooltip`, () => {
    const exec = layout.rows.find((r) => r.label.full.startsWith('execve("/opt'))!;
    expect(exec.label.text).toHaveLength(LABEL_CHARS);
    expect(exec.label.text.endsWith('…')).toBe(true);
    const svg = renderSequenceSvg(layout, 'c1', 'diagram');
    expect(svg).toContain(`<title>${exec.label.full.replace(/"/g, '&quot;')}</title>`);
    const program = layout.lanes[1]!.header[2]!;
    expect(program.full).toBe('daemon');
    expect(svg).toContain('>pid 11<');
  });
});

describe('many processes', () => {
  // The launcher forks eight children, one after the other (nine lanes fit 960 px); their labels are long.
  const pids = [21, 22, 23, 24, 25, 26, 27, 28];
  const wide: Trace = {
    tool: 'strace',
    calls: [...TRACED_CALLS],
    processes: [{ pid: 20, parent: null, thread: false }, ...pids.map((pid) => ({ pid, parent: 20, thread: false }))],
    events: [
      call(20, 0, 'execve', ['"/bin/sh"']),
      ...pids.flatMap((pid, i) => [call(20, 1 + 2 * i, 'clone', [], pid), call(pid, 2 + 2 * i, 'execve', [`"/usr/lib/tool/very-long-program-name-${pid}"`])]),
    ],
    omitted: 0,
  };
  const layout = sequenceLayout(wide, null);

  it('keeps within the target width by putting a label left of its mark when the right has no room', () => {
    expect(layout.lanes).toHaveLength(9);
    expect(layout.width).toBeLessThanOrEqual(TARGET_WIDTH);
    const last = layout.rows[layout.rows.length - 1]!;
    expect(last).toMatchObject({ lane: 8, anchor: 'end', labelX: layout.lanes[8]!.x - 10 });
    expect(layout.rows[2]).toMatchObject({ lane: 1, anchor: 'start' }); // the first child's exec: room on the right
    for (const r of layout.rows) {
      const [left, right] = labelSpan(r);
      expect(left).toBeGreaterThanOrEqual(layout.gutter);
      expect(right).toBeLessThanOrEqual(layout.width - 12);
    }
  });

  it('past nine lanes, grows wider than the target and scrolls in a box no taller than the window', () => {
    const more: Trace = {
      ...wide,
      processes: [...wide.processes, { pid: 29, parent: 20, thread: false }],
      events: [...wide.events, call(20, 30, 'clone', [], 29)],
    };
    expect(sequenceLayout(more, null).width).toBeGreaterThan(TARGET_WIDTH);
    expect(renderSequenceDiagram(more, null, 'c0')).toMatch(/^<div class="sequence-box wide"><svg class="sequence"/);
    expect(renderSequenceDiagram(wide, null, 'c0')).toMatch(/^<div class="sequence-box"><svg class="sequence"/);
  });

  it('draws an empty trace as headers and nothing else', () => {
    const empty = sequenceLayout({ tool: 'strace', calls: [], processes: [], events: [], omitted: 0 }, null);
    expect(empty).toMatchObject({ lanes: [], rows: [], hidden: 0 });
    expect(empty.width).toBeGreaterThan(empty.gutter); // the time column's heading inside
    expect(renderSequenceSvg(empty, 'c0', 'x')).toMatch(/^<svg class="sequence" [^>]*viewBox="0 0 \d+ \d+"/);
  });

  it('shows a program name cut to its column, the full name in the tooltip', () => {
    const program = layout.lanes[8]!.header[2]!;
    expect(program.full).toBe('very-long-program-name-28');
    expect(program.text.endsWith('…')).toBe(true);
    expect(program.text.length * SMALL_CHAR).toBeLessThanOrEqual(layout.column - HEADER_PAD);
  });
});

describe('the diagram in the page', () => {
  it('draws an SVG with a lane per process and keeps the text, folded, below it', () => {
    const html = renderHtml(checkPage({ ...mixedReport(), trace, daemon: { ...mixedReport().daemon!, pid: DAEMON } }, 'linux'));
    const section = html.slice(html.indexOf('<section class="trace"'));
    expect(section).toMatch(/<svg class="sequence" role="img" aria-label="system-call sequence diagram: 5 processes, \d+ steps drawn" viewBox="0 0 \d+ \d+"/);
    for (const pid of [4246, 4252, 4253, 4257, 4254]) expect(section).toMatch(new RegExp(`<g class="lane [\\w-]+" data-pid="${pid}">\n<rect [^>]*class="seq-head"/>\n<text [^>]*>pid ${pid}</text>`));
    expect(section).toContain('<g class="lane daemon" data-pid="4257">');
    expect(section).toContain('marker-end="url(#check-0-seq-arrow)"');
    expect(section.indexOf('<svg class="sequence"')).toBeLessThan(section.indexOf('<details class="trace-text">'));
    expect(section).toMatch(/<details class="trace-text"><summary>The trace as text<\/summary>\n<pre>trace \(strace; 5 processes/);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it('escapes what the traced programs wrote', () => {
    const hostile: Trace = { ...trace, events: [call(4246, 0, 'execve', ['"/tmp/<script>x</script>"']), ...trace.events.slice(1)] };
    const svg = renderSequenceSvg(sequenceLayout(hostile, DAEMON), 'c0', 'x');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });
});

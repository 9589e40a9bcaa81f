import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dir as tmpDir } from 'tmp-promise';

/*
 * Debian's chromium, headless, on a page from file://: a screenshot and the DOM after the page's
 * scripts (and a probe script the test adds) ran. Each run has its own profile directory in a
 * tmp-promise dir, removed afterwards; chromium's process group is killed if it is still there.
 */

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => {
  try {
    readFileSync(p);
    return true;
  } catch {
    return false;
  }
});

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM!, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // Decoded across chunks: a pipe's read can end inside a character (the DOM's ✗ came out as two U+FFFD).
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => killGroup(child.pid!), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup(child.pid!); // helpers left behind by the browser, if any
      resolve({ code, stdout, stderr });
    });
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

/** Pids whose command line names `needle` (to prove no browser process outlived its run). */
export function processesMentioning(needle: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'latin1').includes(needle)) found.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

export interface BrowserView {
  /** The DOM after the scripts ran (chromium --dump-dom). */
  dom: string;
  /** The PNG of the viewport (chromium --screenshot). */
  png: Buffer;
  /** Browser processes still mentioning the profile dir after the runs: should be empty. */
  leftover: number[];
}

/**
 * Loads `html` (with `probe` appended as a script at the end of the body) from file:// in a
 * window of the given size: its screenshot, and its DOM after the scripts ran.
 */
export async function viewInBrowser(html: string, probe: string, size: { width: number; height: number }): Promise<BrowserView> {
  const tmp = await tmpDir({ unsafeCleanup: true, prefix: 'ds-browser-' });
  try {
    const page = join(tmp.path, 'page.html');
    writeFileSync(page, html.replace('</body>', `<script>${probe}</script>\n</body>`));
    const common = [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--hide-scrollbars', '--disable-extensions',
      `--user-data-dir=${join(tmp.path, 'profile')}`, `--window-size=${size.width},${size.height}`,
    ];
    const shot = join(tmp.path, 'shot.png');
    await run([...common, `--screenshot=${shot}`, pathToFileURL(page).href], 60_000);
    const dumped = await run([...common, '--dump-dom', pathToFileURL(page).href], 60_000);
    const png = readFileSync(shot);
    return { dom: dumped.stdout, png, leftover: processesMentioning(join(tmp.path, 'profile')) };
  } finally {
    await tmp.cleanup();
  }
}

/** Width and height from a PNG's IHDR. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

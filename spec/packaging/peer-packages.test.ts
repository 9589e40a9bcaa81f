import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/*
 * Issue 16.7: docs/fixtures.md says how to install the Debian peer packages without the
 * repository's scripts (scripts/ is not in the tarball). Its list is the script's list.
 */
function scriptPackages(): string[] {
  const script = readFileSync('scripts/install-debian-deps.sh', 'utf8');
  const body = /^packages=\(\n([\s\S]*?)\n\)/m.exec(script)?.[1] ?? '';
  return body
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .flatMap((line) => line.trim().split(/\s+/))
    .filter(Boolean);
}

function docPackages(): string[] {
  const doc = readFileSync('docs/fixtures.md', 'utf8');
  const block = /<!-- peer-packages:begin -->\n```sh\n([\s\S]*?)```\n<!-- peer-packages:end -->/.exec(doc)?.[1] ?? '';
  const install = block.slice(block.indexOf('--no-install-recommends') + '--no-install-recommends'.length);
  return install
    .split('\n')
    .filter((line) => !line.startsWith('sudo '))
    .flatMap((line) => line.replace(/\\$/, '').trim().split(/\s+/))
    .filter(Boolean);
}

describe('installing the peers without the repository', () => {
  it('docs/fixtures.md installs exactly the packages of scripts/install-debian-deps.sh', () => {
    expect(scriptPackages().length).toBeGreaterThan(10);
    expect(docPackages()).toEqual(scriptPackages());
  });

  it('the tarball ships docs/ but not scripts/ (so the docs must carry the list)', () => {
    const files = (JSON.parse(readFileSync('package.json', 'utf8')) as { files: string[] }).files;
    expect(files).toContain('docs/');
    expect(files.some((f) => f.startsWith('scripts'))).toBe(false);
  });
});

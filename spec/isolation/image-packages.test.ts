import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The project image is built where no network reaches the build (dockerd --bridge=none): its
 * Dockerfile installs a package only when the base image lacks it, and then apt-get fails. So the
 * debootstrapped base image must already hold every package the Dockerfile names.
 */
function dockerfilePackages(): string[] {
  const text = readFileSync('Dockerfile', 'utf8');
  const list = /for p in ([^;]+); do/.exec(text.replace(/\\\n/g, ' '));
  if (list?.[1] === undefined) throw new Error('Dockerfile: no "for p in ...; do" package list found');
  return list[1].split(/\s+/).filter(Boolean);
}

function basePackages(): string[] {
  const text = readFileSync('scripts/docker/build-base-image.sh', 'utf8');
  const list = /^packages=(\S+)$/m.exec(text);
  if (list?.[1] === undefined) throw new Error('build-base-image.sh: no packages= line found');
  return list[1].split(',');
}

describe('the debootstrapped base image', () => {
  it('holds every package the Dockerfile installs (its build has no network)', () => {
    const base = new Set(basePackages());
    expect(dockerfilePackages().filter((p) => !base.has(p))).toEqual([]);
  });
});

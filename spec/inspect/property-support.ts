import { fstatSync } from 'node:fs';
export { close, kill, pipe, processExists, reap } from '../../src/ffi/libc.js';

/** The inode of an fd's open object (a pipe's pipefs inode). */
export function fstatInode(fd: number): number {
  return fstatSync(fd).ino;
}

/* The types of environ.mjs (see there). */

export function statFields(pid: number): string[];

export function environOf(pid: number): string[];

import type { Command } from 'commander';

type Register = (program: Command, argv: readonly string[]) => void;

/**
 * Each command lives in its own file and exports `registerX(program)`; this is the one list of
 * them. Only the command being run is loaded (a daemon's start pays for `run`, not for the
 * checker and the matrix); `--help` and unknown words load them all.
 */
const commands: Record<string, () => Promise<Register>> = {
  run: async () => (await import('./run.js')).registerRun,
  stop: async () => (await import('./stop.js')).registerStop,
  status: async () => (await import('./status.js')).registerStatus,
  check: async () => (await import('./check.js')).registerCheck,
  fuzz: async () => (await import('./fuzz.js')).registerFuzz,
  inspect: async () => (await import('./inspect.js')).registerInspect,
  matrix: async () => (await import('./matrix.js')).registerMatrix,
  merge: async () => (await import('./merge.js')).registerMerge,
  doctor: async () => (await import('./doctor.js')).registerDoctor,
};

/** The command word of an argv (node, script, ...rest): the first argument that is not an option. */
function commandWord(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((arg) => !arg.startsWith('-'));
}

export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const word = commandWord(argv);
  const names = word !== undefined && word in commands ? [word] : Object.keys(commands);
  for (const name of names) (await commands[name]!())(program, argv);
}

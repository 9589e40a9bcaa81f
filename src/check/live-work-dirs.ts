/** The work directories of the checks in flight in this process (an interrupted fuzz removes them). */
export const liveWorkDirs = new Set<string>();

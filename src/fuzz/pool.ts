/** Runs `task` over `items` with at most `jobs` at a time; stops starting new ones once `stop()` says so. */
export async function runPool<T, R>(items: readonly T[], jobs: number, task: (item: T, index: number) => Promise<R>, stop: () => boolean): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array(items.length).fill(undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop()) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

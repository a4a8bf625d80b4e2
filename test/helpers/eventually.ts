/**
 * Poll until something the test waits for holds: `f` returning undefined or false (or throwing — the
 * server is not up yet) means "not yet". Gives up after `ms` naming what it waited for and the last error.
 */
export async function eventually<T>(
  what: string,
  f: () => Promise<T | undefined | false> | T | undefined | false,
  { ms = 30_000, everyMs = 50 }: { ms?: number; everyMs?: number } = {},
): Promise<T> {
  const end = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > end) {
      throw new Error(
        `gave up waiting for ${what} after ${ms} ms${lastError ? ` (last error: ${lastError})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

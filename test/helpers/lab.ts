import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Resolve an executable the test needs, or throw a message that says what is missing and how to get it.
 * Tests never skip silently: a missing component is a failure with this message.
 */
export function requireExecutable(name: string, pkg: string): string {
  const candidates = name.includes('/')
    ? [name]
    : [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin'].map((d) =>
        join(d, name),
      );
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // try the next directory
    }
  }
  throw new Error(
    `missing test component: '${name}' (Debian package ${pkg}). Run 'npm run lab' (as root) to install it.`,
  );
}

/**
 * Tests that mount (FUSE), bind port 111, create network namespaces or write the kernel log need root.
 * Run without it, they fail with this message instead of a bare EACCES/EPERM deep inside a helper.
 */
export function requireRoot(why: string): void {
  if (process.getuid?.() === 0) return;
  throw new Error(`this test needs root to ${why}: run the suite as root (sudo npm test)`);
}

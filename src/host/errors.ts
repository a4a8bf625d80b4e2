/** An fs error as one short phrase for a finding or a log line ("permission denied (EACCES)"). */
export function fsMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory (ENOENT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ELOOP':
      return 'symlink loop: too many levels of symbolic links (ELOOP)';
    case 'EISDIR':
      return 'is a directory (EISDIR)';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

import { describeError, FaultlineError } from '../core/errors.ts';
import { EXIT_USAGE } from '../core/exit-codes.ts';
import { formatLocation } from '../core/location.ts';
import type { CliIO, CommandRunner } from './io.ts';

// Subcommands load lazily so `faultline audit` never pays for the agent's imports.
const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandRunner> }> = {
  audit: {
    summary: 'find cascade risks in manifests, cluster state and node config',
    load: async () => (await import('./audit.ts')).runAudit,
  },
  timeline: {
    summary: 'turn raw node logs into a post-mortem timeline',
    load: async () => (await import('./timeline.ts')).runTimeline,
  },
  agent: {
    summary: 'run the node agent: probes, metrics, alerts',
    load: async () => (await import('./agent.ts')).runAgent,
  },
  drill: {
    summary: 'rehearse an NFS/DNS failure safely and judge it against the prediction',
    load: async () => (await import('./drill.ts')).runDrillCommand,
  },
};

export function usage(): string {
  const lines = ['Usage: faultline <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run `faultline <command> --help` for a command’s options.');
  return `${lines.join('\n')}\n`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '--version') {
    io.stdout.write('faultline 0.1.0\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`faultline: unknown command '${name}'\n\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    const run = await command.load();
    return await run(rest, io);
  } catch (err) {
    if (err instanceof FaultlineError) {
      const where = err.location ? `${formatLocation(err.location)}: ` : '';
      io.stderr.write(`faultline ${name}: ${where}${err.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`faultline ${name}: internal error: ${describeError(err)}\n`);
    if (err instanceof Error && err.stack && io.env.FAULTLINE_DEBUG) io.stderr.write(`${err.stack}\n`);
    return 70;
  }
}

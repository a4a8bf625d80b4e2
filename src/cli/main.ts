import { EXIT_USAGE } from '../core/exit-codes.ts';
import { VERSION } from '../core/version.ts';
import { reportError } from './errors.ts';
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
  blast: {
    summary: 'what goes down if one NFS server, resolver or the CNI stops answering',
    load: async () => (await import('./blast.ts')).runBlast,
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
  if (name === '--version' || name === '-v' || name === '-V' || name === 'version') {
    io.stdout.write(`faultline ${VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr.write(`faultline: unknown command '${name}'\nRun 'faultline --help' for the commands.\n`);
    return EXIT_USAGE;
  }
  try {
    const run = await command.load();
    return await run(rest, io);
  } catch (err) {
    return reportError(err, name, io);
  }
}

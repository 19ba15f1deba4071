import { archiveStatusCommand } from './commands/archive-status.js';
import { ledgerRebuildCommand } from './commands/ledger-rebuild.js';
import { reconcileCommand } from './commands/reconcile.js';
import { replayArchiveCommand } from './commands/replay-archive.js';
import { replayWebhooksCommand } from './commands/replay-webhooks.js';
import { requeueCommand } from './commands/requeue.js';
import { sendCommand } from './commands/send.js';
import { tailCommand } from './commands/tail.js';
import { EXIT, exitCodeOf, usageError } from './cli-error.js';
import { parseCommandArgs, type Command } from './command.js';
import { createContext, type CliContext } from './context.js';

const COMMANDS: Command[] = [sendCommand, tailCommand, archiveStatusCommand, replayWebhooksCommand, replayArchiveCommand, requeueCommand, ledgerRebuildCommand, reconcileCommand];

const HELP = `Usage: dyte-bridge COMMAND [options]   (dyte-bridge COMMAND --help for each)

${COMMANDS.map((c) => `  ${c.name.padEnd(17)} ${c.summary}`).join('\n')}

Connections come from the fleet's own variables: KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL, TOPIC_PREFIX,
ARCHIVE_QUEUE, ARCHIVE_JOB_ATTEMPTS, INGRESS_URL for send, and PROVIDER with its credentials for reconcile
(defaults: the local stack of 'make run').

Exit codes: 0 done; 1 part of the work failed (each failure reported); 2 bad arguments or input; 3 nothing found;
69 a server cannot be reached; 78 an invalid environment variable.`;

/** The command named by the first words of argv (`archive status` takes two), and the rest of argv. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

/** Runs the CLI on `argv` and returns the exit code; never throws. */
export async function runCli(argv: string[], output = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) }): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    output.out(HELP);
    return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
  }
  const found = findCommand(argv);
  let context: CliContext | undefined;
  try {
    if (!found) {
      const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `));
      if (group.length > 0 && (argv.length === 1 || argv[1] === '--help' || argv[1] === '-h')) {
        output.out(`Usage:\n${group.map((c) => `  dyte-bridge ${c.name.padEnd(17)} ${c.summary}`).join('\n')}`);
        return argv.length === 1 ? EXIT.USAGE : EXIT.OK;
      }
      throw usageError(`unknown command ${JSON.stringify(argv.slice(0, group.length > 0 ? 2 : 1).join(' '))} (see: dyte-bridge --help)`);
    }
    const args = parseCommandArgs(found.command, found.rest);
    if (args.values.help) {
      output.out(found.command.help);
      return EXIT.OK;
    }
    context = createContext(output);
    await found.command.run(args, context);
    return EXIT.OK;
  } catch (error) {
    const code = exitCodeOf(error);
    output.err(`dyte-bridge: ${code === EXIT.FAILED || code === EXIT.USAGE || code === EXIT.CONFIG || code === EXIT.NOT_FOUND ? '' : 'unavailable: '}${(error as Error).message}`);
    return code;
  } finally {
    await context?.close();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(EXIT.FAILED);
    },
  );
}

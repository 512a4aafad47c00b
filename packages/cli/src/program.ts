import { Command } from 'commander';
import { adminCommand } from './commands/admin.js';
import { analyticsCommand } from './commands/analytics.js';
import { auditCommand } from './commands/audit.js';
import { benchCommand } from './commands/bench.js';
import { faultCommand } from './commands/fault.js';
import { gatewayCommand } from './commands/gateway.js';
import { idCommand } from './commands/id-admin.js';
import { idNodeCommand } from './commands/id-node.js';
import { serveCommand } from './commands/serve.js';
import { simCommand } from './commands/sim.js';

/** The `yulian` command with every subcommand. */
export function createProgram(): Command {
  const program = new Command('yulian')
    .description('渝联 Yulian — industrial internet platform')
    .version('0.1.0')
    .showHelpAfterError();
  serveCommand(program);
  benchCommand(program);
  adminCommand(program);
  auditCommand(program);
  simCommand(program);
  gatewayCommand(program);
  faultCommand(program);
  idNodeCommand(program);
  idCommand(program);
  analyticsCommand(program);
  return program;
}

#!/usr/bin/env node
import { Command } from 'commander';
import { serveCommand } from './serve.js';
import { migrateCommand } from './migrate.js';
import { userCommand } from './user.js';
import { vulndbCommand } from './vulndb.js';
import { exploitationCommand } from './exploitation.js';
import { evaluateCommand } from './evaluate.js';
import { appCommand } from './app.js';
import { runProgram } from './exit.js';
import { TOLLGATE_VERSION, PRODUCT_VERSION } from '../version.js';

const program = new Command()
  .name('tollgate')
  .description('Tollgate: a self-hosted software supply-chain policy server speaking the IQ Server REST API')
  .version(`${TOLLGATE_VERSION} (product ${PRODUCT_VERSION})`)
  .option('-c, --config <file>', 'configuration file (YAML or JSON); default ./config.yaml when present')
  .showHelpAfterError();

program.addCommand(serveCommand());
program.addCommand(migrateCommand());
program.addCommand(userCommand());
program.addCommand(vulndbCommand());
program.addCommand(exploitationCommand());
program.addCommand(evaluateCommand());
program.addCommand(appCommand());

await runProgram(program);

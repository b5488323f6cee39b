#!/usr/bin/env node
import { Command } from 'commander';
import { TOLLGATE_VERSION } from '../version.js';
import { appCommand } from './app.js';
import { evaluateCommand } from './evaluate.js';
import { runProgram } from './exit.js';

/**
 * The client commands alone: what the server hands out as one self-contained file
 * (GET /cli/tollgate.mjs, bundled by scripts/build-cli.mjs), so that a pipeline in any repository
 * can run `node tollgate.mjs evaluate …` without installing Tollgate. The same commands are part
 * of `npx tollgate` (main.ts).
 */
const program = new Command()
  .name('tollgate')
  .description('Tollgate client: evaluate SBOMs and lockfiles against a Tollgate (or IQ Server) policy server')
  .version(TOLLGATE_VERSION)
  .showHelpAfterError();

program.addCommand(evaluateCommand());
program.addCommand(appCommand());

await runProgram(program);

#!/usr/bin/env node
import { describeError } from '../core/errors.ts';
import { EXIT_INTERNAL } from '../core/exit-codes.ts';
import { processIO } from './io.ts';
import { main } from './main.ts';

main(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`faultline: ${describeError(err)}\n`);
    process.exitCode = EXIT_INTERNAL;
  },
);

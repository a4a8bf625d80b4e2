/**
 * The agent's structured log line (stderr JSON in production, captured in tests): one signature for
 * the runtime, the probes and delivery, so any of them can be handed the same logger.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type Log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

/** /etc/watchdog.conf (watchdog.conf(5)): `key = value` lines, `#` comments. */

import type { NodeFile } from '../../../host/rootfs.ts';
import type { Located, WatchdogConf } from './facts.ts';

export const WATCHDOG_CONF = '/etc/watchdog.conf';

export function parseWatchdogConf(f: NodeFile): WatchdogConf {
  const out: WatchdogConf = {
    path: f.path,
    device: undefined,
    timeout: undefined,
    interval: undefined,
    maxLoad1: undefined,
    testBinary: undefined,
    testTimeout: undefined,
    repairBinary: undefined,
  };
  f.text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    const eq = line.indexOf('=');
    if (eq === -1) return;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    const location = { file: f.path, line: i + 1 };
    const str: Located<string> = { value, location };
    const num: Located<number> | undefined = /^\d+$/.test(value)
      ? { value: Number(value), location }
      : undefined;
    switch (key) {
      case 'watchdog-device':
        out.device = str;
        break;
      case 'watchdog-timeout':
        out.timeout = num;
        break;
      case 'interval':
        out.interval = num;
        break;
      case 'max-load-1':
        out.maxLoad1 = num;
        break;
      case 'test-binary':
        out.testBinary = str;
        break;
      case 'test-timeout':
        out.testTimeout = num;
        break;
      case 'repair-binary':
        out.repairBinary = str;
        break;
      default:
        break;
    }
  });
  return out;
}

import { rule } from '../../../../src/audit/rules/node/runtime-watchdog-only.ts';
import { ruleTable } from './helpers.ts';

ruleTable(rule, [
  {
    name: 'RuntimeWatchdogSec=30s in system.conf, no watchdog daemon',
    files: { '/etc/systemd/system.conf': '[Manager]\n#LogLevel=info\nRuntimeWatchdogSec=30s\n' },
    expect: [{ file: '/etc/systemd/system.conf', line: 3 }],
  },
  {
    name: 'set in a drop-in',
    files: { '/etc/systemd/system.conf.d/watchdog.conf': '[Manager]\nRuntimeWatchdogSec=1min\n' },
    expect: [{ file: '/etc/systemd/system.conf.d/watchdog.conf', line: 2 }],
  },
  {
    name: 'drop-in turns it off again',
    files: {
      '/etc/systemd/system.conf': '[Manager]\nRuntimeWatchdogSec=30s\n',
      '/etc/systemd/system.conf.d/off.conf': '[Manager]\nRuntimeWatchdogSec=off\n',
    },
    expect: [],
  },
  {
    name: 'runtime watchdog plus the watchdog daemon',
    files: {
      '/etc/systemd/system.conf': '[Manager]\nRuntimeWatchdogSec=30s\n',
      '/etc/watchdog.conf': 'watchdog-device = /dev/watchdog\n',
    },
    expect: [],
  },
]);

import { REBOOT } from '../../../src/timeline/signatures/reboot.ts';
import { checkFamily } from './check-family.ts';

checkFamily('reboot', REBOOT);

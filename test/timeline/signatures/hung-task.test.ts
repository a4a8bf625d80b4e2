import { HUNG_TASK } from '../../../src/timeline/signatures/hung-task.ts';
import { checkFamily } from './check-family.ts';

checkFamily('hung-task', HUNG_TASK);

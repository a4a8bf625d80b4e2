import { NODE } from '../../../src/timeline/signatures/node.ts';
import { checkFamily } from './check-family.ts';

checkFamily('node', NODE);

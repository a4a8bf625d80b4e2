import { CNI } from '../../../src/timeline/signatures/cni.ts';
import { checkFamily } from './check-family.ts';

checkFamily('cni', CNI);

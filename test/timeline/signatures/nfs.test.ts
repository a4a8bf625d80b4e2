import { NFS } from '../../../src/timeline/signatures/nfs.ts';
import { checkFamily } from './check-family.ts';

checkFamily('nfs', NFS);

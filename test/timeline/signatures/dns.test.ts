import { DNS } from '../../../src/timeline/signatures/dns.ts';
import { checkFamily } from './check-family.ts';

checkFamily('dns', DNS);

import { KUBELET } from '../../../src/timeline/signatures/kubelet.ts';
import { checkFamily } from './check-family.ts';

checkFamily('kubelet', KUBELET);

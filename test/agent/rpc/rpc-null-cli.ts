// Runs rpcNull once and prints the result as JSON: the netns test starts it inside a network
// namespace it created (a node process cannot switch namespaces itself).
import { rpcNull } from '../../../src/agent/rpc/onc-rpc.ts';

const [host = '', port = '2049', ms = '500'] = process.argv.slice(2);
const r = await rpcNull({ host, port: Number(port), prog: 100003, vers: 3 }, AbortSignal.timeout(Number(ms)));
process.stdout.write(`${JSON.stringify(r)}\n`);

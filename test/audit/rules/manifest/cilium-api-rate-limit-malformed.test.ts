import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  examples,
  rule,
  validateApiRateLimit,
} from '../../../../src/audit/rules/manifest/cilium-api-rate-limit-malformed.ts';
import { ruleTable } from './harness.ts';

const cm = (v: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data:
  api-rate-limit: '${v}'
`;

ruleTable(
  rule,
  {
    valid: [
      { name: 'the documented example', yaml: cm('endpoint-create=rate-limit:2/s,rate-burst:4') },
      {
        name: 'two API calls and every duration form',
        yaml: cm(
          'endpoint-create=rate-limit:10/2m,max-wait-duration:1m30s,auto-adjust:true,endpoint-delete=rate-limit:1/100ms',
        ),
      },
      {
        name: 'the JSON form',
        yaml: cm('{"endpoint-create":"rate-limit:2/s,rate-burst:4,parallel-requests:8"}'),
      },
      {
        name: 'not set',
        yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config}\ndata: {debug: "false"}\n',
      },
    ],
    invalid: [
      {
        name: 'misspelt parameter, missing units, misspelt call',
        yaml: cm('endponit-patch=rate-limit:2,rate-bust:8,max-wait-duration:30'),
        findings: [
          {
            severity: 'low',
            line: 5,
            message: [
              'unknown API call "endponit-patch"',
              'bad value for rate-limit: "2"',
              'unknown parameter "rate-bust"',
              'bad value for max-wait-duration: "30"',
            ],
          },
        ],
      },
    ],
  },
  examples,
);

it('validateApiRateLimit rejects values that name no API call and broken JSON', () => {
  assert.match(validateApiRateLimit('rate-limit:2/s')[0]!, /before any API call name/);
  assert.deepEqual(validateApiRateLimit('{"endpoint-create":'), ['not valid JSON']);
});
